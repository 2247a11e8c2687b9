"""A JSON Schema of devcontainer.json: finding it, reading it by key path (for hovers and
completions) and validating a parsed devcontainer.json against it.

The specification's own schema is used when there is a copy: the file named by
``DOCKERLS_DEVCONTAINER_SCHEMA``, else ``devContainer.base.schema.json`` in ``dockerls/schemas/`` (a
copy a distribution may ship inside the package) or in the top-level ``schemas/``.  None is shipped
(``schemas/README.md``), so out of the box it is dockerls' own, ``devcontainer.schema.json``, found in
the same two folders.  Reading the schema reuses the Compose schema's walkers
(:mod:`dockerls.parse.compose.schema`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from dockerls.parse import shipped_schemas
from dockerls.parse.compose.schema import branches, child, object_properties

SCHEMA_FILE = "devContainer.base.schema.json"  # the specification's (not shipped: see schemas/README.md)
OVERRIDE_ENV = "DOCKERLS_DEVCONTAINER_SCHEMA"  # a copy of it (or another schema) elsewhere
OWN_SCHEMA_FILE = "devcontainer.schema.json"  # dockerls' own, shipped


def schema_locations() -> list[Path]:
    """Where a schema is looked for, in order (the specification's copies, then dockerls' own)."""
    return shipped_schemas.locations(SCHEMA_FILE, OVERRIDE_ENV) + shipped_schemas.locations(OWN_SCHEMA_FILE)


@lru_cache(maxsize=1)
def load_schema() -> dict | None:
    """The schema as a dict: the specification's when a copy is found, else dockerls' own (None
    only when neither is: a broken installation)."""
    official = shipped_schemas.load(SCHEMA_FILE, OVERRIDE_ENV)
    return official if official is not None else shipped_schemas.load(OWN_SCHEMA_FILE)


def schemas_at(root: dict, path: tuple) -> list[Any]:
    """Every schema that applies at a key path (keys and array indexes) of a devcontainer.json."""
    current: list[Any] = [root]
    for part in path:
        current = [sub for s in current for sub in child(s, part, root)]
        if not current:
            break
    return current


def _first(root: dict, schemas: list[Any], keyword: str) -> Any:
    for s in schemas:
        for b in branches(s, root):
            if b.get(keyword):
                return b[keyword]
    return None


def describe(root: dict, schemas: list[Any]) -> str | None:
    """Markdown for a hover: the description, the type(s) and the allowed values."""
    text = _first(root, schemas, "markdownDescription") or _first(root, schemas, "description")
    types = types_of(root, schemas)
    values = enum_values(root, schemas)
    default = _default(root, schemas)
    if not (text or types or values):
        return None
    parts = []
    if types:
        parts.append("type: " + " | ".join(f"`{t}`" for t in sorted(types)))
    if values:
        parts.append("one of: " + ", ".join(f"`{json.dumps(v)}`" for v in values))
    if default is not _NO_DEFAULT:
        parts.append(f"default: `{json.dumps(default)}`")
    if text and _first(root, schemas, "deprecated"):
        text = f"**Deprecated.** {text}"
    return "\n\n".join([text or ""] + parts).strip()


_NO_DEFAULT = object()


def _default(root: dict, schemas: list[Any]) -> Any:
    for s in schemas:
        for b in branches(s, root):
            if "default" in b:
                return b["default"]
    return _NO_DEFAULT


def enum_values(root: dict, schemas: list[Any]) -> list[Any]:
    out: list[Any] = []
    for s in schemas:
        for b in branches(s, root):
            out.extend(v for v in b.get("enum", ()) if v not in out)
    return out


def types_of(root: dict, schemas: list[Any]) -> set[str]:
    out: set[str] = set()
    for s in schemas:
        for b in branches(s, root):
            t = b.get("type")
            out.update([t] if isinstance(t, str) else t if isinstance(t, list) else [])
    return out


def known_keys(root: dict, schemas: list[Any]) -> dict[str, Any]:
    """Named keys an object may have here, with their schemas."""
    out: dict[str, Any] = {}
    for s in schemas:
        for name, sub in object_properties(s, root).items():
            out.setdefault(name, sub)
    return out


@dataclass(frozen=True)
class Violation:
    path: tuple  # keys and array indexes of the value that breaks the schema
    message: str
    keyword: str  # the schema keyword: type, enum, minimum, pattern...


# Unknown keys are DV003's, a missing image/build/compose file DV002's: only values are reported.
_SKIPPED = frozenset({"additionalProperties", "unevaluatedProperties", "required", "oneOf", "anyOf",
                      "allOf", "not", "dependentRequired", "propertyNames"})


def violations(value: Any, root: dict) -> list[Violation]:
    """Where ``value`` breaks the schema: each wrong value once, with the first reason found.  Of a
    ``oneOf``/``anyOf``'s branches, the first whose type fits speaks (``70000`` is too large a port,
    ``"abc"`` does not match the ``"host:port"`` pattern; not "not a string", "not a number")."""
    from jsonschema import validators  # imported when first needed: it takes a while

    cls = validators.validator_for(root)
    out: dict[tuple, tuple[Violation, bool]] = {}  # path -> (violation, from a branch of oneOf/anyOf)
    todo = [(error, False) for error in cls(root).iter_errors(value)]
    while todo:
        error, alternative = todo.pop(0)
        if error.context:
            todo.extend((sub, True) for sub in error.context)
        keyword, message = str(error.validator), _message(error)
        conflict = _conflict(error)
        if conflict is not None:
            keyword, message = "dependentSchemas", conflict
        elif keyword in _SKIPPED:
            continue
        path = tuple(error.absolute_path)
        known = out.get(path)
        if known is None or (alternative and known[1] and known[0].keyword == "type" and keyword != "type"):
            out[path] = (Violation(path, message, keyword), alternative)
    return sorted((v for v, _ in out.values()), key=lambda v: (len(v.path), [str(p) for p in v.path], v.message))


def _message(error: Any) -> str:
    """jsonschema's message, or the schema's own words for a pattern (``patternErrorMessage``, as
    VS Code's JSON support reads it): a regular expression says little to the reader."""
    own = error.schema.get("patternErrorMessage") if isinstance(error.schema, dict) else None
    if error.validator == "pattern" and isinstance(own, str):
        return f"{error.instance!r}: {own}"
    return str(error.message)


def _conflict(error: Any) -> str | None:
    """``dependentSchemas: {A: {properties: {B: {not: {}}}}}`` says B cannot be written with A (how
    dockerls' schema says "image or dockerComposeFile, not both"): the message names A."""
    where = list(error.absolute_schema_path)
    if error.validator != "not" or error.validator_value != {} or "dependentSchemas" not in where:
        return None
    return f"cannot be used together with {where[where.index('dependentSchemas') + 1]}"
