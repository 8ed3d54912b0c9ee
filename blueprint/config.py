"""Repository configuration: `[tool.blueprint]` in pyproject.toml, or a `.blueprint.toml`,
found upward from the blueprint's directory (the nearest wins; `.blueprint.toml` before
pyproject.toml in one directory). Command-line flags override it; the blueprint's own
`policy.severity` (and its environment's) override its rule settings, being more specific.

```toml
[tool.blueprint]
fail-on = "warning"                 # default of `check --fail-on`
out = "out/{name}/{env}"            # output pattern of the pre-commit render hook
environments = ["dev", "prod"]      # environments the pre-commit hooks render and check

[[tool.blueprint.rules]]
rule = "BP3002"
severity = "off"                    # error, warning, note or off
environments = ["dev"]              # default: every environment, and none
reason = "dev workers are rebuilt from the topic; no buffer needed"
```
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from blueprint.errors import BlueprintError, Diagnostic

if TYPE_CHECKING:
    from blueprint.loader import Loaded

CONFIG_NAMES = (".blueprint.toml", "pyproject.toml")


class _Strict(BaseModel):
    # defer_build: the validators are built when a configuration file is read, not at every
    # import; EMPTY, for no file, is made without validation (tests/blueprint/
    # test_default_instances.py: it equals what validation gives).
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)


class RuleSetting(_Strict):
    rule: Annotated[str, Field(pattern=r"^BP\d{4}$")]
    severity: Literal["error", "warning", "note", "off"]
    environments: tuple[str, ...] = ()
    reason: Annotated[str, Field(min_length=10, max_length=2048)]

    def applies_to(self, environment: str | None) -> bool:
        return not self.environments or environment in self.environments


class Settings(_Strict):
    fail_on: Literal["error", "warning", "note"] | None = Field(default=None, alias="fail-on")
    out: Annotated[str, Field(min_length=1)] | None = None
    environments: tuple[str, ...] = ()
    rules: tuple[RuleSetting, ...] = ()


@dataclass(frozen=True)
class RepositoryConfig:
    path: Path | None  # None: no configuration file was found
    settings: Settings

    @property
    def shown(self) -> str:
        return self.path.as_posix() if self.path else "(none)"


@dataclass(frozen=True)
class Applied:
    """A rule setting the configuration applied to one check, for the check summary."""

    setting: RuleSetting
    source: str
    environment: str | None

    def describe(self) -> str:
        where = f" in environment {self.environment}" if self.setting.environments else ""
        return (
            f"config: {self.setting.rule} set to {self.setting.severity}{where} by "
            f"{self.source}: {self.setting.reason}"
        )


EMPTY = RepositoryConfig(None, Settings.model_construct())


def find(start: Path) -> RepositoryConfig:
    """The configuration governing a blueprint file (or a directory), found upward."""
    directory = start.resolve()
    if not directory.is_dir():
        directory = directory.parent
    return _find_from(directory)


def _find_from(directory: Path) -> RepositoryConfig:
    for candidate in (directory, *directory.parents):
        for name in CONFIG_NAMES:
            path = candidate / name
            if not path.is_file():
                continue
            config = _read(path, _display(path))
            if config is not None:
                return config
    return EMPTY


def _display(path: Path) -> Path:
    try:
        return path.relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def _read(path: Path, shown: Path) -> RepositoryConfig | None:
    text = path.read_text(encoding="utf-8")
    if path.name == "pyproject.toml" and "blueprint" not in text:
        return None  # most pyproject.toml files are other tools': skip parsing them
    import tomllib  # here: most checks find no configuration file to parse

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, col = _toml_position(str(exc))
        raise BlueprintError(
            [Diagnostic(shown.as_posix(), line, col, f"bad TOML: {exc}")]
        ) from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        if "blueprint" not in tool:
            return None  # a pyproject.toml of another tool: keep looking upward
        data = tool["blueprint"]
        prefix = "tool.blueprint."
    else:
        prefix = ""
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        raise BlueprintError(
            [
                Diagnostic(
                    shown.as_posix(), *_key_position(text, err["loc"]), _message(prefix, err)
                )
                for err in exc.errors()
            ]
        ) from None
    _check_rule_ids(shown, text, settings)
    return RepositoryConfig(shown, settings)


def _message(prefix: str, err: object) -> str:
    assert isinstance(err, dict)
    loc = prefix + ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in err["loc"])
    loc = loc.replace(".[", "[")
    found = err.get("input")
    shown = "" if isinstance(found, dict) else f"found {found!r}, "
    return f"{loc}: {shown}{err['msg'].lower()}"


def _check_rule_ids(shown: Path, text: str, settings: Settings) -> None:
    from policies.registry import BY_ID

    problems = [
        Diagnostic(
            shown.as_posix(),
            *_key_position(text, ("rules", index, "rule")),
            f"rules[{index}].rule: unknown rule {setting.rule}; `blueprint rules` lists the rules",
        )
        for index, setting in enumerate(settings.rules)
        if setting.rule not in BY_ID
    ]
    if problems:
        raise BlueprintError(problems)


def _toml_position(message: str) -> tuple[int, int]:
    match = re.search(r"line (\d+), column (\d+)", message)
    return (int(match.group(1)), int(match.group(2))) if match else (1, 1)


def _key_position(text: str, loc: tuple[object, ...] | object) -> tuple[int, int]:
    """Where a key is written (tomllib keeps no positions): the line that assigns the last
    named key of `loc`, counting `[[...rules]]` tables for an index; else line 1."""
    parts = list(loc) if isinstance(loc, tuple) else [loc]
    lines = text.splitlines()
    start = 0
    if len(parts) >= 2 and isinstance(parts[1], int):
        headers = [
            i
            for i, line in enumerate(lines)
            if re.match(rf"^\s*\[\[(tool\.blueprint\.)?{parts[0]}\]\]", line)
        ]
        if parts[1] < len(headers):
            start = headers[parts[1]]
    key = next((p for p in reversed(parts) if isinstance(p, str)), None)
    if key is not None:
        aliases = {key, key.replace("_", "-")}
        for i in range(start, len(lines)):
            match = re.match(r"^(\s*)([A-Za-z0-9_-]+)\s*=", lines[i])
            if match and match.group(2) in aliases:
                return i + 1, len(match.group(1)) + 1
    return start + 1, 1


def severity_overrides(
    config: RepositoryConfig, environment: str | None, declared: Mapping[str, str]
) -> tuple[dict[str, str], list[Applied]]:
    """The configuration's severities for one check (rules the blueprint itself sets keep the
    blueprint's), and what was applied, for the summary. The last matching setting wins."""
    chosen: dict[str, RuleSetting] = {}
    for setting in config.settings.rules:
        if setting.applies_to(environment) and setting.rule not in declared:
            chosen[setting.rule] = setting
    applied = [Applied(s, config.shown, environment) for s in chosen.values()]
    return {rule: s.severity for rule, s in chosen.items()}, applied


def configured(loaded: Loaded, path: Path, environment: str | None) -> tuple[Loaded, list[Applied]]:
    """The loaded blueprint with the repository configuration's severities merged under its
    own, so every command (check, render, manifests) judges findings the same way."""
    config = find(path)
    if not config.settings.rules:
        return loaded, []
    bp = loaded.blueprint
    overrides, applied = severity_overrides(config, environment, bp.policy.severity)
    if not overrides:
        return loaded, applied
    policy = bp.policy.model_copy(update={"severity": {**overrides, **bp.policy.severity}})
    return replace(loaded, blueprint=bp.model_copy(update={"policy": policy})), applied
