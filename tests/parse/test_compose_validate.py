"""Schema validation: human messages at the right node, interpolated values, the lazy import of
``jsonschema``, and the fast checker agreeing with ``jsonschema`` on valid and broken documents."""

import copy
import random
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dockerls.parse.compose import schema as S
from dockerls.parse.compose.validate import _jsonschema_validator, fast_is_valid, validate_document
from dockerls.parse.compose.values import to_python
from dockerls.parse.compose.yaml_tree import parse_yaml

ROOT = Path(__file__).resolve().parents[2]


def errors(text):
    doc = parse_yaml(text)
    return [(e.node.range.start.line + 1, e.node.range.start.character + 1, e.message) for e in validate_document(doc)]


def test_the_schema_is_found():
    schema = S.load_schema()
    assert schema and schema["title"] == "Compose Specification"
    assert (ROOT / "schemas" / "COMPOSE-SPEC-LICENSE").read_text().lstrip().startswith("Apache License")


def test_unknown_key_with_suggestion():
    assert errors("services:\n  web:\n    image: nginx\n    enviroment: {}\n") == [
        (4, 5, "`services.web` has an unknown key `enviroment`: did you mean `environment`?")]


def test_alternatives_and_types():
    found = errors("services:\n  web:\n    image: [nginx]\n    ports:\n      - [80]\n      - {target: 80, x: 1}\n")
    assert found == [
        (3, 12, "`services.web.image` must be a string, not a list"),
        (5, 9, "`services.web.ports[0]` must be a number, a string or a mapping, not a list"),
        (6, 22, "`services.web.ports[1]` has an unknown key `x`"),
    ]


def test_enum_required_and_names():
    found = errors("services:\n  'a b':\n    image: x\n  web:\n    image: x\n    extends: {file: f.yaml}\n"
                   "    depends_on:\n      db: {condition: healthy}\n")
    messages = [m for _, _, m in found]
    assert "`services` has an invalid name `a b`: names may hold only letters, digits, `.`, `_` and `-`" in messages
    assert "`services.web.extends` needs the key `service`" in messages
    assert any(m.startswith("`services.web.depends_on.db.condition` must be one of `service_started`") for m in messages)


def test_top_level():
    assert errors("servics: {}\n") == [(1, 1, "The top level has an unknown key `servics`: did you mean `services`?")]
    assert errors("- a\n") == [(1, 1, "The top level must be a mapping, not a list")]


def test_interpolated_booleans_are_accepted_but_literal_strings_are_not():
    doc = parse_yaml("services:\n  w:\n    image: x\n    use_api_socket: 'true'\n")
    assert [e.message for e in validate_document(doc)] == ["`services.w.use_api_socket` must be a boolean, not a string"]
    flag = doc.root.get("services").get("w").get("use_api_socket")
    flag.interpolated = True
    assert validate_document(doc) == []


def test_jsonschema_is_imported_only_for_invalid_documents():
    code = ("import sys\n"
            "from dockerls.lint.compose_runner import lint_compose\n"
            "from dockerls.services import compose\n"
            "lint_compose('services:\\n  web:\\n    image: nginx:1.27\\n', path=None, environ={})\n"
            "assert 'jsonschema' not in sys.modules, 'imported for a valid file'\n"
            "lint_compose('services:\\n  web:\\n    imag: nginx\\n', path=None, environ={})\n"
            "assert 'jsonschema' in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


# -- the fast checker must agree with jsonschema ---------------------------------------------------

def _samples() -> list:
    docs = []
    for path in sorted((ROOT / "tests" / "rules" / "compose").glob("*.yaml")):
        for case in (yaml.safe_load(path.read_text()) or {}).get("cases", []):
            text = case["text"]
            if isinstance(text, str):
                doc = parse_yaml(text)
                if doc.root is not None and not doc.problems:
                    docs.append(to_python(doc.root))
    for path in sorted((ROOT / "tests" / "fixtures" / "compose").rglob("*.yaml")):
        doc = parse_yaml(path.read_bytes())
        if doc.root is not None:
            docs.append(to_python(doc.root))
    return docs


_REPLACEMENTS = [None, 0, 1.5, True, "text", "80:80", [], ["a"], {}, {"x": 1}, {"target": 80}, -1]


def _mutate(value, rng: random.Random):
    """A copy with one random change deep inside: a key renamed or removed, a value replaced."""
    value = copy.deepcopy(value)
    containers = []

    def walk(v):
        if isinstance(v, dict):
            containers.append(v)
            for item in v.values():
                walk(item)
        elif isinstance(v, list):
            containers.append(v)
            for item in v:
                walk(item)

    walk(value)
    target = rng.choice(containers)
    if isinstance(target, dict) and target:
        key = rng.choice(list(target))
        action = rng.random()
        if action < 0.3:
            target[key + rng.choice(["x", "_", "s"])] = target.pop(key)
        elif action < 0.4:
            del target[key]
        else:
            target[key] = copy.deepcopy(rng.choice(_REPLACEMENTS))
    elif isinstance(target, list) and target:
        target[rng.randrange(len(target))] = copy.deepcopy(rng.choice(_REPLACEMENTS))
    else:
        if isinstance(target, dict):
            target["x"] = 1
        else:
            target.append({"y": None})
    return value


@pytest.mark.parametrize("seed", range(4))
def test_fast_checker_agrees_with_jsonschema(seed):
    rng = random.Random(seed)
    validator = _jsonschema_validator()
    samples = _samples()
    assert len(samples) > 40
    disagreements = []
    for base in samples:
        for instance in [base] + [_mutate(base, rng) for _ in range(6)]:
            fast = fast_is_valid(instance)
            assert fast is not None, "the fast checker gave up on the schema"
            if fast != validator.is_valid(instance):
                disagreements.append(instance)
    assert disagreements == []
