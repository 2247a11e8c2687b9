"""Hover and completion in devcontainer.json from a Dev Container schema (the tests' small one)."""

from __future__ import annotations

import json

import pytest

from dockerls.kinds.devcontainer import KIND
from dockerls.parse.devcontainer import schema
from dockerls.parse.devcontainer.schema import violations
from dockerls.services.devcontainer_schema import schema_completions, schema_hover
from tests.rules.conftest import MINI_SCHEMA

ROOT = json.loads(MINI_SCHEMA.read_text(encoding="utf-8"))


def labels(text: str) -> list[str]:
    return [c.label for c in schema_completions(text, len(text), ROOT)]


def test_hover_on_a_key_gives_description_type_and_values():
    text = '{"image": "x", "waitFor": "postCreateCommand"}'
    hover = schema_hover(text, text.index("waitFor") + 1, ROOT)
    assert hover is not None and text[hover.start : hover.end] == '"waitFor"'
    assert "The command to wait for." in hover.markdown
    assert "`string`" in hover.markdown and '`"postCreateCommand"`' in hover.markdown


def test_hover_on_a_nested_key_and_on_nothing():
    text = '{"hostRequirements": {"cpus": 2}, "other": 1}'
    assert "Number of CPUs." in schema_hover(text, text.index("cpus"), ROOT).markdown
    assert schema_hover(text, text.index("other"), ROOT) is None  # not in the schema
    assert schema_hover(text, text.index("2"), ROOT) is None  # a value, not a key
    assert schema_hover(text, 0, None) is None  # no schema


def test_keys_are_completed_at_object_positions_with_their_description():
    assert labels('{"image": "x", ')[:2] == ["image", "build"]
    assert labels('{"hostRequirements": {') == ["cpus"]
    completion = schema_completions('{"wa', 4, ROOT)
    wait = next(c for c in completion if c.label == "waitFor")
    assert wait.replace == (1, 4) and wait.insert_text == '"waitFor'  # the editor closed the quote
    assert "The command to wait for." in (wait.documentation or "")


def test_enum_values_are_completed_at_value_positions():
    assert labels('{"waitFor": ') == ["onCreateCommand", "updateContentCommand", "postCreateCommand"]
    value = schema_completions('{"waitFor": "po', 15, ROOT)[2]
    assert value.insert_text == '"postCreateCommand' and value.replace == (12, 15)
    assert labels('{"name": ') == []


@pytest.mark.parametrize("text", ['{"a": 1, // "b', '{"a": 1, /* "b', '{"a": 1, /* x */ "b" /* y', '', 'x'])
def test_nothing_in_comments_or_outside_objects(text):
    assert labels(text) == []


def test_comments_are_skipped():
    assert "waitFor" in labels('{"a": 1, // "b\n /* "c */ ')


def test_violations_name_the_value_once():
    found = violations({"image": "x", "forwardPorts": [3000, 70000], "init": "yes", "extra": 1}, ROOT)
    assert [(v.path, v.keyword) for v in found] == [(("init",), "type"), (("forwardPorts", 1), "maximum")]


def test_the_kind_uses_the_schema(monkeypatch):
    monkeypatch.setenv("DOCKERLS_DEVCONTAINER_SCHEMA", str(MINI_SCHEMA))
    schema.load_schema.cache_clear()
    try:
        text = '{"image": "x", "init": true}'
        analysis = KIND.analyse(text, None)
        assert "Run an init process." in analysis.hover(text.index("init")).markdown
        assert "waitFor" in [c.label for c in analysis.complete(len('{"image": "x", '))]
    finally:
        schema.load_schema.cache_clear()
