"""`blueprint manifests FILE`: the Kubernetes objects as one YAML stream on stdout.

This is the generate command of the Argo CD Config Management Plugin (deploy/argocd-cmp/): it
checks the blueprint first, renders in memory (nothing is written) and prints only Kubernetes
objects on stdout, as Argo CD requires; every message goes to stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from blueprint import exit_codes
from blueprint.cli.common import add_example, load_file


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "manifests",
        help="check, then print the plain Kubernetes manifests as one YAML stream",
        description=(
            "Run the policy checks, then render the plain Kubernetes manifests in memory and "
            "print them as one YAML stream on stdout (the Argo CD plugin's generate command). "
            "Writes nothing. Exit 1 with the findings on stderr while an error remains."
        ),
    )
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--env", metavar="NAME", help="apply the environment overlay NAME")
    add_example(
        p,
        "blueprint manifests blueprint.yaml --env prod | kubectl apply --dry-run=client -f -",
    )


def run(args: argparse.Namespace) -> int:
    from blueprint.manifest_stream import NoManifestsError, kubernetes_stream
    from policies.engine import run_checks
    from policies.report import blocking_summary

    loaded = load_file(args.file, args.env)
    errors = [f for f in run_checks(loaded) if f.severity == "error" and f.waived_by is None]
    if errors:
        print(blocking_summary(errors, loaded.source.name), file=sys.stderr)
        return exit_codes.FINDINGS
    try:
        stream = kubernetes_stream(loaded, args.env)
    except NoManifestsError as exc:
        # Positioned like every bad-input line: at the workloads, or the top of the file.
        section = "services" if loaded.blueprint.services or not loaded.blueprint.jobs else "jobs"
        line, col = loaded.source.locate((section,), at_key=True)
        print(f"{loaded.source.name}:{line}:{col}: {exc}", file=sys.stderr)
        return exit_codes.BAD_INPUT
    sys.stdout.write(stream)
    return exit_codes.OK
