"""Reading the positioned tree: plain Python values, paths, and the list-or-mapping forms Compose
accepts for environment, labels, ``depends_on``, networks...
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from dockerls.parse.compose.yaml_tree import Mapping, Node, Pair, Scalar, Sequence, key_text

PathPart = "str | int"


def to_python(node: Node | None) -> Any:
    """The node as plain values (dicts, lists, scalars).  Shared (aliased) nodes give shared
    values, so this is linear in the tree; callers that walk the result must mind ``node.size``."""
    return None if node is None else _convert(node, {})


def _convert(n: Any, memo: dict[int, Any]) -> Any:  # Any: dispatch on type(n), which mypy does not narrow
    # A module function, not a closure: a recursive closure is a reference cycle that would keep
    # ``memo`` (every converted value) until the cyclic collector runs.
    t = type(n)
    if t is Scalar:
        return n.value
    cached = memo.get(id(n))
    if cached is not None:
        return cached
    if t is Mapping:
        out: Any = {}
        memo[id(n)] = out
        for pair in n.pairs:
            out[pair.name] = _convert(pair.value, memo)
    else:
        out = []
        memo[id(n)] = out
        out.extend(_convert(item, memo) for item in n.items)
    return out


def node_at(root: Node | None, path) -> tuple[Node | None, Pair | None]:
    """The node at a path of keys and indexes, and the pair holding it (None for list items)."""
    node, pair = root, None
    for part in path:
        if type(node) is Mapping:
            pair = node.pair(str(part))
            node = pair.value if pair is not None else None
        elif type(node) is Sequence and isinstance(part, int) and 0 <= part < len(node.items):
            node, pair = node.items[part], None
        else:
            return None, None
    return node, pair


def format_path(path) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def text_of(node: Node | None) -> str | None:
    """A scalar's value as a string (numbers and booleans as YAML writes them); None otherwise."""
    if type(node) is not Scalar or node.value is None:
        return None
    value = node.value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if not isinstance(value, str) else value


@dataclass(slots=True)
class Entry:
    """One entry of a list-or-mapping: ``KEY=VALUE`` in a list, or ``KEY: VALUE`` in a mapping."""

    name: str
    value: str | None  # None: the key alone (``- KEY`` or ``KEY:``)
    node: Node  # the list item or the mapping's key
    value_node: Node | None  # the mapping's value; the list item itself for ``KEY=VALUE``
    value_start: int  # document offsets of the value text (for a list item, after the ``=``)
    value_end: int


def entries(node: Node | None, separator: str = "=") -> Iterator[Entry]:
    """Entries of ``environment``, ``labels``, ``build.args``, ``extra_hosts``... in either form."""
    if type(node) is Mapping:
        for pair in node.pairs:
            value = pair.value
            text = text_of(value)
            yield Entry(pair.name, text, pair.key, value, value.start, value.end)
    elif type(node) is Sequence:
        for item in node.items:
            text = text_of(item)
            if text is None:
                continue
            name, sep, entry_value = text.partition(separator)
            if not sep:
                yield Entry(name, None, item, None, item.end, item.end)
                continue
            start = end = item.end
            if type(item) is Scalar and item.style in ("", "'", '"') and not item.interpolated:
                raw_start = item.content_start()
                source = item.doc.text[raw_start : raw_start + len(item.text)]
                at = source.find(separator)
                if source == item.text and at >= 0:
                    start, end = raw_start + at + len(separator), raw_start + len(item.text)
            yield Entry(name, entry_value, item, item, start, end)


def names(node: Node | None) -> Iterator[tuple[str, Node]]:
    """Names of a list-or-mapping of names (``depends_on``, service ``networks``, ``profiles``)."""
    if type(node) is Mapping:
        for pair in node.pairs:
            yield pair.name, pair.key
    elif type(node) is Sequence:
        for item in node.items:
            text = text_of(item)
            if text is not None:
                yield text, item
    elif type(node) is Scalar and (text := text_of(node)) is not None:
        yield text, node


def string_list(node: Node | None) -> list[tuple[str, Node]]:
    """A string or a list of strings (``env_file``, ``dns``...)."""
    return list(names(node)) if type(node) is not Mapping else []


__all__ = ["Entry", "entries", "format_path", "key_text", "names", "node_at", "string_list", "text_of", "to_python"]
