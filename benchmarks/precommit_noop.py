"""Wall time of the pre-commit no-op: nothing changed since the last render.

Measures, median of several runs, in a throwaway git repository holding one example:
1. `blueprint render blueprint.yaml --out out` directly (a fresh Python process each time);
2. the `blueprint-render` hook through the real pre-commit tool
   (`pre-commit run blueprint-render --files blueprint.yaml`), after one untimed run that
   installs the hook environment (pip, from PyPI).

Run: .venv/bin/python benchmarks/precommit_noop.py [--runs N] [--example NAME]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.workflow.precommit_support import (  # noqa: E402 - needs ROOT on sys.path first
    PRE_COMMIT,
    config_text,
    git_env,
    run,
    snapshot_checkout,
)


def timed(argv: list[str], cwd: Path, env: dict[str, str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = run(argv, cwd, env)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed:\n{done.stdout}")
    return times


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--example", default="aws-fargate-api")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = git_env(tmp / "home")
        env["PYTHONPATH"] = str(ROOT)
        hook_repo = tmp / "hook-repo"
        rev = snapshot_checkout(hook_repo, env)
        repo = tmp / "repo"
        repo.mkdir()
        run(["git", "init", "-q"], repo, env)
        (repo / ".pre-commit-config.yaml").write_text(config_text(hook_repo, rev))
        (repo / "blueprint.yaml").write_bytes(
            (ROOT / "examples" / args.example / "blueprint.yaml").read_bytes()
        )
        render = [sys.executable, "-m", "blueprint", "render", "blueprint.yaml", "--out", "out"]
        first = run(render, repo, env)
        if first.returncode != 0:
            raise SystemExit(first.stdout)
        run(["git", "add", "-A"], repo, env)
        hook = [str(PRE_COMMIT), "run", "blueprint-render", "--files", "blueprint.yaml"]
        install = time.perf_counter()
        warm = run(hook, repo, env)
        install = time.perf_counter() - install
        if warm.returncode != 0:
            raise SystemExit(warm.stdout)
        # Each installation (this checkout, the hook's environment) records its own render
        # stamp on its first run (blueprint.render_stamps); time the no-ops after it.
        timed(render, repo, env, 1)
        direct = timed(render, repo, env, args.runs)
        through = timed(hook, repo, env, args.runs)
    print(f"example: {args.example}; {args.runs} runs each; medians (min-max)")
    print(
        f"blueprint render (no-op, direct):   {statistics.median(direct):.3f} s "
        f"({min(direct):.3f}-{max(direct):.3f})"
    )
    print(
        f"blueprint-render hook via pre-commit: {statistics.median(through):.3f} s "
        f"({min(through):.3f}-{max(through):.3f})"
    )
    print(f"(one-time hook environment install: {install:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
