"""JSON with comments and the devcontainer.json variables (pure)."""

import pytest

from dockerls.develop.hashing import devcontainer_id
from dockerls.develop.jsonc import JsoncError, parse_jsonc
from dockerls.develop.variables import Variables, substitute, substitute_container_env


def test_comments_and_trailing_commas():
    doc = parse_jsonc('{\n  // a comment\n  "a": [1, 2,], /* block\n comment */ "b": {"c": "x // not a comment",},\n}')
    assert doc.value == {"a": [1, 2], "b": {"c": "x // not a comment"}}
    assert doc.range_of("b", "c").start.line == 3
    assert doc.range_of("a", 1).start.character == 11
    assert doc.range_of("b", "missing") == doc.range_of("b")  # the nearest written parent


@pytest.mark.parametrize("text, where", [
    ('{"a": 1,,}', (0, 8)),
    ('{"a": }', (0, 6)),
    ('{\n "a": "unterminated\n}', (1, 6)),
    ('{"a": 1} extra', (0, 9)),
    ('{"a": 1 /* open', (0, 8)),
])
def test_errors_say_where(text, where):
    with pytest.raises(JsoncError) as info:
        parse_jsonc(text)
    assert (info.value.range.start.line, info.value.range.start.character) == where


def test_variables():
    variables = Variables("/home/me/proj", "/workspaces/proj", {"HOME": "/home/me"}, "ID")
    value = {
        "a": "${localWorkspaceFolder}:${localWorkspaceFolderBasename}",
        "b": ["${containerWorkspaceFolder}", "${containerWorkspaceFolderBasename}"],
        "c": "${localEnv:HOME}|${localEnv:NOPE}|${localEnv:NOPE:fallback}|${env:HOME}",
        "d": "${containerEnv:PATH}|${unknown}|${devcontainerId}",
        "e": 3,
    }
    assert substitute(value, variables) == {
        "a": "/home/me/proj:proj",
        "b": ["/workspaces/proj", "proj"],
        "c": "/home/me||fallback|/home/me",
        "d": "${containerEnv:PATH}|${unknown}|ID",
        "e": 3,
    }
    assert substitute_container_env("${containerEnv:PATH}:/x ${containerEnv:NO:def}", {"PATH": "/bin"}) == "/bin:/x def"


def test_devcontainer_id_is_the_dev_containers_cli_one():
    # Computed with the Dev Containers CLI's algorithm: sha256 of the sorted labels as JSON, base 32.
    labels = {"devcontainer.local_folder": "/a", "devcontainer.config_file": "/a/.devcontainer/devcontainer.json"}
    value = devcontainer_id(labels)
    assert len(value) == 52 and set(value) <= set("0123456789abcdefghijklmnopqrstuv")
    assert value == devcontainer_id(dict(reversed(labels.items())))
    assert value != devcontainer_id({"devcontainer.local_folder": "/b"})
