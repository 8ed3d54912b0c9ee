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

from blueprint.cli.common import add_example


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
    from blueprint.pipeline import Request, pipeline

    outcome = pipeline(Request(file=args.file, environment=args.env, mode="stream"))
    sys.stdout.write(outcome.stdout)
    sys.stderr.write(outcome.stderr)
    return outcome.code
