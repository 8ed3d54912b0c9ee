"""overrides.bicep: extra modules, written as given next to main.bicep and deployed from it.

Each module becomes `azure/bicep/<name>` and one `module` declaration at the end of main.bicep,
passing the blueprint's `params` (quoted literals) and, for a declared `location` or
`nameSuffix` the blueprint does not set, main.bicep's own. The module's text is the user's own
Bicep; nothing of the blueprint is interpolated into it.
"""

from __future__ import annotations

import hashlib
import re

from blueprint.errors import Problem
from blueprint.model import Blueprint
from blueprint.model.overrides import BICEP_MAIN_PARAMS, BicepModule, bicep_params
from blueprint.view import SystemView
from generators.common.quoting import bicep_string

BICEP_DIR = "azure/bicep"
MAIN = f"{BICEP_DIR}/main.bicep"
_NOT_SYMBOL = re.compile(r"[^A-Za-z0-9]+")
_MAX_DEPLOYMENT_NAME = 64


def _deployment_name(stem: str) -> str:
    name = f"override-{stem}"
    if len(name) <= _MAX_DEPLOYMENT_NAME:
        return name
    digest = hashlib.sha256(stem.encode()).hexdigest()[:12]
    return f"{name[: _MAX_DEPLOYMENT_NAME - 13]}-{digest}"


def _value(value: str | int | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return bicep_string(value)


def _declaration(symbol: str, file_name: str, module: BicepModule) -> str:
    stem = _NOT_SYMBOL.sub("-", file_name.removesuffix(".bicep")).strip("-")
    params = {name: _value(v) for name, v in module.params.items()}
    for name in BICEP_MAIN_PARAMS:
        if name in bicep_params(module.content) and name not in params:
            params[name] = name
    lines = [
        "",
        f"module {symbol} {bicep_string(file_name)} = {{",
        f"  name: {bicep_string(_deployment_name(stem))}",
    ]
    if params:
        lines.append("  params: {")
        lines.extend(f"    {name}: {value}" for name, value in sorted(params.items()))
        lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _symbols(names: list[str]) -> dict[str, str]:
    """A Bicep symbol per file name, unique (a-b.bicep and a_b.bicep differ by a suffix)."""
    out: dict[str, str] = {}
    for name in names:
        symbol = "override_" + _NOT_SYMBOL.sub("_", name.removesuffix(".bicep")).strip("_")
        candidate, n = symbol, 2
        while candidate in out.values():
            candidate, n = f"{symbol}_{n}", n + 1
        out[name] = candidate
    return out


def with_extra_modules(files: dict[str, str], bp: Blueprint) -> dict[str, str]:
    """The azure generator's files with the blueprint's modules added and declared."""
    bicep = bp.overrides.bicep
    modules = dict(sorted(bicep.modules.items())) if bicep else {}
    if not modules or MAIN not in files:
        return files
    symbols = _symbols(list(modules))
    main = files[MAIN].rstrip("\n") + "\n\n// overrides.bicep: extra modules, deployed as given\n"
    main += "".join(_declaration(symbols[n], n, m) for n, m in modules.items())
    out = {**files, MAIN: main}
    for name, module in modules.items():
        text = module.content
        out[f"{BICEP_DIR}/{name}"] = text if text.endswith("\n") else text + "\n"
    return out


def module_problems(view: SystemView) -> list[Problem]:
    """Modules for a blueprint that renders no Bicep would be dropped: refuse them."""
    from generators.azure.plan import applies_to

    bicep = view.blueprint.overrides.bicep
    if bicep is None or not bicep.modules or view.blueprint.platforms.azure is None:
        return []  # no platforms.azure: a reference error already
    if applies_to(view):
        return []
    return [
        Problem(
            ("overrides", "bicep"),
            "found overrides for azure/bicep/, which this blueprint does not render; expected "
            "a workload or a resource on azure",
            at_key=True,
        )
    ]
