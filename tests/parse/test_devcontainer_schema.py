"""dockerls' own devcontainer.json schema (schemas/devcontainer.schema.json): it describes every key
dockerls knows, accepts real-world files, refuses wrong values at their path; the specification's
copy is read instead when there is one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft201909Validator

from dockerls.develop.plan.spec_keys import APPLIED_BUILD_KEYS, APPLIED_KEYS, NOT_APPLIED, NOT_APPLIED_BUILD, SUPPORT
from dockerls.parse import shipped_schemas
from dockerls.parse.devcontainer import schema
from dockerls.parse.devcontainer.jsonc import parse_jsonc
from dockerls.parse.devcontainer.schema import OWN_SCHEMA_FILE, describe, schemas_at, violations

REPO = Path(__file__).resolve().parents[2]
OWN = json.loads((REPO / "schemas" / OWN_SCHEMA_FILE).read_text(encoding="utf-8"))
FIXTURES = sorted((REPO / "tests" / "data" / "devcontainer").glob("*.jsonc"))
MINI_SCHEMA = REPO / "tests" / "data" / "devcontainer-mini.schema.json"


@pytest.fixture
def own_schema_only(monkeypatch):
    monkeypatch.delenv("DOCKERLS_DEVCONTAINER_SCHEMA", raising=False)
    schema.load_schema.cache_clear()
    yield
    schema.load_schema.cache_clear()


def test_the_schema_is_a_valid_2019_09_schema():
    Draft201909Validator.check_schema(OWN)


def test_the_package_links_to_the_same_file():
    # a checkout's dockerls/schemas/ links to schemas/ (wheels get the file itself: pyproject's package-data)
    packaged = REPO / "dockerls" / "schemas" / OWN_SCHEMA_FILE
    assert packaged.resolve() == (REPO / "schemas" / OWN_SCHEMA_FILE).resolve()


KNOWN_KEYS = sorted({*SUPPORT, *APPLIED_KEYS, *NOT_APPLIED, *(f"build.{k}" for k in APPLIED_BUILD_KEYS),
                     *(f"build.{k}" for k in NOT_APPLIED_BUILD)})


@pytest.mark.parametrize("key", KNOWN_KEYS)
def test_every_key_dockerls_knows_is_a_described_property(key):
    path = tuple(key.split("."))
    parent = schemas_at(OWN, path[:-1])
    assert path[-1] in schema.known_keys(OWN, parent), key  # a named property, not an "anything else"
    markdown = describe(OWN, schemas_at(OWN, path))
    assert markdown and not markdown.startswith("type:"), key  # a description, not only a type


def _properties(node, where=()):
    """Every property schema anywhere in the schema (not the shape rules' references to them)."""
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            yield (*where, name), sub
        for key, value in node.items():
            if key not in ("dependentSchemas", "if", "then", "else"):
                yield from _properties(value, (*where, key))


def test_every_property_has_a_description():
    missing = [".".join(where) for where, sub in _properties(OWN)
               if not describe(OWN, [sub]) or describe(OWN, [sub]).startswith("type:")]
    assert missing == []


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_real_world_shaped_files_are_valid(fixture):
    value = parse_jsonc(fixture.read_text(encoding="utf-8")).value
    assert violations(value, OWN) == []
    assert list(Draft201909Validator(OWN).iter_errors(value)) == []  # not even a skipped keyword


@pytest.mark.parametrize("value, expected", [
    ({"image": "x", "shutdownAction": "stop"}, [(("shutdownAction",), "enum")]),
    ({"image": "x", "shutdownAction": "stopCompose"}, [(("shutdownAction",), "enum")]),
    ({"dockerComposeFile": "c.yaml", "service": "app", "shutdownAction": "stopContainer"},
     [(("shutdownAction",), "enum")]),
    ({"image": "x", "forwardPorts": "3000"}, [(("forwardPorts",), "type")]),
    ({"image": "x", "forwardPorts": [3000, "abc", 70000, True, "db:5432"]},
     [(("forwardPorts", 1), "pattern"), (("forwardPorts", 2), "maximum"), (("forwardPorts", 3), "type")]),
    ({"image": "x", "postCreateCommand": 42, "onCreateCommand": ["npm", 1], "postStartCommand": {"a": 2}},
     [(("postCreateCommand",), "type"), (("onCreateCommand", 1), "type"), (("postStartCommand", "a"), "type")]),
    ({"image": "x", "hostRequirements": {"cpus": 0, "memory": "lots", "gpu": "yes"}},
     [(("hostRequirements", "cpus"), "minimum"), (("hostRequirements", "gpu"), "enum"),
      (("hostRequirements", "memory"), "pattern")]),
    ({"image": "x", "mounts": [{"type": "nfs", "target": "/x"}, 3]},
     [(("mounts", 1), "type"), (("mounts", 0, "type"), "enum")]),
    ({"image": "x", "portsAttributes": {"3000": {"onAutoForward": "open"}}},
     [(("portsAttributes", "3000", "onAutoForward"), "enum")]),
    ({"image": "x", "waitFor": "postAttachCommand", "userEnvProbe": "bash"},
     [(("userEnvProbe",), "enum"), (("waitFor",), "enum")]),
])
def test_wrong_values_are_named_at_their_path(value, expected):
    assert [(v.path, v.keyword) for v in violations(value, OWN)] == expected


def test_an_image_beside_a_compose_file_or_a_dockerfile_is_a_conflict():
    found = violations({"image": "x", "dockerComposeFile": "c.yaml", "service": "app"}, OWN)
    assert [(v.path, v.message) for v in found] == [(("image",), "cannot be used together with dockerComposeFile")]
    found = violations({"image": "x", "build": {"dockerfile": "Dockerfile"}}, OWN)
    assert [(v.path, v.message) for v in found] == [(("build", "dockerfile"), "cannot be used together with image")]
    # build without a Dockerfile (only args) beside an image: nothing is built, nothing conflicts
    assert violations({"image": "x", "build": {"args": {"A": "1"}}}, OWN) == []


def test_unknown_keys_and_a_missing_image_are_other_rules_business():
    assert violations({"remoteUsr": "x", "customizations": {"jetbrains": {"backend": "IntelliJ"}}}, OWN) == []
    assert violations({"dockerComposeFile": "c.yaml"}, OWN) == []  # no service: DV002's


def test_hover_text_gives_type_values_and_default():
    markdown = describe(OWN, schemas_at(OWN, ("waitFor",)))
    assert "`string`" in markdown and '`"postStartCommand"`' in markdown
    assert 'default: `"updateContentCommand"`' in markdown
    assert describe(OWN, schemas_at(OWN, ("dockerFile",))).startswith("**Deprecated.**")
    assert "named commands" in describe(OWN, schemas_at(OWN, ("postCreateCommand", "server")))
    assert "label" in schema.known_keys(OWN, schemas_at(OWN, ("portsAttributes", "3000")))


def test_dockerls_own_schema_is_used_without_a_copy_of_the_specifications(own_schema_only, monkeypatch):
    assert schema.load_schema() == OWN
    assert [p.name for p in schema.schema_locations()][-2:] == [OWN_SCHEMA_FILE, OWN_SCHEMA_FILE]


def test_a_copy_of_the_specifications_schema_comes_first(own_schema_only, monkeypatch):
    monkeypatch.setenv("DOCKERLS_DEVCONTAINER_SCHEMA", str(MINI_SCHEMA))
    schema.load_schema.cache_clear()
    assert schema.load_schema() == json.loads(MINI_SCHEMA.read_text(encoding="utf-8"))
    assert schema.schema_locations()[0] == MINI_SCHEMA
    # and a shipped one (dockerls/schemas/ or schemas/) too
    assert shipped_schemas.locations(schema.SCHEMA_FILE)[0].name == schema.SCHEMA_FILE


def test_a_pattern_is_explained_in_words():
    found = violations({"image": "x", "hostRequirements": {"storage": "big"}, "forwardPorts": ["8080"]}, OWN)
    assert [v.message for v in found] == [
        "'8080': expected a port number, or \"host:port\" such as \"db:5432\"",
        "'big': expected a number of bytes, or one with a unit such as \"8gb\" or \"512mb\""]
