"""Where a path of the blueprint stands in its YAML text.

The fast parser keeps no marks, so positions are found only for what is reported: the text is
composed once more with PyYAML (libyaml when present), which builds nodes with marks but does
not construct or expand anything. PyYAML is imported only then: a valid blueprint never pays
for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from blueprint.errors import Path
from blueprint.yaml_parse import NON_STRING_LOOKS

if TYPE_CHECKING:
    import yaml

_T = TypeVar("_T")

# The tags of the YAML 1.2 core schema; any other tag (!!python/object, !Ref, ...) is refused.
CORE_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq")
)


_MAYBE_NOT_A_STRING = re.compile(NON_STRING_LOOKS)


def _as_key(value: object) -> object:
    """A parsed collection as the parser holds it when it is a key: a list as a tuple, a
    mapping as a frozenset of its items."""
    if isinstance(value, list):
        return tuple(_as_key(v) for v in value)
    if isinstance(value, dict):
        return frozenset((_as_key(k), _as_key(v)) for k, v in value.items())
    return value


def _loader() -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _with_fallback(read: Callable[[Any], _T]) -> _T:
    """`read(loader)` with libyaml, and again with PyYAML's own loader when libyaml refuses
    the text: libyaml rejects some YAML that PyYAML and the blueprint's parser accept (a flow
    entry `[k:]`), and positions there would all be 1:1."""
    import yaml

    fast = _loader()
    try:
        return read(fast)
    except yaml.YAMLError:
        if fast is yaml.SafeLoader:
            raise
        return read(yaml.SafeLoader)


@dataclass
class SourceMap:
    text: str
    _root: yaml.Node | None = field(default=None, init=False)
    _composed: bool = field(default=False, init=False)
    # Mapping node id -> {key text: (key node, value node)}, built on first lookup so that
    # reporting thousands of problems in a large file stays linear.
    _keys: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = field(
        default_factory=dict, init=False
    )
    # Mapping node id -> [(key value, key node, value node)] for the keys that are not strings.
    _other_keys: dict[int, list[tuple[tuple[object], yaml.Node, yaml.Node]]] = field(
        default_factory=dict, init=False
    )

    def _compose(self) -> yaml.Node | None:
        if not self._composed:
            import yaml

            self._composed = True
            try:
                self._root = _with_fallback(lambda loader: yaml.compose(self.text, Loader=loader))
            except yaml.YAMLError:
                self._root = None
        return self._root

    def locate(self, path: Path, *, at_key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the deepest node along `path` that exists."""
        import yaml

        node = self._compose()
        if node is None:
            return (1, 1)
        mark = node.start_mark
        for i, part in enumerate(path):
            last = i == len(path) - 1
            if isinstance(node, yaml.MappingNode):
                found = self._lookup(node, part)
                if found is None:
                    break
                key, value = found
                mark = key.start_mark if (last and at_key) else value.start_mark
                node = value
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if not 0 <= part < len(node.value):
                    break
                node = node.value[part]
                mark = node.start_mark
            else:
                break
        return (mark.line + 1, mark.column + 1)

    def _lookup(
        self, node: yaml.MappingNode, part: str | int
    ) -> tuple[yaml.Node, yaml.Node] | None:
        import yaml

        index = self._keys.get(id(node))
        if index is None:
            index = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    index.setdefault(str(key.value), (key, value))  # the first of duplicates
            self._keys[id(node)] = index
        found = index.get(str(part))
        if found is None:
            found = self._other_key(node, part)
        return found

    def _other_key(
        self, node: yaml.MappingNode, part: str | int
    ) -> tuple[yaml.Node, yaml.Node] | None:
        """The entry whose key is not a string: a boolean, a number spelled otherwise than
        Python spells it, a list or a mapping. pydantic names such a key in an error by its
        value (`True` as 1) or by the `str()` of what the parser made of it (a mapping key is
        a frozenset of its items)."""
        entries = self._other_keys.get(id(node))
        if entries is None:
            entries = self._other_keys[id(node)] = [
                (value, key, item) for key, item in node.value if (value := self._key_value(key))
            ]
        for value, key, item in entries:
            if value[0] == part or str(value[0]) == part:
                return key, item
        return None

    def _key_value(self, key: yaml.Node) -> tuple[object] | None:
        """What the blueprint's parser makes of a key that may not be a string, in a 1-tuple;
        None for a plain string key or a text it cannot read alone."""
        import yaml
        import yaml_rs

        if isinstance(key, yaml.ScalarNode) and (
            key.style or not _MAYBE_NOT_A_STRING.fullmatch(key.value)
        ):
            return None
        # Its text, indented as it stands, so that a block collection's later lines line up.
        text = " " * key.start_mark.column + self.text[key.start_mark.index : key.end_mark.index]
        try:
            value = _as_key(yaml_rs.loads(text, parse_datetime=False))
        except (yaml_rs.YAMLDecodeError, TypeError, ValueError):
            return None
        return None if isinstance(value, str) else (value,)

    def duplicate_keys(self) -> list[tuple[Path, str, int, int, int]]:
        """Every repeated mapping key: (path, key, line, col, first line)."""
        import yaml

        root = self._compose()
        found: list[tuple[Path, str, int, int, int]] = []
        stack: list[tuple[yaml.Node, Path]] = [(root, ())] if root is not None else []
        visited: set[int] = set()  # aliases share nodes: visit each once
        while stack:
            node, path = stack.pop()
            if id(node) in visited:
                continue
            visited.add(id(node))
            if isinstance(node, yaml.MappingNode):
                seen: dict[str, int] = {}
                for key, value in node.value:
                    name = str(key.value)
                    if name in seen:
                        found.append(
                            (
                                path,
                                name,
                                key.start_mark.line + 1,
                                key.start_mark.column + 1,
                                seen[name],
                            )
                        )
                    else:
                        seen[name] = key.start_mark.line + 1
                    stack.append((value, (*path, name)))
            elif isinstance(node, yaml.SequenceNode):
                stack.extend((child, (*path, i)) for i, child in enumerate(node.value))
        return sorted(found, key=lambda f: (f[2], f[3]))

    def _events(self) -> list[Any]:
        """The parser's events (no construction, no alias expansion); empty if PyYAML fails."""
        import yaml

        try:
            return _with_fallback(lambda loader: list(yaml.parse(self.text, Loader=loader)))
        except yaml.YAMLError:
            return []

    def document_starts(self) -> list[tuple[int, int]]:
        """(line, col) of every document in the stream."""
        import yaml

        return [
            _position(e.start_mark)
            for e in self._events()
            if isinstance(e, yaml.DocumentStartEvent)
        ]

    def foreign_tags(self) -> list[tuple[str, int, int]]:
        """Every tag outside the YAML 1.2 core schema: (tag, line, col)."""
        import yaml

        found = []
        for event in self._events():
            tag = getattr(event, "tag", None)
            if (
                isinstance(event, yaml.NodeEvent)
                and tag is not None
                and tag not in CORE_TAGS
                and tag != "!"  # the non-specific tag of a quoted scalar
            ):
                found.append((tag, *_position(event.start_mark)))
        return found

    def first_complex_key(self) -> tuple[int, int] | None:
        """Where the first mapping key that is a list or a mapping starts."""
        import yaml

        depth: list[tuple[bool, int]] = []  # per open collection: (is a mapping, items seen)
        for event in self._events():
            is_key = bool(depth) and depth[-1][0] and depth[-1][1] % 2 == 0
            if isinstance(event, yaml.CollectionStartEvent):
                if is_key:
                    return _position(event.start_mark)
                depth.append((isinstance(event, yaml.MappingStartEvent), 0))
            elif isinstance(event, yaml.CollectionEndEvent):
                depth.pop()
                if depth:
                    depth[-1] = (depth[-1][0], depth[-1][1] + 1)
            elif isinstance(event, yaml.ScalarEvent | yaml.AliasEvent) and depth:
                depth[-1] = (depth[-1][0], depth[-1][1] + 1)
        return None

    def first_alias(self) -> tuple[int, int] | None:
        import yaml

        for event in self._events():
            if isinstance(event, yaml.AliasEvent):
                return _position(event.start_mark)
        return None


def _position(mark: Any) -> tuple[int, int]:
    """1-based (line, column) of a PyYAML mark (events always carry one)."""
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
