"""The devcontainer.json variables and the names develop derives (pure)."""

from dockerls.develop.plan.hashing import devcontainer_id
from dockerls.develop.plan.variables import Variables, substitute, substitute_container_env


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
