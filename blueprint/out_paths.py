"""Where each blueprint renders: the `--out` pattern of `render` and the pre-commit hook."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath


def output_dir(blueprint: str, pattern: str, env: str | None = None) -> str:
    """The output directory of a blueprint file under an `--out` pattern.

    `{dir}` is the blueprint's directory and `{name}` that directory's last component, both
    empty for a blueprint at the root, and `{env}` the environment; empty segments collapse.
    With `out/{name}`: `blueprint.yaml` -> `out`, `examples/shop/blueprint.yaml` -> `out/shop`.
    A pattern without braces is the directory itself.
    """
    if "{" not in pattern:
        return pattern
    parent = PurePosixPath(blueprint.replace("\\", "/")).parent
    directory = "" if str(parent) == "." else parent.as_posix()
    formatted = pattern.format(dir=directory, name=parent.name, env=env or "")
    parts = [part for part in formatted.split("/") if part not in {"", "."}]
    joined = "/".join(parts) or "."
    return "/" + joined if pattern.startswith("/") else joined


def output_dirs(
    jobs: Sequence[tuple[str, str, str | None]],
) -> dict[str, tuple[str, str | None]] | str:
    """Output directory -> (blueprint, environment) for each (blueprint, --out pattern,
    environment), or the message refusing two that would share one directory."""
    targets: dict[str, tuple[str, str | None]] = {}
    for f, pattern, env in jobs:
        out = output_dir(f, pattern, env)
        if out in targets:
            return (
                f"{f}: renders to {out}, as {targets[out][0]} does; pass an --out pattern with "
                "{dir}, {name} or {env} so each blueprint and environment has its own directory"
            )
        targets[out] = (f, env)
    return targets
