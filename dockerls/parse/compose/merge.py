"""Merging Compose files (``docker compose -f a.yaml -f b.yaml``) and services (``extends``).

The rules of the Compose Specification ("Merge and override"), as Docker Compose applies them:

* mappings merge key by key; a scalar in the later file wins;
* sequences append; ``command``, ``entrypoint`` and ``healthcheck.test`` are replaced instead;
* ``ports``, ``volumes``, ``secrets``, ``configs``, ``devices`` and ``env_file`` hold unique entries:
  a later entry with the same key (the target path; for ports ip/target/published/protocol)
  replaces the earlier one;
* ``environment``, ``labels``, ``build.args``, ``extra_hosts``... may be lists (``KEY=VALUE``) or
  mappings: entries merge by key, whatever the form; ``depends_on`` and a service's ``networks``
  likewise by name;
* lists of plain values (``dns``, ``expose``, ``cap_add``, ``profiles``...) append without duplicates;
* ``logging`` with a different driver replaces the earlier one;
* ``!reset`` removes a value, ``!override`` replaces it without merging.

Merged containers are new nodes; their entries keep the nodes (and so the file and position) they
came from.
"""

from __future__ import annotations

from typing import Callable

from dockerls.parse.compose.syntax import parse_mount, parse_port
from dockerls.parse.compose.values import text_of
from dockerls.parse.compose.yaml_tree import Mapping, Node, Pair, Scalar, Sequence

RESET = "!reset"
OVERRIDE = "!override"

_REPLACED = {("services", "*", "command"), ("services", "*", "entrypoint"),
             ("services", "*", "healthcheck", "test")}
_KEYED = {("services", "*", k) for k in ("environment", "labels", "annotations", "sysctls", "extra_hosts")} | {
    ("services", "*", "build", k) for k in ("args", "labels", "additional_contexts", "extra_hosts")} | {
    ("services", "*", "deploy", "labels"), ("networks", "*", "labels"), ("volumes", "*", "labels"),
    ("secrets", "*", "labels"), ("configs", "*", "labels")}
_NAMED = {("services", "*", "depends_on"), ("services", "*", "networks")}
_NAMED_COLLECTIONS = {("services",), ("volumes",), ("networks",), ("secrets",), ("configs",), ("models",),
                      ("jobs",), ("services", "*", "ulimits")}


def _unique_key(path: tuple) -> Callable[[Node], object] | None:
    if len(path) != 3 or path[0] != "services":
        return None
    attribute = path[2]
    if attribute == "ports":
        return lambda n: (spec.key if (spec := parse_port(n)) else id(n))
    if attribute == "volumes":
        return lambda n: (m.target if (m := parse_mount(n)) and m.target else id(n))
    if attribute in ("secrets", "configs"):
        return _secret_target
    if attribute == "devices":
        return lambda n: _device_target(n)
    if attribute in ("env_file", "label_file"):
        return lambda n: text_of(n.get("path") if type(n) is Mapping else n) or id(n)
    return None


def _secret_target(node: Node) -> object:
    if type(node) is Mapping:
        return text_of(node.get("target")) or text_of(node.get("source")) or id(node)
    return text_of(node) or id(node)


def _device_target(node: Node) -> object:
    if type(node) is Mapping:
        return text_of(node.get("target")) or id(node)
    text = text_of(node) or ""
    parts = text.split(":")
    return parts[1] if len(parts) > 1 else (text or id(node))


def _pattern(path: tuple) -> tuple:
    """The path with names (of services, volumes...) replaced by ``*``."""
    out: list[str] = []
    for part in path:
        out.append("*" if tuple(out) in _NAMED_COLLECTIONS else part)
    return tuple(out)


def merge(base: Node | None, over: Node | None, path: tuple = ()) -> Node | None:
    """``over`` merged onto ``base`` at ``path`` (keys from the top of the file)."""
    if over is None:
        return base
    if over.tag == RESET:
        return None
    if base is None or over.tag == OVERRIDE:
        return over
    pattern = _pattern(path)
    if pattern in _REPLACED:
        return over
    if pattern == ("services", "*", "build"):
        base, over = _build_mapping(base), _build_mapping(over)
        return merge_mappings(base, over, path) if type(base) is Mapping and type(over) is Mapping else over
    if pattern == ("services", "*", "logging") and type(base) is Mapping and type(over) is Mapping:
        driver, new_driver = text_of(base.get("driver")), text_of(over.get("driver"))
        if driver and new_driver and driver != new_driver:
            return over
    if pattern in _KEYED:
        return _merge_keyed(base, over, "=" if path[-1] not in ("extra_hosts",) else None)
    if pattern in _NAMED:
        return _merge_keyed(base, over, None, names_only=True)
    if type(base) is Mapping and type(over) is Mapping:
        return merge_mappings(base, over, path)
    if type(base) is Sequence and type(over) is Sequence:
        unique = _unique_key(pattern)
        if unique is not None:
            return _merge_unique(base, over, unique)
        if pattern[:1] == ("services",) and len(pattern) == 3:
            return _merge_unique(base, over, lambda n: text_of(n) if text_of(n) is not None else id(n))
        return _sequence(base, base.items + over.items)
    return over


def merge_mappings(base: Mapping, over: Mapping, path: tuple) -> Mapping:
    out = Mapping(base.doc, base.start, base.end, None, base.flow)
    for pair in base.pairs:
        out.add(pair)
    for pair in over.pairs:
        name = pair.name
        old = out.pair(name)
        if pair.value.tag == RESET:
            out.remove(name)
            continue
        if old is None:
            out.add(pair)
            continue
        value = merge(old.value, pair.value, path + (name,))
        if value is None:
            out.remove(name)
        else:
            out.add(Pair(old.key, value, pair.merged))
    return out


def _sequence(like: Sequence, items: list[Node]) -> Sequence:
    out = Sequence(like.doc, like.start, like.end, None, like.flow)
    out.items = items
    return out


def _merge_unique(base: Sequence, over: Sequence, key: Callable[[Node], object]) -> Sequence:
    """Base entries in order, each replaced by a later entry with the same key; new entries after."""
    later: dict = {}
    for n in over.items:
        later[key(n)] = n  # the last of duplicates wins
    items: list[Node] = []
    seen: set = set()
    for n in base.items + over.items:
        k = key(n)
        if k not in seen:
            seen.add(k)
            items.append(later.get(k, n))
    return _sequence(base, items)


def _entry_name(node: Node, separator: str | None) -> str | None:
    text = text_of(node)
    if text is None:
        return None
    if separator is None:  # extra_hosts: "host=ip" or "host:ip"
        for sep in ("=", ":"):
            if sep in text:
                return text.split(sep, 1)[0]
        return text
    return text.split(separator, 1)[0]


def _merge_keyed(base: Node, over: Node, separator: str | None, names_only: bool = False) -> Node:
    """Merge two list-or-mapping values by entry name."""
    if type(base) is Mapping and type(over) is Mapping:
        out = Mapping(base.doc, base.start, base.end, None, base.flow)
        for pair in base.pairs:
            out.add(pair)
        for pair in over.pairs:
            if pair.value.tag == RESET:
                out.remove(pair.name)
            elif names_only and pair.name in out and type(pair.value) is Mapping \
                    and type(before := out.pair(pair.name)) is Pair and type(before.value) is Mapping:
                out.add(Pair(before.key, merge_mappings(before.value, pair.value, ()), pair.merged))
            else:
                out.add(pair)
        return out
    if type(base) is Sequence and type(over) is Sequence:
        return _merge_unique(base, over, lambda n: _entry_name(n, separator) or id(n))
    mapping, listing = (base, over) if type(base) is Mapping else (over, base)
    if type(mapping) is not Mapping or type(listing) is not Sequence:
        return over
    converted = _as_mapping(listing, separator)
    return _merge_keyed(converted, mapping, separator, names_only) if listing is base else \
        _merge_keyed(mapping, converted, separator, names_only)


def _as_mapping(seq: Sequence, separator: str | None) -> Mapping:
    """A ``KEY=VALUE`` list as a mapping whose keys and values are the list items themselves."""
    out = Mapping(seq.doc, seq.start, seq.end, None, seq.flow)
    for item in seq.items:
        name = _entry_name(item, separator)
        if name is None:
            continue
        text = text_of(item) or ""
        rest = text[len(name) + 1 :] if len(text) > len(name) else None
        key = Scalar(item.doc, item.start, item.end, None, name, name, "")
        value = Scalar(item.doc, item.start, item.end, None, rest, rest or "", "")
        value.interpolated = getattr(item, "interpolated", False)
        out.add(Pair(key, value))
    return out


def _build_mapping(node: Node) -> Node:
    """``build: ./dir`` as ``build: {context: ./dir}``."""
    if type(node) is not Scalar:
        return node
    out = Mapping(node.doc, node.start, node.end, None)
    key = Scalar(node.doc, node.start, node.start, None, "context", "context", "")
    out.add(Pair(key, node))
    return out
