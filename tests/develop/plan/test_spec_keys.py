"""Every devcontainer.json key of the specification is known: applied, or information."""

import json

import pytest

from dockerls.develop.plan.model import PortBinding
from dockerls.develop.plan.ports import PortError, parse_forward_ports
from dockerls.develop.plan.spec_keys import NOT_APPLIED
from dockerls.develop.plan.workspace import make_plan


def _plan(tmp_path, config):
    path = tmp_path / ".devcontainer" / "devcontainer.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(config))
    return make_plan(str(tmp_path))


def test_specification_keys_are_information(tmp_path):
    (tmp_path / ".devcontainer").mkdir()
    (tmp_path / ".devcontainer" / "Dockerfile").write_text("FROM busybox\n")
    plan = _plan(tmp_path, {
        "waitFor": "postCreateCommand", "userEnvProbe": "loginShell",
        "updateRemoteUserUID": True, "hostRequirements": {"cpus": 2}, "portsAttributes": {"3000": {"label": "x"}},
        "otherPortsAttributes": {}, "secrets": {}, "build": {"dockerfile": "Dockerfile", "options": ["--secret", "id=x"]}, "postAttachCommand": "echo hi",
    })
    problems = {p.key: p for p in plan.problems}
    for key in ("secrets", "build.options[0]"):
        assert problems[key].severity == "info", key
    assert "hostRequirements" not in problems  # applied: compared with the engine's at develop
    assert plan.host_requirements == {"cpus": 2}
    assert "updateRemoteUserUID" not in problems and "waitFor" not in problems
    assert "portsAttributes" not in problems and "otherPortsAttributes" not in problems
    assert "userEnvProbe" not in problems and plan.user_env_probe == "loginShell"
    assert "postAttachCommand" not in problems
    assert plan.step("postAttachCommand").commands == {"": ["/bin/sh", "-c", "echo hi"]}


def test_unknown_key_is_a_warning(tmp_path):
    plan = _plan(tmp_path, {"image": "busybox", "remoteUsr": "x"})
    problem = next(p for p in plan.problems if p.key == "remoteUsr")
    assert problem.severity == "warning" and "not a devcontainer.json key" in problem.message


def test_every_note_names_its_key():
    for key, note in NOT_APPLIED.items():
        assert note is None or key in note


def test_forward_ports_are_published_on_localhost(tmp_path):
    plan = _plan(tmp_path, {"image": "busybox", "forwardPorts": [3000, "localhost:8080", "db:5432"],
                            "appPort": ["9000:3000"]})
    spec = plan.main_container
    # 3000 is published by appPort already: not twice
    assert spec.ports == [PortBinding(3000, "tcp", 9000, None), PortBinding(8080, "tcp", 8080, "127.0.0.1")]
    assert plan.forward_ports == ["0.0.0.0:9000", "127.0.0.1:8080"]
    other = next(p for p in plan.problems if p.key == "forwardPorts")
    assert other.severity == "info" and "db:5432" in other.message


@pytest.mark.parametrize("value", ["3000", [True], ["x:y"], [70000], [None]])
def test_forward_ports_errors(value):
    with pytest.raises(PortError):
        parse_forward_ports(value)


def _write(tmp_path, relative, config):
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(config))
    return path


def test_one_of_several_configurations(tmp_path):
    from dockerls.develop.plan.devcontainer_config import SeveralConfigurations
    from dockerls.develop.plan.model import DevelopOptions

    _write(tmp_path, ".devcontainer/python/devcontainer.json", {"image": "python:3.12"})
    _write(tmp_path, ".devcontainer/node/devcontainer.json", {"image": "node:20"})
    with pytest.raises(SeveralConfigurations) as raised:
        make_plan(str(tmp_path))
    assert "--config" in raised.value.message and ".devcontainer/node/devcontainer.json" in raised.value.message
    plan = make_plan(str(tmp_path), DevelopOptions(config_file=".devcontainer/node/devcontainer.json"))
    assert plan.main_container.image == "node:20"
    plan = make_plan(str(tmp_path), DevelopOptions(config_file=".devcontainer/python"))  # a folder is fine
    assert plan.main_container.image == "python:3.12"


def test_the_default_configuration_wins_and_a_lone_subfolder_one_is_used(tmp_path):
    _write(tmp_path, ".devcontainer/node/devcontainer.json", {"image": "node:20"})
    assert make_plan(str(tmp_path)).main_container.image == "node:20"
    _write(tmp_path, ".devcontainer/devcontainer.json", {"image": "busybox"})
    assert make_plan(str(tmp_path)).main_container.image == "busybox"


def test_the_table_of_keys_covers_the_sets_and_is_in_the_docs():
    """docs/devcontainer-spec.md lists every key with what dockerls does, generated from SUPPORT
    (``python -m dockerls.develop.plan.spec_keys``): the two cannot drift apart."""
    from pathlib import Path

    from dockerls.develop.plan.spec_keys import (
        APPLIED_BUILD_KEYS,
        APPLIED_KEYS,
        NOT,
        NOT_APPLIED_BUILD,
        SUPPORT,
        support_table,
    )

    build = {f"build.{k}": k in APPLIED_BUILD_KEYS for k in (*APPLIED_BUILD_KEYS, *NOT_APPLIED_BUILD)}
    applied = {**{k: True for k in APPLIED_KEYS}, **{k: False for k in NOT_APPLIED}, **build}
    assert set(SUPPORT) == set(applied)
    for key, (status, why) in SUPPORT.items():
        assert status in ("supported", "partial", "not") and why and "|" not in why, key
        assert (status != NOT) == applied[key], f"{key}: {status}, but {'' if applied[key] else 'not '}applied"
    docs = (Path(__file__).resolve().parents[3] / "docs" / "devcontainer-spec.md").read_text(encoding="utf-8")
    start, end = "<!-- spec-keys:start -->\n", "<!-- spec-keys:end -->"
    assert docs[docs.index(start) + len(start):docs.index(end)] == support_table(), \
        "docs/devcontainer-spec.md is out of date: paste `python -m dockerls.develop.plan.spec_keys` between its markers"


def test_wait_for_says_when_the_container_is_ready():
    from dockerls.develop.plan.lifecycle import parse_lifecycle, steps_before_ready

    steps = [parse_lifecycle(step, "true") for step in
             ("onCreateCommand", "updateContentCommand", "postCreateCommand", "postStartCommand", "postAttachCommand")]
    assert steps_before_ready("updateContentCommand", steps) == 2  # the default: postCreate... go on
    assert steps_before_ready("onCreateCommand", steps) == 1
    assert steps_before_ready("postAttachCommand", steps) == 5  # ready when everything has run
    assert steps_before_ready("initializeCommand", steps) == 0  # ready before any
    # a step that is not written (or not due) counts where it would run
    assert steps_before_ready("updateContentCommand", [steps[2], steps[4]]) == 0
    assert steps_before_ready("postCreateCommand", [steps[4]]) == 0


def test_wait_for_in_the_plan(tmp_path):
    assert _plan(tmp_path, {"image": "x"}).wait_for == "updateContentCommand"
    assert _plan(tmp_path, {"image": "x", "waitFor": "postCreateCommand"}).wait_for == "postCreateCommand"
    plan = _plan(tmp_path, {"image": "x", "waitFor": "postCreate"})
    assert plan.wait_for == "updateContentCommand"
    assert next(p for p in plan.problems if p.key == "waitFor").severity == "info"  # DV006's warning in check


def test_the_image_s_metadata_gives_the_keys_devcontainer_json_does_not_set(tmp_path):
    from dockerls.develop.plan.features_apply import METADATA_LABEL
    from dockerls.develop.plan.image_metadata import apply_image_metadata
    from dockerls.develop.plan.model import DevelopOptions

    path = tmp_path / ".devcontainer" / "devcontainer.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"image": "x", "remoteUser": "dev", "userEnvProbe": "loginShell",
                                "portsAttributes": {"3000": {"label": "mine"}}}))
    plan = make_plan(str(tmp_path), DevelopOptions(host_ids=(1001, 1001)))
    image = [{"waitFor": "postCreateCommand", "userEnvProbe": "none", "forwardPorts": [8080],
              "portsAttributes": {"3000": {"label": "image's"}, "8080": {"label": "Docs"}},
              "otherPortsAttributes": {"onAutoForward": "ignore"}, "updateRemoteUserUID": False}]
    apply_image_metadata(plan, plan.main_container, {METADATA_LABEL: json.dumps(image)}, "")
    assert plan.wait_for == "postCreateCommand"  # devcontainer.json does not say
    assert plan.user_env_probe == "loginShell"  # devcontainer.json does
    assert plan.ports_attributes == {"3000": {"label": "mine"}, "8080": {"label": "Docs"}}
    assert plan.other_ports_attributes == {"onAutoForward": "ignore"}
    assert 8080 in plan.forward_container_ports
    assert plan.uid_update is None  # the image turns it off
