"""`blueprint import compose FILE` / `blueprint import kubernetes DIR`: a blueprint from an
existing description, and a report of what was not carried over (one line per item)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from blueprint import exit_codes
from blueprint.cli.common import add_example
from blueprint.errors import BlueprintError, Diagnostic


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "import", help="write a blueprint from a docker-compose file or Kubernetes manifests"
    )
    p.add_argument("source", choices=["compose", "kubernetes"], help="what to import")
    p.add_argument(
        "path", type=Path, metavar="PATH", help="a compose file, or a manifest directory"
    )
    p.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar="FILE",
        help="write the blueprint here (never overwritten); default: stdout",
    )
    p.add_argument("--name", help="the system's name (default: from the path)")
    add_example(
        p,
        "blueprint import compose docker-compose.yml --output blueprint.yaml",
        "blueprint import kubernetes k8s/ --name shop --output blueprint.yaml",
    )


def run(args: argparse.Namespace) -> int:
    from blueprint.cli.common import display_name
    from blueprint.importers import blueprint_text
    from blueprint.loader import load_source, source_from_bytes

    path: Path = args.path
    shown = display_name(path)
    if args.output is not None and args.output.exists():
        print(
            f"{args.output}: already exists; blueprint import never overwrites a file",
            file=sys.stderr,
        )
        return exit_codes.BAD_INPUT
    if args.source == "compose":
        draft = _compose(path, shown, args.name)
    else:
        draft = _kubernetes(path, shown, args.name)
    text = blueprint_text(draft, shown)
    target = str(args.output) if args.output else "blueprint.yaml"
    # The import must give a valid blueprint: a failure here is a bug in the importer.
    load_source(source_from_bytes(text.encode(), target))
    for line in draft.report:
        print(f"{shown}: {line}", file=sys.stderr)
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        with args.output.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        print(
            f"{args.output}: written ({len(draft.services)} services, {len(draft.jobs)} jobs, "
            f"{len(draft.resources)} resources); {len(draft.report)} item(s) reported above",
            file=sys.stderr,
        )
    return exit_codes.OK


def _compose(path: Path, shown: str, name: str | None) -> Any:
    from blueprint.importers.compose import import_compose

    document = _yaml_documents(path, shown)
    if len(document) != 1:
        raise BlueprintError(
            [Diagnostic(shown, 1, 1, "found several YAML documents, expected one compose file")]
        )
    try:
        return import_compose(
            document[0], name or _default_name(path.resolve().parent.name), named=bool(name)
        )
    except ValueError as exc:
        raise BlueprintError([Diagnostic(shown, 1, 1, str(exc))]) from None


def _kubernetes(path: Path, shown: str, name: str | None) -> Any:
    from blueprint.importers.kubernetes import import_manifests

    files = (
        sorted(p for p in path.rglob("*") if p.suffix in {".yaml", ".yml"})
        if path.is_dir()
        else [path]
    )
    if not files:
        raise BlueprintError(
            [Diagnostic(shown, 1, 1, "found no .yaml or .yml files, expected Kubernetes manifests")]
        )
    objects: list[dict[str, Any]] = []
    for file in files:
        for document in _yaml_documents(
            file, f"{shown}/{file.relative_to(path).as_posix()}" if path.is_dir() else shown
        ):
            if isinstance(document, dict) and document.get("kind") == "List":
                objects.extend(i for i in document.get("items") or () if isinstance(i, dict))
            elif isinstance(document, dict) and "kind" in document:
                objects.append(document)
    if not objects:
        raise BlueprintError(
            [Diagnostic(shown, 1, 1, "found no Kubernetes objects (documents with kind)")]
        )
    return import_manifests(
        objects,
        name or _default_name(path.resolve().name if path.is_dir() else path.resolve().parent.name),
    )


def _default_name(text: str) -> str:
    from blueprint.importers.common import dns_label

    return dns_label(text)


def _yaml_documents(path: Path, shown: str) -> list[Any]:
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BlueprintError([Diagnostic(shown, 1, 1, f"cannot read the file: {exc}")]) from None
    try:
        return [d for d in yaml.safe_load_all(text) if d is not None]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        problem = getattr(exc, "problem", None) or str(exc)
        raise BlueprintError([Diagnostic(shown, line, col, f"bad YAML: {problem}")]) from None
