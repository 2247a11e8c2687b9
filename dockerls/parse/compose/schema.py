"""The Compose Specification's JSON Schema: finding it, and reading it by path (for messages, hovers
and completions).  Validation is in :mod:`dockerls.parse.compose.validate`.

The schema is ``schemas/compose-spec.json`` (see ``schemas/README.md``); a copy inside the package
(``dockerls/schemas/``) is preferred when a distribution ships one.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from dockerls.parse import shipped_schemas

SCHEMA_FILE = "compose-spec.json"


def schema_locations() -> list[Path]:
    return shipped_schemas.locations(SCHEMA_FILE)


@lru_cache(maxsize=1)
def load_schema() -> dict | None:
    """The schema as a dict, or None when no copy is found (then nothing is validated)."""
    return shipped_schemas.load(SCHEMA_FILE)


def resolve(schema: Any, root: dict) -> Any:
    """Follow ``$ref`` (local pointers only) until a schema without one."""
    seen = 0
    while isinstance(schema, dict) and "$ref" in schema and seen < 32:
        ref = schema["$ref"]
        target = _pointer(root, ref)
        if target is None:
            return schema
        if len(schema) > 1:  # sibling keywords apply too: keep them, minus the reference
            merged = {k: v for k, v in schema.items() if k != "$ref"}
            return {"allOf": [target, merged]}
        schema = target
        seen += 1
    return schema


def _pointer(root: dict, ref: str) -> Any:
    if not ref.startswith("#"):
        return None
    node: Any = root
    for part in ref[1:].split("/"):
        if not part:
            continue
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return None
    return node


def branches(schema: Any, root: dict) -> Iterator[dict]:
    """The schema and every schema it applies in place (``$ref``, ``allOf``, ``anyOf``, ``oneOf``)."""
    todo = [schema]
    seen: set[int] = set()
    while todo:
        s = resolve(todo.pop(), root)
        if not isinstance(s, dict) or id(s) in seen:
            continue
        seen.add(id(s))
        yield s
        for key in ("allOf", "anyOf", "oneOf"):
            todo.extend(reversed(s.get(key, ())))


def object_properties(schema: Any, root: dict) -> dict[str, Any]:
    """Named properties a mapping may have here (merged across in-place branches)."""
    out: dict[str, Any] = {}
    for s in branches(schema, root):
        for name, sub in s.get("properties", {}).items():
            out.setdefault(name, sub)
    return out


def pattern_properties(schema: Any, root: dict) -> list[tuple[str, Any]]:
    out = []
    for s in branches(schema, root):
        out.extend(s.get("patternProperties", {}).items())
    return out


def child(schema: Any, part, root: dict) -> list[Any]:
    """Schemas for a key or list index under ``schema``."""
    out: list[Any] = []
    for s in branches(schema, root):
        if isinstance(part, int):
            items = s.get("items")
            if isinstance(items, dict):
                out.append(items)
            continue
        props = s.get("properties", {})
        if part in props:
            out.append(props[part])
            continue
        for pattern, sub in s.get("patternProperties", {}).items():
            if pattern != "^x-" and re.search(pattern, part):
                out.append(sub)
        extra = s.get("additionalProperties")
        if isinstance(extra, dict) and not out:
            out.append(extra)
    return out


def schemas_at(path) -> list[Any]:
    """Every schema that applies at a path (keys and list indexes) of a Compose file."""
    root = load_schema()
    if root is None:
        return []
    current = [root]
    for part in path:
        nxt: list[Any] = []
        for s in current:
            nxt.extend(child(s, part, root))
        current = nxt
        if not current:
            break
    return current


def description(schemas: list[Any]) -> str | None:
    root = load_schema() or {}
    for s in schemas:
        if isinstance(s, dict) and s.get("description"):
            return s["description"]
        for b in branches(s, root):
            if b.get("description"):
                return b["description"]
    return None


def enum_values(schemas: list[Any]) -> list[Any]:
    root = load_schema() or {}
    out: list[Any] = []
    for s in schemas:
        for b in branches(s, root):
            for value in b.get("enum", ()):
                if value not in out:
                    out.append(value)
    return out


def types_of(schemas: list[Any]) -> set[str]:
    root = load_schema() or {}
    out: set[str] = set()
    for s in schemas:
        for b in branches(s, root):
            t = b.get("type")
            if isinstance(t, str):
                out.add(t)
            elif isinstance(t, list):
                out.update(t)
    return out


def known_keys(schemas: list[Any]) -> list[str]:
    root = load_schema() or {}
    out: list[str] = []
    for s in schemas:
        for name in object_properties(s, root):
            if name not in out:
                out.append(name)
    return out
