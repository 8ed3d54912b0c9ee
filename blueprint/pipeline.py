"""The render sequence, in one place: recover, up to date?, checks, render, keep the other
targets' files, manifest, then plan (--check) or apply; or, for the Argo CD plugin, the
Kubernetes stream. `blueprint render`, `blueprint manifests` and the pre-commit hook all run
`pipeline`; several blueprints run in a process pool (`run_many`).

The no-op decision comes first and reads only bytes: the blueprint's hash, the manifest and the
owned files' hashes. When they all match, nothing heavier than `json` and `hashlib` is
imported (no pydantic, PyYAML, Jinja2 or networkx), which keeps a pre-commit no-op cheap.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Literal

from blueprint import __version__, exit_codes
from blueprint.writer import Manifest, normalize, read_regular, sha256_text

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
    with cycle_collection_paused():
        return _write(loaded, request)


@contextlib.contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Python's cycle collector off while a render builds and writes its files.

    A render allocates millions of objects that all stay alive until it ends (plans, file
    texts), so each full collection walks the whole heap and frees next to nothing: at 5,000
    services, six of them cost 1.1 s of CPU. What it would free is collected once it is back
    on (reference counting frees everything else as usual). It is restored as it was found."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
    return Outcome(
        exit_codes.OK,
        f"{out_dir}: {len(plan.write)} written, {len(plan.remove)} removed, "
        f"{len(plan.unchanged)} unchanged\n",
        changed=plan.changed,
    )


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


def parallel_map(function: Any, items: Sequence[Any], workers: int) -> Iterator[Any]:
    """`map` over a process pool when there is more than one item and worker, in order."""
    if workers <= 1 or len(items) <= 1:
        yield from map(function, items)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(function, items, chunksize=1)


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


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


def unchanged(request: Request) -> bool:
    """The no-op fast path, from bytes only: the manifest records this blueprint's hash and
    name, every other input's hash, this tool version and environment, a full render, and
    every file it lists is on disk with its recorded hash."""
    from blueprint.inputs import input_hashes
    from blueprint.provenance import repository_name

    manifest = Manifest.read(request.out_dir)
    if (
        manifest is None
        or manifest.only
        or (manifest.tool_version, manifest.environment, manifest.source)
        != (__version__, request.environment, repository_name(request.file, request.out_dir))
        or _file_sha256(request.file) != manifest.source_sha256
    ):
        return False
    if manifest.inputs != input_hashes(request.file):
        return False
    for path, digest in manifest.files.items():
        # Through a symlink it is not the file blueprint wrote, whatever it says.
        text = read_regular(request.out_dir, path)
        if text is None or sha256_text(text) != digest:
            return False
    return True


def _file_sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


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
