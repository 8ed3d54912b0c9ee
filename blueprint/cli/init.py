"""`blueprint init [DIR]`: write a starting blueprint.yaml (and a pre-commit configuration)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from blueprint import exit_codes
from blueprint.cli.common import add_example

BLUEPRINT = "blueprint.yaml"
PRE_COMMIT_CONFIG = ".pre-commit-config.yaml"


def add_parser(sub: Any) -> None:
    from blueprint.starter import PLATFORMS

    p = sub.add_parser("init", help="write a starting blueprint.yaml for a platform")
    p.add_argument("dir", nargs="?", type=Path, default=Path(), metavar="DIR")
    p.add_argument("--platform", choices=PLATFORMS, required=True, help="where the services run")
    p.add_argument(
        "--service",
        action="append",
        default=[],
        metavar="NAME",
        help="a service (repeatable; default: web); the first one is the public entry",
    )
    p.add_argument(
        "--port",
        action="append",
        type=int,
        default=[],
        metavar="N",
        help="the port of the service given in the same position (default: 8080)",
    )
    p.add_argument("--database", action="store_true", help="a database the first service uses")
    p.add_argument("--queue", action="store_true", help="a queue the first service publishes to")
    p.add_argument("--name", help="the system's name (default: DIR's name)")
    add_example(
        p,
        "blueprint init shop --platform kubernetes --service web --port 8080 --service api",
        "blueprint init --platform cloud-run --service api --port 9000 --database",
    )


def run(args: argparse.Namespace) -> int:
    from blueprint.loader import load_source, source_from_bytes
    from blueprint.model.base import NAME_RE
    from blueprint.starter import PRE_COMMIT, Shape, StarterError, blueprint_text, parse_services

    directory: Path = args.dir
    name = args.name or _dns_label(directory.resolve().name)
    problems = [
        f"{flag} {value!r}: expected a DNS label (lowercase letters, digits and -, starting "
        "with a letter), such as web"
        for flag, value in [("--name", name), *(("--service", s) for s in args.service)]
        if not NAME_RE.match(value) or len(value) > 63
    ]
    problems += [
        f"--port {port}: expected a port from 1 to 65535"
        for port in args.port
        if not 0 < port < 65536
    ]
    if len(set(args.service)) != len(args.service):
        problems.append("--service: each service name may be given once")
    target = directory / BLUEPRINT
    if target.exists():
        problems.append(f"{target}: already exists; blueprint init never overwrites a file")
    try:
        services = parse_services(args.service or ["web"], args.port)
        text = blueprint_text(Shape(name, args.platform, services, args.database, args.queue))
    except StarterError as exc:
        problems.append(str(exc))
        text = ""
    if problems:
        for problem in problems:
            print(f"blueprint init: {problem}", file=sys.stderr)
        return exit_codes.BAD_INPUT
    # The starting point must itself validate: a failure here is a bug in blueprint.starter.
    load_source(source_from_bytes(text.encode(), str(target)))
    directory.mkdir(parents=True, exist_ok=True)
    _write_new(target, text)
    print(f"{target}: written ({args.platform}, services {', '.join(n for n, _ in services)})")
    hooks = directory / PRE_COMMIT_CONFIG
    if hooks.exists():
        print(
            f"{hooks}: exists, left unchanged; add blueprint's hooks to it:\n{PRE_COMMIT}", end=""
        )
    else:
        _write_new(hooks, PRE_COMMIT)
        print(f"{hooks}: written (blueprint-render and blueprint-check hooks)")
    print(f"next: blueprint check {target} && blueprint render {target} --out {directory / 'out'}")
    return exit_codes.OK


def _write_new(path: Path, text: str) -> None:
    # "x" fails rather than overwrite a file created since the existence check.
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def _dns_label(text: str) -> str:
    """A directory name as a system name: lowercased, other characters as -, trimmed."""
    import re

    label = re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")
    label = re.sub(r"^[^a-z]+", "", label)[:63].rstrip("-")
    return label or "system"
