"""The part of a blueprint that passed the schema, so that one run reports every problem.

When the schema refuses some entries, the entries it refused are set aside and the rest is
validated again; the cross-reference and support checks then run on what remains, and
references to the set-aside names are not reported (their entry already has its error).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from blueprint.model import Blueprint

# Sections that are maps of named entries: a bad entry is set aside, its siblings stay.
_NAMED_SECTIONS = frozenset(
    {"services", "jobs", "resources", "ingress", "networks", "environments"}
)
_IDENTITY_SECTIONS = frozenset({"scopes", "principals"})
# Sections no cross-reference depends on: a bad one is dropped whole.
_INDEPENDENT = frozenset({"description", "policy", "gitops", "monitoring"})


@dataclass(frozen=True)
class ValidPart:
    blueprint: Blueprint
    dropped: frozenset[str]  # names of the entries set aside


def valid_part(data: object, errors: Sequence[ErrorDetails]) -> ValidPart | None:
    """The blueprint without what the schema refused, or None when what is wrong is what
    everything else depends on (the platforms, a whole section, the top level).

    First unknown keys go (an unknown `helth` leaves its service checked: removing it changes
    nothing else); then the entries holding the remaining problems are set aside whole, since a
    value dropped from them would be reported again as missing."""
    if not isinstance(data, dict):
        return None
    trimmed = copy.deepcopy(data)
    for err in errors:
        if err["type"] == "extra_forbidden":
            _drop_leaf(trimmed, err["loc"])
    try:
        return ValidPart(Blueprint.model_validate(trimmed), frozenset())
    except ValidationError as exc:
        remaining = exc.errors()
    part: dict[str, Any] = dict(trimmed)
    dropped: set[str] = set()
    for err in remaining:
        if not _set_aside(part, trimmed, err["loc"], dropped):
            return None
    try:
        return ValidPart(Blueprint.model_validate(part), frozenset(dropped))
    except ValidationError:
        return None


def _drop_leaf(data: dict[str, Any], loc: tuple[Any, ...]) -> None:
    """Remove the key an error points at."""
    node: Any = data
    for part in loc[:-1]:
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_list or (isinstance(node, dict) and part in node):
            node = node[part]
        elif isinstance(node, dict):
            continue  # a union branch label (load-balancer, str, ...): not a key of the data
        else:
            return
    if isinstance(node, dict):
        node.pop(loc[-1], None)


def _set_aside(
    part: dict[str, Any], data: dict[str, Any], loc: tuple[Any, ...], dropped: set[str]
) -> bool:
    section = loc[0] if loc else None
    if section == "name" and len(loc) == 1:
        part["name"] = "blueprint"
        return True
    if section in _INDEPENDENT or (len(loc) == 1 and section not in Blueprint.model_fields):
        part.pop(str(section), None)
        return True
    if section in _NAMED_SECTIONS and len(loc) >= 2:
        return _drop_entry(part, data, str(section), loc[1], dropped)
    if section == "identity" and len(loc) >= 3 and loc[1] in _IDENTITY_SECTIONS:
        identity = part.get("identity")
        if not isinstance(identity, dict):
            return False
        part["identity"] = dict(identity)
        return _drop_entry(part["identity"], identity, str(loc[1]), loc[2], dropped)
    return False


def _drop_entry(
    part: dict[str, Any], data: dict[str, Any], section: str, name: object, dropped: set[str]
) -> bool:
    entries: Any = part.get(section)
    if not isinstance(entries, dict):
        return False
    shared = entries is data.get(section)
    if shared:
        entries = dict(entries)  # copy before the first change
        part[section] = entries
    entries.pop(name, None)
    dropped.add(str(name))
    return True
