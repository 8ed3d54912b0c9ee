"""Wall time of the commands run on every commit, each in a fresh interpreter.

usage: python benchmarks/validate_startup.py [-n RUNS]

Runs `python -m blueprint validate examples/aws-fargate-api/blueprint.yaml` and
`python -m blueprint schema` RUNS times each (default 15) and prints min/median/max seconds.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = [
    ["validate", "examples/aws-fargate-api/blueprint.yaml"],
    ["schema"],
]


def wall_seconds(argv: list[str]) -> float:
    began = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "blueprint", *argv],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=15)
    args = parser.parse_args()
    wall_seconds(COMMANDS[0])  # warm the file cache and bytecode
    for argv in COMMANDS:
        times = [wall_seconds(argv) for _ in range(args.runs)]
        print(
            f"blueprint {' '.join(argv)}: runs={args.runs} min={min(times):.3f}s "
            f"median={statistics.median(times):.3f}s max={max(times):.3f}s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
