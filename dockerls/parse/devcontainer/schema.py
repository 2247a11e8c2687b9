"""The Dev Container specification's JSON Schema: finding it, reading it by key path (for hovers
and completions) and validating a parsed devcontainer.json against it.

dockerls looks for ``devContainer.base.schema.json`` in ``dockerls/schemas/`` (a copy a
distribution may ship inside the package) and then in the top-level ``schemas/`` (see
``schemas/README.md``); ``DOCKERLS_DEVCONTAINER_SCHEMA`` names another file first.  Without a copy, hovers, completions and DV006 have nothing to say.
Reading the schema reuses the Compose schema's walkers (:mod:`dockerls.parse.compose.schema`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from dockerls.parse import shipped_schemas
from dockerls.parse.compose.schema import branches, child, object_properties

SCHEMA_FILE = "devContainer.base.schema.json"
OVERRIDE_ENV = "DOCKERLS_DEVCONTAINER_SCHEMA"  # a copy elsewhere (none is shipped: see schemas/README.md)


def schema_locations() -> list[Path]:
    return shipped_schemas.locations(SCHEMA_FILE, OVERRIDE_ENV)


@lru_cache(maxsize=1)
def load_schema() -> dict | None:
    """The schema as a dict, or None when no copy is found."""
    return shipped_schemas.load(SCHEMA_FILE, OVERRIDE_ENV)


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
    if not (text or types or values):
        return None
    parts = []
    if types:
        parts.append("type: " + " | ".join(f"`{t}`" for t in sorted(types)))
    if values:
        parts.append("one of: " + ", ".join(f"`{json.dumps(v)}`" for v in values))
    if text and _first(root, schemas, "deprecated"):
        text = f"**Deprecated.** {text}"
    return "\n\n".join([text or ""] + parts).strip()


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
    """Where ``value`` breaks the schema: each wrong value once, with the first reason found (for a
    ``oneOf``/``anyOf``, its first branch's: ``70000`` is too large a port, not "not a string")."""
    from jsonschema import validators  # imported when first needed: it takes a while

    cls = validators.validator_for(root)
    out: dict[tuple, Violation] = {}
    todo = list(cls(root).iter_errors(value))
    while todo:
        error = todo.pop(0)
        if error.context:
            todo.extend(error.context)
        if error.validator in _SKIPPED:
            continue
        path = tuple(error.absolute_path)
        out.setdefault(path, Violation(path, error.message, str(error.validator)))
    return sorted(out.values(), key=lambda v: (len(v.path), [str(p) for p in v.path], v.message))
