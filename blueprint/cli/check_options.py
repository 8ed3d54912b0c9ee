"""What `blueprint check` takes from the repository configuration and a baseline: the default
--fail-on, the configured rule severities (reported in the summary), and the findings a
baseline already records (not reported). Kept apart from check.py's own flow."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from blueprint.cli.common import load_configured

if TYPE_CHECKING:
    from blueprint.config import Applied
    from blueprint.loader import Loaded, OnModel
    from policies.findings import Finding


def add_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="report only findings not in this baseline (rule, subject and evidence match)",
    )
    p.add_argument(
        "--write-baseline",
        type=Path,
        metavar="FILE",
        help="record the current findings as the baseline in FILE and exit 0",
    )


@dataclass
class CheckContext:
    loaded: Loaded
    applied: list[Applied]
    fail_on: str
    notes: list[str] = field(default_factory=list)


def load(args: argparse.Namespace, on_model: OnModel | None = None) -> CheckContext:
    from blueprint.config import find

    loaded, applied = load_configured(args.file, args.env, on_model=on_model)
    fail_on = args.fail_on or find(args.file).settings.fail_on or "error"
    return CheckContext(loaded, applied, fail_on)


def filter_findings(
    args: argparse.Namespace, ctx: CheckContext, findings: list[Finding]
) -> list[Finding]:
    """Writes the baseline, or drops what the baseline holds; notes say what happened."""
    ctx.notes.extend(a.describe() for a in ctx.applied)
    if args.write_baseline is None and args.baseline is None:
        return findings
    from policies import baseline  # only with --baseline or --write-baseline

    if args.write_baseline is not None:
        args.write_baseline.parent.mkdir(parents=True, exist_ok=True)
        args.write_baseline.write_text(baseline.dumps(findings), encoding="utf-8")
        recorded = sum(1 for f in findings if f.waived_by is None)
        ctx.notes.append(f"baseline: recorded {recorded} finding(s) in {args.write_baseline}")
        return findings
    filtered = baseline.subtract(findings, baseline.read(args.baseline))
    ctx.notes.append(
        f"baseline: {filtered.known} finding(s) in {args.baseline} not reported"
        + (f"; {filtered.gone} baseline entr(ies) no longer found" if filtered.gone else "")
    )
    return filtered.new


def failing(args: argparse.Namespace, ctx: CheckContext, findings: Sequence[Finding]) -> bool:
    from policies.findings import SEVERITY_RANK

    if args.write_baseline is not None:
        return False  # recording a baseline accepts every current finding
    threshold = SEVERITY_RANK[ctx.fail_on]
    return any(f.waived_by is None and SEVERITY_RANK[f.severity] >= threshold for f in findings)
