"""`make bench`: the speed goals in one table, each row one fresh-process measurement.

    python benchmarks/table.py [--sizes 50 500 5000] [--check-sizes 1000 5000] [--runs 5]
                               [--systems 200] [--quick]

Rows: the no-op render of aws-fargate-api (median of --runs), `blueprint check` on it against
checkov on its rendered Terraform (medians, same run), `check` on the synthetic systems of
benchmarks/check_scaling.py, `render` of each benchmarks/render_scaling.py variant per target,
and the monorepo of benchmarks/monorepo.py. CPU is user + system of the process and its
children; MiB is the peak RSS of the largest process. `--quick` runs small sizes only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import check_scaling, monorepo, render_scaling  # noqa: E402 - path first
from benchmarks.render_scaling import measure  # noqa: E402

EXAMPLE = "aws-fargate-api"
Row = tuple[str, str, float, float, float, str]


def median_of(argv: list[str], cwd: Path, runs: int, env: dict[str, str] | None = None) -> Row:
    samples = [measure(argv, cwd, env) for _ in range(runs)]
    wall = statistics.median(s[0] for s in samples)
    cpu = statistics.median(s[1] for s in samples)
    return ("", "", wall, cpu, max(s[2] for s in samples), "")


def no_op(runs: int, tmp: Path) -> list[Row]:
    folder = tmp / "noop"
    folder.mkdir()
    shutil.copy(ROOT / "examples" / EXAMPLE / "blueprint.yaml", folder / "blueprint.yaml")
    argv = ["render", "blueprint.yaml", "--out", "out"]
    measure(argv, folder)
    rows = []
    for label, extra in (("render", []), ("render --check", ["--check"])):
        _, _, wall, cpu, rss, _ = median_of([*argv, *extra], folder, runs)
        rows.append((f"no-op {label}", EXAMPLE, wall, cpu, rss, "<= 0.10 s"))
    return rows


def check_vs_checkov(runs: int, tmp: Path) -> list[Row]:
    example = ROOT / "examples" / EXAMPLE / "blueprint.yaml"
    _, _, wall, cpu, rss, _ = median_of(["check", str(example)], tmp, runs)
    rows: list[Row] = [("check", EXAMPLE, wall, cpu, rss, "")]
    checkov = os.environ.get("CHECKOV_BIN", str(ROOT / ".venv-checkov/bin/checkov"))
    if not Path(checkov).exists():
        return [*rows, ("checkov", "(not installed: set CHECKOV_BIN)", 0.0, 0.0, 0.0, "")]
    terraform = ROOT / "out" / EXAMPLE / "aws" / "terraform"
    argv = [checkov, "-d", str(terraform), "--quiet", "--compact", "--skip-download"]
    env = {**os.environ, "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true", "CHECKPOINT_DISABLE": "1"}
    samples = [measure(argv, tmp, env, program=True) for _ in range(runs)]
    c_wall = statistics.median(s[0] for s in samples)
    c_cpu = statistics.median(s[1] for s in samples)
    ratio = f"{c_wall / wall:.1f}x faster (goal >= 10x)"
    return [
        (*rows[0][:5], ratio),
        ("checkov", f"{EXAMPLE} terraform", c_wall, c_cpu, max(s[2] for s in samples), ""),
    ]


def check_sizes(sizes: list[int], tmp: Path) -> list[Row]:
    rows = []
    for size in sizes:
        path = tmp / f"check-{size}.yaml"
        path.write_text(check_scaling.synthetic(size), encoding="utf-8")
        wall, cpu, rss, _code = measure(["check", str(path), "--format", "json"], tmp)
        goal = "<= 1.5 s" if size == 5000 else ""
        rows.append(("check", f"synthetic {size}", wall, cpu, rss, goal))
    return rows


def render_sizes(sizes: list[int], tmp: Path) -> list[Row]:
    rows = []
    for variant in render_scaling.VARIANTS:
        for size in sizes:
            path = tmp / f"render-{variant}-{size}.yaml"
            path.write_text(render_scaling.synthetic(variant, size), encoding="utf-8")
            for target in [*render_scaling.targets_of(variant), "all"]:
                out = tmp / f"out-{variant}-{size}-{target}"
                only = [] if target == "all" else ["--only", target]
                wall, cpu, rss, code = measure(["render", str(path), "--out", str(out), *only], tmp)
                shutil.rmtree(out, ignore_errors=True)
                goal = "<= 10 s" if size == 5000 else ""
                case = f"{variant} {size} {target}" + ("" if code == 0 else f" (exit {code})")
                rows.append(("render", case, wall, cpu, rss, goal))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[50, 500, 5000])
    parser.add_argument("--check-sizes", nargs="+", type=int, default=[1000, 5000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--systems", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="sizes 50 and 500, 20 systems")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.check_sizes, args.systems = [50, 500], [500], 20
    print(f"{'benchmark':<20} {'case':<36} {'wall s':>7} {'cpu s':>7} {'MiB':>6}  goal")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        sections = [
            lambda: no_op(args.runs, tmp),
            lambda: check_vs_checkov(args.runs, tmp),
            lambda: check_sizes(args.check_sizes, tmp),
            lambda: render_sizes(args.sizes, tmp),
            lambda: [
                (
                    f"monorepo {what}",
                    f"{args.systems} x 25 services",
                    wall,
                    cpu,
                    rss,
                    "<= 60 s" if what == "render" and args.systems == 200 else "",
                )
                for what, wall, cpu, rss in monorepo.run(args.systems, 25, None)
            ],
        ]
        for section in sections:
            for bench, case, wall, cpu, rss, goal in section():
                print(
                    f"{bench:<20} {case:<36} {wall:>7.2f} {cpu:>7.2f} {rss:>6.0f}  {goal}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
