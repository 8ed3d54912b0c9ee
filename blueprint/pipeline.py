"""Rendering a loaded blueprint: every generator's files, stamped with their provenance."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from blueprint import __version__
from blueprint.loader import Loaded
from blueprint.provenance import stamp
from blueprint.writer import Manifest, normalize, sha256_text


class GeneratorContractError(RuntimeError):
    """A generator broke its contract (a path outside its folder, a duplicate path)."""


def render_files(
    loaded: Loaded,
    targets: Sequence[str] | None = None,
    environment: str | None = None,
) -> dict[str, str]:
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
) -> Manifest:
    return Manifest(
        tool_version=__version__,
        source=loaded.source.provenance,
        source_sha256=loaded.source.sha256,
        environment=environment,
        files={path: sha256_text(text) for path, text in files.items()},
        only=tuple(sorted(set(only or ()))),
    )


def up_to_date(out_dir: Path, loaded: Loaded, environment: str | None) -> bool:
    """The no-op fast path: the manifest names this source hash, tool version and environment,
    and every file it lists is on disk with its recorded hash."""
    manifest = Manifest.read(out_dir)
    if (
        manifest is None
        or manifest.only
        or (
            manifest.source_sha256,
            manifest.tool_version,
            manifest.environment,
            manifest.source,
        )
        != (loaded.source.sha256, __version__, environment, loaded.source.provenance)
    ):
        return False
    for path, digest in manifest.files.items():
        try:
            text = (out_dir / path).read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return False
        if sha256_text(text) != digest:
            return False
    return True


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
