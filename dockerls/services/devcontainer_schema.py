"""Hover and completion in devcontainer.json from a schema of it (dockerls' own, or the Dev Container
specification's: :mod:`dockerls.parse.devcontainer.schema`): a key's description, type, allowed
values and default; the keys an object may have, and the values of an enumeration.

Completion reads the text up to the cursor with a small scanner, not the JSONC parser: while a key
is being typed the file is rarely valid JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from dockerls.services.results import Completion, Hover


def schema_hover(text: str, offset: int, root: dict | None) -> Hover | None:
    """The schema's word on the key under the cursor (array elements and values: their key's)."""
    from dockerls.parse.devcontainer.jsonc import JsoncError, parse_jsonc
    from dockerls.parse.devcontainer.schema import describe, schemas_at

    if root is None:
        return None
    try:
        document = parse_jsonc(text)
    except JsoncError:
        return None
    hit = None
    for path, (start, end) in document.spans.items():
        if start <= offset <= end and path and isinstance(path[-1], str):
            if hit is None or len(path) > len(hit[0]):  # the innermost key
                hit = (path, start, end)
    if hit is None:
        return None
    path, start, end = hit
    markdown = describe(root, schemas_at(root, path))
    return Hover(f"**{path[-1]}**\n\n{markdown}", start, end) if markdown else None


@dataclass
class _Cursor:
    path: tuple  # where the object (at a key) or the value's key is
    at_key: bool  # typing a key (else a value)
    quote: int | None  # offset of the opening quote when the cursor is inside a string


def _cursor(text: str, offset: int) -> _Cursor | None:
    """Where the cursor is: which object or key, and whether a key or a value is being typed."""
    stack: list[list[Any]] = []  # per open container: [kind "{"/"[", key or index, expecting a key]
    i, quote = 0, None
    while i < offset:
        ch = text[i]
        if ch == '"':
            j = i + 1
            while j < len(text) and text[j] not in '"\n':
                j += 2 if text[j] == "\\" else 1
            if j >= offset:
                quote = i
                break
            if stack and stack[-1][0] == "{" and stack[-1][2]:
                stack[-1][1] = json.loads(text[i : j + 1]) if j < len(text) else None
            i = j + 1
            continue
        if text.startswith("//", i):
            end = text.find("\n", i)
            if end < 0 or end >= offset:  # the cursor is in the comment
                return None
            i = end + 1
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0 or end + 2 > offset:
                return None
            i = end + 2
            continue
        if ch == "{":
            stack.append(["{", None, True])
        elif ch == "[":
            stack.append(["[", 0, False])
        elif ch in "}]" and stack:
            stack.pop()
        elif ch == ":" and stack and stack[-1][0] == "{":
            stack[-1][2] = False
        elif ch == "," and stack:
            top = stack[-1]
            if top[0] == "{":
                top[1], top[2] = None, True
            else:
                top[1] += 1
        i += 1
    if not stack:  # outside any object
        return None
    keys = [entry[1] for entry in stack]  # each container's current key or index leads inwards
    top = stack[-1]
    if top[0] == "{" and top[2]:
        return _Cursor(tuple(keys[:-1]), True, quote)
    return _Cursor(tuple(keys), False, quote)


def schema_completions(text: str, offset: int, root: dict | None) -> list[Completion]:
    from dockerls.parse.devcontainer.schema import describe, enum_values, known_keys, schemas_at

    if root is None:
        return []
    cursor = _cursor(text, offset)
    if cursor is None or None in cursor.path:
        return []
    schemas = schemas_at(root, cursor.path)
    replace = (cursor.quote, offset) if cursor.quote is not None else None
    out: list[Completion] = []
    if cursor.at_key:
        for name, sub in known_keys(root, schemas).items():
            out.append(Completion(name, "property", documentation=describe(root, [sub]),
                                  insert_text=f'"{name}"' if replace is None else f'"{name}',
                                  replace=replace))
        return out
    for value in enum_values(root, schemas):
        if replace is not None and not isinstance(value, str):
            continue
        written = json.dumps(value)
        out.append(Completion(written if not isinstance(value, str) else value, "enum",
                              insert_text=written if replace is None else written[:-1], replace=replace))
    return out
