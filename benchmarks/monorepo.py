"""Many blueprints at once: a monorepo of N systems of S services, rendered in one call.

    python benchmarks/monorepo.py [--systems 200] [--services 25] [--jobs N]

Writes systems/sNNN/blueprint.yaml (the render_scaling variants in turn: AWS, Azure, GCP,
Kubernetes, mixed), then times `blueprint render systems/*/blueprint.yaml --out 'out/{name}'`
twice in a fresh process: the first render of everything (a process pool over every core),
then the no-op that follows (nothing changed). Prints wall and CPU seconds (the children's
included) and peak RSS of the largest process.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.render_scaling import VARIANTS, measure, synthetic


def write_monorepo(root: Path, systems: int, services: int) -> list[str]:
    files = []
    for n in range(systems):
        folder = root / "systems" / f"s{n:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        variant = VARIANTS[n % len(VARIANTS)]
        text = synthetic(variant, services, name=f"s{n:03d}")
        (folder / "blueprint.yaml").write_text(text, encoding="utf-8")
        files.append(f"systems/s{n:03d}/blueprint.yaml")
    return files


def run(systems: int, services: int, jobs: int | None) -> list[tuple[str, float, float, float]]:
    """(what, wall s, CPU s, peak MiB) of the first render and of the no-op after it."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = write_monorepo(root, systems, services)
        argv = ["render", *files, "--out", "out/{name}", *(["--jobs", str(jobs)] if jobs else [])]
        for what in ("render", "no-op"):
            wall, cpu, rss, code = measure(argv, root)
            if code != 0:
                raise SystemExit(f"blueprint render exited {code}")
            rows.append((what, wall, cpu, rss))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--systems", type=int, default=200)
    parser.add_argument("--services", type=int, default=25)
    parser.add_argument("--jobs", type=int, help="processes (default: one per core)")
    args = parser.parse_args(argv)
    print(f"{args.systems} blueprints x {args.services} services")
    print(f"{'what':<8} {'wall s':>7} {'cpu s':>7} {'MiB':>6}")
    for what, wall, cpu, rss in run(args.systems, args.services, args.jobs):
        print(f"{what:<8} {wall:>7.2f} {cpu:>7.2f} {rss:>6.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
