"""Deterministic YAML: sorted keys, block style, and every string that any YAML 1.1 or 1.2
reader could take for something else (yes, on, 1e3, 0o17, ~, ...) quoted."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import yaml

# Plain scalars that YAML 1.2 core (and JSON) resolve to non-strings, beyond PyYAML's 1.1 set.
_YAML12_SPECIAL = re.compile(
    r"""^(?:
        [-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?   # 1e3, .5, 1.
      | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)
      | [-+]?0[oO][0-7_]+ | [-+]?0[xX][0-9a-fA-F_]+ | [-+]?0[bB][01_]+   # yaml-rs: any case
      | null|Null|NULL|~|true|True|TRUE|false|False|FALSE
      | y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF
      | [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*
      | [-+]?[0-9][0-9_:]*(?:\.[0-9_]*)?
    )$""",
    re.VERBOSE,
)


# Go's YAML readers (Helm's values, kubectl) and yaml-rs also resolve plain scalars that start
# like a number after dropping every underscore, with 0x/0o/0b prefixes in either case and a
# sign: `+_1`, `0X1`, `1e_3`, `-0o7`, `_0` all come back as numbers unless quoted.
_NUMBER_START = frozenset("+-._0123456789")
_UNDERSCORE_FREE_NUMBER = re.compile(
    r"""^[-+]?(?:
        0x[0-9a-f]+ | 0o[0-7]+ | 0b[01]+
      | (?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[-+]?[0-9]+)?
      | inf | infinity | nan
    )$""",
    re.VERBOSE | re.IGNORECASE,
)


def _read_as_number(value: str) -> bool:
    return (
        value[:1] in _NUMBER_START
        and _UNDERSCORE_FREE_NUMBER.match(value.replace("_", "")) is not None
    )


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    needs_quotes = (
        _YAML12_SPECIAL.match(value) is not None
        or _read_as_number(value)
        or value != value.strip()
        # Line breaks, including the Unicode ones YAML folds (NEL, LS, PS), only survive
        # escaped in a double-quoted scalar.
        or any(ch in value for ch in "\n\r\x85\u2028\u2029")
        or value == ""
    )
    style = '"' if needs_quotes else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump(data: Any) -> str:
    """One YAML document, keys sorted, no flow style, unicode kept."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=True,
        default_flow_style=False,
        allow_unicode=True,
        width=2**31 - 1,
        explicit_start=False,
    )


def dump_all(documents: Iterable[Any]) -> str:
    """Several documents separated by `---`."""
    return "---\n".join(dump(doc) for doc in documents)
