"""Validating a Compose file against the Compose Specification schema, with messages a person reads.

Two passes.  A small compiled checker (only the keywords the Compose schema uses) answers "valid or
not" quickly for each service, volume, network...; only what fails it goes to the ``jsonschema``
library, which finds the errors.  ``jsonschema`` is imported then and only then, so starting the
language server or checking a valid file does not pay for it.  A schema with a keyword the checker
does not know sends everything to ``jsonschema``.

Each error becomes one finding at the key or value that is wrong: "`services.web` has an unknown
key `enviroment`: did you mean `environment`?", not a schema dump.  Values are validated after
interpolation; an interpolated string that reads as the number or boolean the schema wants is
accepted, as Compose converts it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

from dockerls.parse.compose import schema as S
from dockerls.parse.compose.values import format_path, node_at, to_python
from dockerls.parse.compose.yaml_tree import Node, Scalar, YamlDocument

Check = Callable[[Any, "set | None"], bool]

_ANNOTATIONS = frozenset({"description", "deprecated", "default", "$schema", "$id", "title", "examples",
                          "$comment", "$defs", "definitions", "format", "readOnly", "writeOnly"})
_TYPE_NAMES = {"object": "a mapping", "array": "a list", "string": "a string", "integer": "an integer",
               "number": "a number", "boolean": "a boolean", "null": "null"}
_NAME_RULE = "names may hold only letters, digits, `.`, `_` and `-`"


@dataclass(slots=True)
class SchemaError:
    node: Node
    message: str
    path: tuple


class _Unsupported(Exception):
    pass


def _is_type(x: Any, t: str) -> bool:
    if t == "string":
        return type(x) is str
    if t == "object":
        return type(x) is dict
    if t == "array":
        return type(x) is list
    if t == "boolean":
        return type(x) is bool
    if t == "null":
        return x is None
    if t == "integer":
        return (type(x) is int) or (type(x) is float and x.is_integer())
    if t == "number":
        return type(x) is int or type(x) is float
    return False


def _canonical(x: Any) -> Any:
    """A hashable stand-in with JSON Schema equality (``1 == 1.0``, ``1 != true``)."""
    if type(x) is bool:
        return ("b", x)
    if type(x) is dict:
        return ("d", frozenset((k, _canonical(v)) for k, v in x.items()))
    if type(x) is list:
        return ("l", tuple(_canonical(v) for v in x))
    return ("v", x)


class _Compiler:
    """Turns the schema into nested closures ``check(instance, evaluated_keys) -> bool``."""

    def __init__(self, root: dict):
        self.root = root
        self.cache: dict[int, Check] = {}

    def compile(self, schema: Any) -> Check:
        if schema is True or schema == {}:
            return lambda x, seen: True
        if schema is False:
            return lambda x, seen: False
        if not isinstance(schema, dict):
            raise _Unsupported(repr(schema))
        key = id(schema)
        if key in self.cache:
            return self.cache[key]
        cell: list[Check] = []
        self.cache[key] = lambda x, seen: cell[0](x, seen)  # recursion through $ref
        check = self._build(schema)
        cell.append(check)
        self.cache[key] = check
        return check

    def _build(self, schema: dict) -> Check:
        unknown = set(schema) - _ANNOTATIONS - {
            "type", "enum", "const", "pattern", "minimum", "maximum", "minLength", "maxLength", "minItems",
            "maxItems", "uniqueItems", "required", "properties", "patternProperties", "additionalProperties",
            "items", "allOf", "anyOf", "oneOf", "not", "$ref", "unevaluatedProperties"}
        if unknown:
            raise _Unsupported(", ".join(sorted(unknown)))
        checks: list[Check] = []
        if "type" in schema:
            types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            checks.append(lambda x, seen: any(_is_type(x, t) for t in types))
        if "enum" in schema:
            allowed = {_canonical(v) for v in schema["enum"]}
            checks.append(lambda x, seen: _canonical(x) in allowed)
        if "const" in schema:
            const = _canonical(schema["const"])
            checks.append(lambda x, seen: _canonical(x) == const)
        if "pattern" in schema:
            rx = re.compile(schema["pattern"])
            checks.append(lambda x, seen: type(x) is not str or rx.search(x) is not None)
        checks.extend(self._bounds(schema))
        if "required" in schema:
            required = list(schema["required"])
            checks.append(lambda x, seen: type(x) is not dict or all(k in x for k in required))
        if any(k in schema for k in ("properties", "patternProperties", "additionalProperties")):
            checks.append(self._object(schema))
        if "items" in schema:
            item = self.compile(schema["items"])
            checks.append(lambda x, seen: type(x) is not list or all(item(v, None) for v in x))
        if "$ref" in schema:
            target = S._pointer(self.root, schema["$ref"])
            if target is None:
                raise _Unsupported(schema["$ref"])
            checks.append(self.compile(target))
        checks.extend(self._applicators(schema))
        base = _all(checks)
        if "unevaluatedProperties" not in schema:
            return base
        rest = self.compile(schema["unevaluatedProperties"])

        def unevaluated(x, seen):
            if type(x) is not dict:
                return base(x, seen)
            local: set = set()
            if not base(x, local):
                return False
            if any(k not in local and not rest(v, None) for k, v in x.items()):
                return False
            if seen is not None:
                seen.update(x)
            return True

        return unevaluated

    def _bounds(self, schema: dict) -> list[Check]:
        out: list[Check] = []
        number = lambda x: type(x) in (int, float)  # noqa: E731 - bool excluded on purpose
        if "minimum" in schema:
            low = schema["minimum"]
            out.append(lambda x, seen: not number(x) or x >= low)
        if "maximum" in schema:
            high = schema["maximum"]
            out.append(lambda x, seen: not number(x) or x <= high)
        if "minLength" in schema:
            n = schema["minLength"]
            out.append(lambda x, seen: type(x) is not str or len(x) >= n)
        if "maxLength" in schema:
            n = schema["maxLength"]
            out.append(lambda x, seen: type(x) is not str or len(x) <= n)
        if "minItems" in schema:
            n = schema["minItems"]
            out.append(lambda x, seen: type(x) is not list or len(x) >= n)
        if "maxItems" in schema:
            n = schema["maxItems"]
            out.append(lambda x, seen: type(x) is not list or len(x) <= n)
        if schema.get("uniqueItems"):
            out.append(lambda x, seen: type(x) is not list or len({_canonical(v) for v in x}) == len(x))
        return out

    def _object(self, schema: dict) -> Check:
        props = {k: self.compile(v) for k, v in schema.get("properties", {}).items()}
        patterns = [(re.compile(p), self.compile(v)) for p, v in schema.get("patternProperties", {}).items()]
        extra = schema.get("additionalProperties")
        additional = self.compile(extra) if extra is not None else None

        def check(x, seen):
            if type(x) is not dict:
                return True
            for k, v in x.items():
                sub = props.get(k)
                matched = sub is not None
                if matched and not sub(v, None):
                    return False
                for rx, psub in patterns:
                    if rx.search(k):
                        matched = True
                        if not psub(v, None):
                            return False
                if not matched and additional is not None:
                    if not additional(v, None):
                        return False
                    matched = True
                if matched and seen is not None:
                    seen.add(k)
            return True

        return check

    def _applicators(self, schema: dict) -> list[Check]:
        out: list[Check] = []
        if "allOf" in schema:
            out.extend(self.compile(s) for s in schema["allOf"])
        if "anyOf" in schema:
            subs = [self.compile(s) for s in schema["anyOf"]]

            def any_of(x, seen):
                ok = False
                for sub in subs:
                    local = None if seen is None else set()
                    if sub(x, local):
                        if seen is None:
                            return True
                        ok = True
                        seen.update(local)
                return ok

            out.append(any_of)
        if "oneOf" in schema:
            subs = [self.compile(s) for s in schema["oneOf"]]

            def one_of(x, seen):
                passed = 0
                evaluated = None
                for sub in subs:
                    local = None if seen is None else set()
                    if sub(x, local):
                        passed += 1
                        if passed > 1:
                            return False
                        evaluated = local
                if passed == 0:
                    return False
                if seen is not None:
                    seen.update(evaluated)
                return True

            out.append(one_of)
        if "not" in schema:
            negated = self.compile(schema["not"])
            out.append(lambda x, seen: not negated(x, None))
        return out


def _all(checks: list[Check]) -> Check:
    if not checks:
        return lambda x, seen: True
    if len(checks) == 1:
        return checks[0]

    def check(x, seen):
        for c in checks:
            if not c(x, seen):
                return False
        return True

    return check


@lru_cache(maxsize=1)
def _fast() -> tuple[Check | None, dict[str, Check]]:
    """The whole-document check and, per top-level section, a check of one named entry."""
    root = S.load_schema()
    if root is None:
        return None, {}
    compiler = _Compiler(root)
    try:
        whole = compiler.compile(root)
        sections = {}
        for name, sub in root.get("properties", {}).items():
            if isinstance(sub, dict) and "patternProperties" in sub and not sub.get("properties"):
                entry = {k: sub[k] for k in ("patternProperties", "additionalProperties") if k in sub}
                sections[name] = compiler.compile(entry)
        return whole, sections
    except (_Unsupported, re.error):
        return None, {}


def fast_is_valid(instance: Any) -> bool | None:
    """True/False from the compiled checker; None when it cannot tell (no schema or unsupported)."""
    whole, _ = _fast()
    return None if whole is None else whole(instance, None)


@lru_cache(maxsize=1)
def _jsonschema_validator():
    import jsonschema  # deliberately late: only an invalid document pays for it

    root = S.load_schema()
    cls = jsonschema.validators.validator_for(root)
    return cls(root)


def validate_document(doc: YamlDocument) -> list[SchemaError]:
    """Schema errors of one (interpolated) document, each at its node."""
    if doc.root is None or S.load_schema() is None:
        return []
    instance = to_python(doc.root)
    whole, sections = _fast()
    if whole is not None:
        if whole(instance, None):
            return _loader_errors(doc, [])
        instance = _prune(instance, sections)
    validator = _jsonschema_validator()
    out: list[SchemaError] = []
    seen: set[tuple[int, str]] = set()
    for error in validator.iter_errors(instance):
        for path, message, on_key in _explain(error, tuple(error.absolute_path)):
            err = _locate(doc, path, message, on_key)
            if err is None or _accepted_cast(err, error):
                continue
            key = (err.node.start, err.message)
            if key not in seen:
                seen.add(key)
                out.append(err)
    return _loader_errors(doc, out)


def _loader_errors(doc: YamlDocument, schema_errors: list[SchemaError]) -> list[SchemaError]:
    """The schema's errors and what Compose's loader refuses besides (not twice at one place)."""
    from dockerls.parse.compose.loader_checks import loader_errors

    taken = {e.node.start for e in schema_errors}
    out = list(schema_errors)
    for node, message in loader_errors(doc.root):
        if node.start not in taken and node.doc is doc:
            taken.add(node.start)
            out.append(SchemaError(node, message, ()))
    out.sort(key=lambda e: e.node.start)
    return out


def _prune(instance: Any, sections: dict[str, Check]) -> Any:
    """Keep only the entries of ``services``, ``volumes``... that fail: ``jsonschema`` is slow."""
    if type(instance) is not dict:
        return instance
    out = dict(instance)
    for name, check in sections.items():
        entries = instance.get(name)
        if type(entries) is dict:
            out[name] = {k: v for k, v in entries.items() if not check({k: v}, None)}
    return out


# -- from jsonschema errors to messages -----------------------------------------------------------

def _where(path: tuple) -> str:
    return f"`{format_path(path)}`" if path else "The top level"


def _explain(error, path: tuple) -> list[tuple[tuple, str, bool]]:
    """(path, message, whether the message is about the key at the path) for one error."""
    kind = error.validator
    where = _where(path)
    value = error.validator_value
    if kind in ("additionalProperties", "unevaluatedProperties"):
        return _unknown_keys(error, path)
    if kind == "type":
        expected = [value] if isinstance(value, str) else list(value)
        return [(path, f"{where} must be {_join_types(expected)}{_got(error.instance)}", False)]
    if kind in ("oneOf", "anyOf"):
        return _alternatives(error, path)
    if kind == "enum":
        choices = ", ".join(f"`{v}`" for v in value)
        hint = _suggest(str(error.instance), [str(v) for v in value])
        return [(path, f"{where} must be one of {choices}{hint}", False)]
    if kind == "required":
        missing = [k for k in value if isinstance(error.instance, dict) and k not in error.instance]
        return [(path, f"{where} needs the key `{k}`", False) for k in missing] or [(path, error.message, False)]
    if kind == "pattern":
        return [(path, f"{where} must match the pattern `{value}`", False)]
    if kind == "minimum":
        return [(path, f"{where} must be at least {value}", False)]
    if kind == "maximum":
        return [(path, f"{where} must be at most {value}", False)]
    if kind == "uniqueItems":
        return [(path, f"{where} lists the same item twice", False)]
    if kind == "minItems":
        return [(path, f"{where} needs at least {value} item{'s' if value != 1 else ''}", False)]
    if kind == "const":
        return [(path, f"{where} must be `{value}`", False)]
    return [(path, f"{where}: {error.message}", False)]


def _got(instance: Any) -> str:
    for name, typ in (("a mapping", dict), ("a list", list), ("a boolean", bool), ("a string", str)):
        if type(instance) is typ:
            return f", not {name}"
    if instance is None:
        return ", not null (an empty value)"
    if type(instance) in (int, float):
        return f", not the number {instance}"
    return ""


def _join_types(types: list[str]) -> str:
    names: list[str] = []
    for t in types:
        if t == "integer" and "number" in types:
            continue
        name = _TYPE_NAMES.get(t, t)
        if name not in names:
            names.append(name)
    if len(names) <= 1:
        return names[0] if names else "something else"
    return ", ".join(names[:-1]) + " or " + names[-1]


def _suggest(word: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return f": did you mean `{close[0]}`?" if close else ""


def _unknown_keys(error, path: tuple) -> list[tuple[tuple, str, bool]]:
    instance = error.instance
    if type(instance) is not dict:
        return [(path, error.message, False)]
    root = S.load_schema() or {}
    known = S.object_properties(error.schema, root)
    patterns = S.pattern_properties(error.schema, root)
    if error.validator == "additionalProperties":
        known = dict(error.schema.get("properties", {}))
        patterns = list(error.schema.get("patternProperties", {}).items())
    out = []
    where = _where(path)
    for key in instance:
        if key in known or any(re.search(p, key) for p, _ in patterns):
            continue
        name_patterns = [p for p, _ in patterns if p != "^x-"]
        if not known and name_patterns:
            rule = _NAME_RULE if name_patterns == ["^[a-zA-Z0-9._-]+$"] else f"names must match `{name_patterns[0]}`"
            out.append((path + (key,), f"{where} has an invalid name `{key}`: {rule}", True))
        else:
            hint = _suggest(key, list(known))
            out.append((path + (key,), f"{where} has an unknown key `{key}`{hint}", True))
    return out


def _alternatives(error, path: tuple) -> list[tuple[tuple, str, bool]]:
    """A ``oneOf``/``anyOf`` failure: a type mismatch for every form, or the errors of the form that fits."""
    branches = error.validator_value
    by_branch: dict[int, list] = {}
    for sub in error.context or ():
        by_branch.setdefault(sub.relative_schema_path[0], []).append(sub)
    if not error.context:
        return [(path, f"{_where(path)} matches more than one of its allowed forms", False)]
    root = S.load_schema() or {}
    fitting = [i for i in range(len(branches))
               if not any(e.validator == "type" and not e.relative_path for e in by_branch.get(i, ()))
               and not _type_mismatch(branches[i], error.instance, root)]
    if not fitting:
        types: list[str] = []
        for b in branches:
            for t in sorted(S.types_of([b]), key=list(_TYPE_NAMES).index):
                if t not in types:
                    types.append(t)
        return [(path, f"{_where(path)} must be {_join_types(types)}{_got(error.instance)}", False)]
    best = min(fitting, key=lambda i: len(by_branch.get(i, ())))
    out = []
    for sub in by_branch.get(best, ()):
        out.extend(_explain(sub, path + tuple(sub.relative_path)))
    return out


def _type_mismatch(branch: Any, instance: Any, root: dict) -> bool:
    types = S.types_of([branch])
    return bool(types) and not any(_is_type(instance, t) for t in types)


def _locate(doc: YamlDocument, path: tuple, message: str, on_key: bool) -> SchemaError | None:
    node, pair = node_at(doc.root, path)
    if node is None:  # the nearest ancestor that exists
        for cut in range(len(path) - 1, -1, -1):
            node, pair = node_at(doc.root, path[:cut])
            if node is not None:
                break
        if node is None:
            return None
    target = pair.key if (on_key and pair is not None) else node
    return SchemaError(target, message, path)


def _accepted_cast(err: SchemaError, error) -> bool:
    """An interpolated string where a number or boolean is expected: Compose converts it."""
    node = err.node
    if type(node) is not Scalar or not node.interpolated or type(node.value) is not str:
        return False
    text = node.value.strip()
    wanted = set()
    if error.validator == "type":
        wanted = {error.validator_value} if isinstance(error.validator_value, str) else set(error.validator_value)
    elif error.validator in ("oneOf", "anyOf"):
        wanted = S.types_of(list(error.validator_value))
    if wanted & {"integer", "number"} and re.fullmatch(r"[-+]?[0-9]+", text):
        return True
    if "number" in wanted and re.fullmatch(r"[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?", text):
        return True
    return "boolean" in wanted and text.lower() in ("true", "false")
