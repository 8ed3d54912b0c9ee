"""Deterministic YAML: sorted keys, block style, and every string that any YAML 1.1 or 1.2
reader could take for something else (yes, on, 1e3, 0o17, ~, ...) quoted."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

import yaml

from generators.common import yaml_text

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


# Keys and most values repeat across thousands of documents (apiVersion, metadata, port names):
# deciding once per distinct string keeps quoting off the profile of a large render.
@functools.lru_cache(maxsize=65536)
def _needs_quotes(value: str) -> bool:
    return (
        _YAML12_SPECIAL.match(value) is not None
        or _read_as_number(value)
        or value != value.strip()
        # Line breaks, including the Unicode ones YAML folds (NEL, LS, PS), only survive
        # escaped in a double-quoted scalar.
        or any(ch in value for ch in "\n\r\x85\u2028\u2029")
        or value == ""
    )


_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()


@functools.lru_cache(maxsize=65536)
def _scalar_tag(value: str, implicit: tuple[bool, bool]) -> Any:
    # types-PyYAML leaves Resolver.resolve unannotated.
    return _RESOLVER.resolve(yaml.ScalarNode, value, implicit)  # type: ignore[no-untyped-call]


class _Fast:
    # A mixin placed before PyYAML's dumper classes: mypy cannot see the representer and the
    # resolver that super() reaches, hence the two `ignore[misc]` below.
    """Shortcuts through PyYAML's representer and resolver for what a render dumps by the
    hundred thousand (a 500-service Kubernetes render: 230,000 scalars), with the same nodes:
    strings skip the generic type dispatch and alias bookkeeping (they never get anchors), and
    the emitter's two questions per scalar ("may its tag stay implicit?") are answered once per
    distinct value."""

    def represent_data(self, data: Any) -> Any:
        if type(data) is str:
            return self.represent_str_node(data)
        return super().represent_data(data)  # type: ignore[misc]

    def represent_str_node(self, value: str) -> yaml.ScalarNode:
        return yaml.ScalarNode(_STR_TAG, value, style='"' if _needs_quotes(value) else None)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and type(value) is str:
            return _scalar_tag(value, tuple(implicit))
        return super().resolve(kind, value, implicit)  # type: ignore[misc]


class _Dumper(_Fast, yaml.SafeDumper):
    pass


class _LibyamlDiffersError(Exception):
    """The document holds something libyaml writes differently (see `_same_in_libyaml`)."""


# libyaml's emitter (CSafeDumper) is four to five times faster than PyYAML's pure-Python one and
# writes the same bytes for the same events, except for the cases `_same_in_libyaml` rules out;
# its representer checks them as it goes (`_LibyamlDiffersError`), and `dump` then uses the
# Python one (tests/generators/common/test_yamldump.py compares the two on generated documents).
_CDumper: type[yaml.CSafeDumper] | None = None
if hasattr(yaml, "CSafeDumper"):

    class _CDumperClass(_Fast, yaml.CSafeDumper):
        def represent_str_node(self, value: str) -> yaml.ScalarNode:
            if not value.isascii() and _LIBYAML_DIFFERS.search(value):
                raise _LibyamlDiffersError
            return super().represent_str_node(value)

        def represent_mapping(self, tag: str, mapping: Any, flow_style: Any = None) -> Any:
            for key in mapping:
                if isinstance(key, str) and not (
                    0 < len(key) < 128 and key.isascii() and key.isprintable()
                ):
                    raise _LibyamlDiffersError
            return super().represent_mapping(tag, mapping, flow_style)

    _CDumper = _CDumperClass

# Characters whose handling differs between the two emitters: libyaml escapes everything beyond
# the Basic Multilingual Plane and the byte-order mark, and refuses lone surrogates.
_LIBYAML_DIFFERS = re.compile("[\ud800-\udfff\ufeff\U00010000-\U0010ffff]")


def _represent_str(dumper: yaml.SafeDumper | yaml.CSafeDumper, value: str) -> yaml.ScalarNode:
    """Strings of subclasses of str (the exact type takes `_Fast`'s shortcut)."""
    style = '"' if _needs_quotes(value) else None
    return dumper.represent_scalar(_STR_TAG, value, style=style)


_Dumper.add_representer(str, _represent_str)
if _CDumper is not None:
    _CDumper.add_representer(str, _represent_str)


def _same_in_libyaml(data: Any) -> bool:
    """Whether libyaml writes `data` exactly as PyYAML's emitter does: a mapping or sequence at
    the top (PyYAML ends a bare top-level scalar with `...`), keys that are printable ASCII and
    shorter than 128 characters (the emitters disagree on when an empty, long or control-
    character key needs the `? key` form), and no string with a character `_LIBYAML_DIFFERS`
    names."""
    if not isinstance(data, dict | list):
        return False
    stack: list[Any] = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, str) and not (
                    0 < len(key) < 128 and key.isascii() and key.isprintable()
                ):
                    return False
                stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, str) and not node.isascii() and _LIBYAML_DIFFERS.search(node):
            return False
    return True


def _plain_tag(value: str) -> Any:
    """The tag a plain scalar `value` resolves to."""
    return _scalar_tag(value, (True, False))


def dump(data: Any) -> str:
    """One YAML document, keys sorted, no flow style, unicode kept."""
    if isinstance(data, dict | list):
        # Plain data (nearly every document) is written directly; the rest through PyYAML.
        try:
            return yaml_text.dump(data, _needs_quotes, _plain_tag)
        except yaml_text.Unsupported:
            pass
    if _CDumper is not None and isinstance(data, dict | list):
        try:
            return _dump(data, _CDumper)
        except _LibyamlDiffersError:
            pass
    return _dump(data, _Dumper)


def _dump(data: Any, dumper: Any) -> str:
    return yaml.dump(
        data,
        Dumper=dumper,
        sort_keys=True,
        default_flow_style=False,
        allow_unicode=True,
        width=2**31 - 1,
        explicit_start=False,
    )


def dump_all(documents: Iterable[Any]) -> str:
    """Several documents separated by `---`."""
    return "---\n".join(dump(doc) for doc in documents)
