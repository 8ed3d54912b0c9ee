"""The files a render reads besides the blueprint, found and hashed from bytes alone.

Today that is the repository configuration (`blueprint.config`): its rule settings change what
the checks report, so a changed configuration must re-run them. The render manifest records
each input's hash (`Manifest.inputs`), and the no-op check compares them without importing
pydantic; the search here follows `blueprint.config.find` exactly (a test keeps them agreeing).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

# As blueprint.config.CONFIG_NAMES (nearest directory wins; this order within one directory).
CONFIG_NAMES = (".blueprint.toml", "pyproject.toml")
# A table header [tool.blueprint] or [tool.blueprint.x] at the start of a line, as TOML may
# spell it: blanks around the dot, bare or quoted keys.
_TABLE = re.compile(
    rb"^[ \t]*\[[ \t]*(tool|\"tool\"|'tool')[ \t]*\.[ \t]*"
    rb"(blueprint|\"blueprint\"|'blueprint')[ \t]*[.\]]",
    re.MULTILINE,
)
# Every spelling that could name the table tool.blueprint: a dotted key or header, a [tool]
# table (its `blueprint` key), or `tool = {...}`. Where none appears, no parse can find it;
# where one does, the header test or tomllib decides. (Only a basic-string key spelled with
# \u escapes, such as "\u0074ool", would slip by.)
_MAY_NAME_THE_TABLE = re.compile(
    rb"tool[\"']?[ \t]*\.[ \t]*[\"']?blueprint|\[[ \t]*[\"']?tool[\"']?[ \t]*\]"
    rb"|tool[\"']?[ \t]*="
)
_MULTI_LINE_STRING = re.compile(rb"\"\"\"|'''")


def config_file(blueprint: Path) -> Path | None:
    """The repository configuration file governing `blueprint`, or None."""
    directory = blueprint.resolve().parent
    for candidate in (directory, *directory.parents):
        for name in CONFIG_NAMES:
            path = candidate / name
            try:
                data = path.read_bytes()
            except OSError:
                continue
            if name == "pyproject.toml" and not _configures_blueprint(data):
                continue
            return path
    return None


def _configures_blueprint(pyproject: bytes) -> bool:
    if b"blueprint" not in pyproject or not _MAY_NAME_THE_TABLE.search(pyproject):
        return False  # most pyproject.toml files are other tools': skip parsing them
    if not _MULTI_LINE_STRING.search(pyproject) and _TABLE.search(pyproject):
        # A [tool.blueprint] header, and no multi-line string it could hide in: yes, without
        # the 5 ms of importing tomllib. A file that does not parse is an input all the same
        # (blueprint.config reports it), as below.
        return True
    import tomllib  # only here: its import costs more than the whole no-op's file reads

    try:
        tool = tomllib.loads(pyproject.decode("utf-8")).get("tool", {})
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return True  # blueprint.config reports it
    return isinstance(tool, dict) and "blueprint" in tool


def input_hashes(blueprint: Path) -> dict[str, str]:
    """Each input file besides the blueprint (as a path relative to the working directory
    where it is inside it) -> the sha256 of its bytes."""
    config = config_file(blueprint)
    if config is None:
        return {}
    try:
        digest = hashlib.sha256(config.read_bytes()).hexdigest()
    except OSError:
        return {}
    return {_shown(config): digest}


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()
