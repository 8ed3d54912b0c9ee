"""The render sequence, in one place: recover, up to date?, checks, render, keep the other
targets' files, manifest, then plan (--check) or apply; or, for the Argo CD plugin, the
Kubernetes stream. `blueprint render`, `blueprint manifests` and the pre-commit hook all run
`pipeline`; several blueprints run in a process pool (`run_many`).

The no-op decision comes first (`blueprint.noop`) and reads only bytes: the blueprint's hash,
the manifest, the owned files' hashes and the render stamp. When they all match, nothing
heavier than `json` and `hashlib` is imported (no pydantic, PyYAML, Jinja2 or networkx), which
keeps a pre-commit no-op cheap; `blueprint.cli.render_noop` answers a plain `render` that way
before the command line parser is even imported.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from blueprint import __version__, exit_codes
from blueprint.out_state import sha256_text
from blueprint.parallel import available_cores, parallel_map
from blueprint.writer import Manifest, normalize

if TYPE_CHECKING:
    from blueprint.loader import Loaded

Mode = Literal["apply", "plan", "stream"]


class GeneratorContractError(RuntimeError):
    """A generator broke its contract (a path outside its folder, a duplicate path)."""


@dataclass(frozen=True)
class Request:
    """One blueprint to render. `apply` writes `out_dir`; `plan` writes nothing and prints a
    diff of what would change (`render --check`); `stream` prints the plain Kubernetes
    manifests (`blueprint manifests`) and touches no directory."""

    file: Path
    out_dir: Path = Path("out")
    environment: str | None = None
    only: tuple[str, ...] = ()
    mode: Mode = "apply"


@dataclass(frozen=True)
class Outcome:
    """What one request did: its exit code, what to print, and whether output changed (for
    `plan`: would change)."""

    code: int
    stdout: str = ""
    stderr: str = ""
    changed: bool = False


def pipeline(request: Request) -> Outcome:
    """Run the whole render sequence for one blueprint; never prints (pool workers share the
    terminal), every message is in the outcome."""
    from blueprint.errors import BlueprintError

    out_dir = request.out_dir
    if request.mode == "apply":
        from blueprint import writer

        writer.recover(out_dir)  # what a killed render left behind, even when up to date
    if request.mode != "stream" and not request.only and unchanged(request):
        return Outcome(exit_codes.OK, f"{out_dir}: up to date\n" if request.mode == "apply" else "")
    try:
        loaded = load(request.file, request.environment, out_dir)
    except BlueprintError as exc:
        return Outcome(exit_codes.BAD_INPUT, stderr="".join(f"{d}\n" for d in exc.diagnostics))
    refused = _refused_by_checks(loaded)
    if refused is not None:
        return refused
    if request.mode == "stream":
        return _stream(loaded, request.environment)
    from blueprint.gc_pause import paused_gc

    # A render allocates millions of objects that all stay alive until it ends (plans, file
    # texts): at 5,000 services six full collections walked the heap for 1.1 s of CPU and
    # freed next to nothing. What they would free is collected once the pause ends.
    with paused_gc():
        return _write(loaded, request)


def load(file: Path, environment: str | None, out_dir: Path) -> Loaded:
    from blueprint.cli.common import load_file

    # out_dir: the repository root for provenance when the blueprint is outside a git tree.
    return load_file(file, environment, out_dir=out_dir)


def _refused_by_checks(loaded: Loaded) -> Outcome | None:
    """Error findings stop the render before anything is written."""
    # Looked up at call time, so tests can stand in for the engine.
    import policies.engine
    from policies.report import blocking_summary

    errors = policies.engine.run_checks(loaded, blocking_only=True)
    if not errors:
        return None
    return Outcome(exit_codes.FINDINGS, stderr=blocking_summary(errors, loaded.source.name) + "\n")


def _stream(loaded: Loaded, environment: str | None) -> Outcome:
    from blueprint.manifest_stream import NoManifestsError, kubernetes_stream

    try:
        return Outcome(exit_codes.OK, kubernetes_stream(loaded, environment))
    except NoManifestsError as exc:
        # Positioned like every bad-input line: at the workloads, or the top of the file.
        bp = loaded.blueprint
        section = "services" if bp.services or not bp.jobs else "jobs"
        line, col = loaded.source.locate((section,), at_key=True)
        return Outcome(exit_codes.BAD_INPUT, stderr=f"{loaded.source.name}:{line}:{col}: {exc}\n")


def _write(loaded: Loaded, request: Request) -> Outcome:
    from blueprint import writer
    from generators import GENERATORS

    out_dir, only = request.out_dir, request.only
    files = render_files(loaded, only or None, request.environment)
    if only:
        files = keep_other_targets(out_dir, only, files)
    partial = only if only and set(only) != set(GENERATORS) else None
    from blueprint.inputs import input_hashes

    manifest = manifest_for(loaded, files, request.environment, partial, input_hashes(request.file))
    if request.mode == "plan":
        plan = writer.plan(out_dir, files, manifest)
        if not plan.changed:
            _record_current(request, manifest)
            return Outcome(exit_codes.OK)
        return Outcome(
            exit_codes.FINDINGS,
            writer.diff(out_dir, plan),
            f"{out_dir}: stale; run `blueprint render {request.file} --out {out_dir}`\n",
            changed=True,
        )
    try:
        plan = writer.apply(out_dir, files, manifest)
    except (writer.OwnershipError, writer.UnsafePathError) as exc:
        return Outcome(exit_codes.BAD_INPUT, stderr=f"blueprint: {exc}\n")
    _record_current(request, manifest)
    return Outcome(
        exit_codes.OK,
        f"{out_dir}: {len(plan.write)} written, {len(plan.remove)} removed, "
        f"{len(plan.unchanged)} unchanged\n",
        changed=plan.changed,
    )


def _record_current(request: Request, manifest: Manifest) -> None:
    """A full render found or left `out_dir` current: the next no-op may trust it."""
    from blueprint import render_stamps

    if not request.only:
        render_stamps.record(request.out_dir, request.environment, manifest.dumps().encode())


def run_many(requests: Sequence[Request], jobs: int | None = None) -> Iterator[Outcome]:
    """Each request's outcome, in order. Several blueprints that need work render in a
    process pool of `jobs` workers (default: every core); up-to-date ones never reach it."""
    from blueprint import writer

    for r in requests:
        if r.mode == "apply":
            writer.recover(r.out_dir)
    quick = {
        i: Outcome(exit_codes.OK, f"{r.out_dir}: up to date\n" if r.mode == "apply" else "")
        for i, r in enumerate(requests)
        if r.mode != "stream" and not r.only and unchanged(r)
    }
    todo = [r for i, r in enumerate(requests) if i not in quick]
    workers = min(jobs or available_cores(), len(todo))
    slow = iter(parallel_map(pipeline, todo, workers))
    for i in range(len(requests)):
        yield quick[i] if i in quick else next(slow)


def unchanged(request: Request) -> bool:
    """The no-op decision (`blueprint.noop.up_to_date`) for one request."""
    from blueprint.noop import up_to_date

    return up_to_date(request.file, request.out_dir, request.environment)


def render_files(
    loaded: Loaded,
    targets: Sequence[str] | None = None,
    environment: str | None = None,
) -> dict[str, str]:
    from blueprint.provenance import stamp
    from generators import GENERATORS, RenderContext, load_generator

    ctx = RenderContext(blueprint=loaded.blueprint, environment=environment)
    files: dict[str, str] = {}
    for name in targets or list(GENERATORS):
        generator = load_generator(name)
        if not generator.applies_to(loaded.blueprint):
            continue
        for path, text in sorted(generator.render(ctx).items()):
            if not path.startswith(f"{name}/"):
                raise GeneratorContractError(
                    f"generator {name!r} rendered {path!r} outside {name}/"
                )
            files[path] = stamp(
                path, normalize(text), loaded.source.provenance, loaded.source.sha256
            )
    return files


def manifest_for(
    loaded: Loaded,
    files: Mapping[str, str],
    environment: str | None,
    only: Sequence[str] | None = None,
    inputs: Mapping[str, str] | None = None,
) -> Manifest:
    return Manifest(
        tool_version=__version__,
        source=loaded.source.provenance,
        source_sha256=loaded.source.sha256,
        environment=environment,
        files={path: sha256_text(text) for path, text in files.items()},
        only=tuple(sorted(set(only or ()))),
        inputs=dict(inputs or {}),
    )


def keep_other_targets(
    out_dir: Path, targets: Sequence[str], files: dict[str, str]
) -> dict[str, str]:
    """With --only, the files of targets not rendered stay as they are and stay owned."""
    manifest = Manifest.read(out_dir)
    if manifest is None:
        return files
    kept = dict(files)
    for path in manifest.files:
        if path.split("/", 1)[0] not in targets and path not in kept:
            try:
                kept[path] = (out_dir / path).read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError):
                continue  # gone or mangled: dropped now, rendered again by a full render
    return kept
