"""A seeded mutator of the examples through validate, render and manifests (issue 21).

Each mutant is an example with one to three mutations (a value replaced by a hostile one, a key
dropped, renamed or added, a list item duplicated). For every mutant:

- every command exits 0, 1 or 2, never 3 (an internal error);
- every exit-2 line of `validate` names a position, `blueprint.yaml:LINE:COL: ...`;
- `render` that exits 2 writes nothing (no output folder, no staging folder beside it);
- nothing `validate` accepts makes `render` or `manifests` exit 3.

The run is bounded by time: FUZZ_SECONDS, else 50 s in the `thorough` hypothesis profile
(`make test-thorough`) and 15 s in `make test`; whatever the time, at least two mutants of
every example (seeds cycle through the examples). Every mutant is fixed by its seed, which the
failure message names, so a failure reproduces with `FUZZ_SEED=N`.
"""

from __future__ import annotations

import copy
import os
import random
import re
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import EXAMPLES, PROFILE, ROOT
from tests.support import run_cli

FUZZ_SECONDS = float(os.environ.get("FUZZ_SECONDS", "50" if PROFILE == "thorough" else "15"))
MIN_MUTANTS = 2 * len(EXAMPLES)
POSITIONED = re.compile(r"^blueprint\.yaml:\d+:\d+: \S")
HOSTILE: list[Any] = [
    "",
    " ",
    "x" * 300,
    "-1",
    "0",
    -1,
    0,
    70000,
    1e-300,
    0.3,
    True,
    None,
    [],
    {},
    "${x}",
    "$(A_NAME)",
    "costs $$5",
    "${AWS::AccountId}",
    "%{x}",
    "{{ fail }}",
    "*/}}",
    "a\x00b",
    "\u202e",
    "a\u200bb",
    "\u2028",
    "line\nbreak",
    "../../etc",
    "/abs",
    "back\\slash",
    "*/0 * * * *",
    "99 99 99 99 99",
    "10.0.0.0/016",
    "0.0.0.0/0",
    "::/0",
    "yes",
    "web",
    "api",
    "db",
]


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_paths(value, (*prefix, index)))
    return found


def _parent(doc: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        doc = doc[part]
    return doc


def mutate(doc: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    for _ in range(rng.randint(1, 3)):
        paths = _paths(doc)
        if not paths:
            break
        path = rng.choice(paths)
        parent, last = _parent(doc, path), path[-1]
        action = rng.choice(
            ["append", "append", "replace", "replace", "drop", "rename", "add", "dup"]
        )
        if action == "append" and isinstance(parent[last], str):
            # Keeps the field's shape more often than a replacement: reaches the generators.
            parent[last] += rng.choice([h for h in HOSTILE if isinstance(h, str)])
        elif action == "replace":
            parent[last] = copy.deepcopy(rng.choice(HOSTILE))
        elif action == "drop":
            del parent[last]
        elif action == "rename" and isinstance(parent, dict):
            new = rng.choice([h for h in HOSTILE if isinstance(h, str | int)])
            parent[new] = parent.pop(last)
        elif action == "add" and isinstance(parent, dict):
            parent[rng.choice(["extra", "image", "env", "port", "cpu"])] = rng.choice(HOSTILE)
        elif action == "dup" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
    return doc


def mutant(seed: int) -> str:
    rng = random.Random(seed)
    name = EXAMPLES[seed % len(EXAMPLES)]
    doc = yaml.safe_load((ROOT / "examples" / name / "blueprint.yaml").read_text("utf-8"))
    return yaml.safe_dump(mutate(doc, rng), allow_unicode=True, sort_keys=False)


def check_mutant(seed: int, work: Path) -> tuple[int, int]:
    """Run one mutant through the commands; returns (validate's code, render's code)."""
    folder = work / f"m{seed}"
    folder.mkdir()
    (folder / "blueprint.yaml").write_text(mutant(seed), encoding="utf-8")
    os.chdir(folder)
    where = f"seed {seed} ({EXAMPLES[seed % len(EXAMPLES)]})"

    code, _, err = run_cli("validate", "blueprint.yaml")
    assert code in (0, 2), f"{where}: validate exited {code}:\n{err}"
    if code == 2:
        for line in err.splitlines():
            assert POSITIONED.match(line), f"{where}: unpositioned: {line!r}"

    rendered, _, render_err = run_cli("render", "blueprint.yaml", "--out", "out")
    assert rendered in (0, 1, 2), f"{where}: render exited {rendered}:\n{render_err}"
    if rendered == 2:
        assert sorted(p.name for p in folder.iterdir()) == ["blueprint.yaml"], where
    if code == 2:
        assert rendered == 2, f"{where}: validate refused, render exited {rendered}"
        return code, rendered

    streamed, _, stream_err = run_cli("manifests", "blueprint.yaml")
    assert streamed in (0, 1, 2), f"{where}: manifests exited {streamed}:\n{stream_err}"
    if streamed == 2:
        for line in stream_err.splitlines():
            assert POSITIONED.match(line), f"{where}: unpositioned: {line!r}"
    return code, rendered


def test_mutated_examples_never_crash_and_every_refusal_is_positioned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    if "FUZZ_SEED" in os.environ:
        check_mutant(int(os.environ["FUZZ_SEED"]), tmp_path)
        return
    deadline = time.monotonic() + FUZZ_SECONDS
    outcomes: dict[tuple[int, int], int] = {}
    seed = 0
    while seed < MIN_MUTANTS or time.monotonic() < deadline:
        outcome = check_mutant(seed, tmp_path)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        seed += 1
    # The mutator must reach both sides: refusals and accepted mutants that render.
    assert outcomes.get((2, 2), 0) > 0, outcomes
    assert sum(n for (v, _), n in outcomes.items() if v == 0) > 0, outcomes


def test_the_mutator_is_deterministic() -> None:
    assert [mutant(s) for s in range(20)] == [mutant(s) for s in range(20)]
