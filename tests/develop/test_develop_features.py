"""End to end: dev container features installed into an extended image (local and from a registry)."""

import json
import os

import pytest

from dockerls.develop.plan.features_apply import metadata_entries
from dockerls.develop.plan.model import DevelopOptions
from tests.develop.feature_fixtures import DOCKERFILE, push_feature, write_feature
from tests.develop.helpers import cat, develop, devcontainer_cli, devcontainer_up, labels_of, remove_test_images


@pytest.fixture(autouse=True)
def _remove_feature_images(engine):
    """The extended images (ours and the CLI's) of the test projects go with the test."""
    yield
    remove_test_images(engine)


def _config(project, base_image, features: dict) -> None:
    folder = project / ".devcontainer"
    folder.mkdir(exist_ok=True)
    (folder / "Dockerfile").write_text(DOCKERFILE.format(base=base_image))
    (folder / "devcontainer.json").write_text(json.dumps({
        "build": {"dockerfile": "Dockerfile"},
        "features": features,
        "containerEnv": {"HELLO_PATH": "from-config"},
        "postCreateCommand": "echo own >> /tmp/feature-post-create",
    }, indent=2))


def _check_container(engine, result, feature_id: str) -> None:
    assert result.ok, result.message
    cid = result.container_id
    assert cat(engine, cid, "/opt/hello/greeting") == "hey there\n"  # the option, as $GREETING
    assert cat(engine, cid, "/opt/hello/loud") == "true\n"
    assert cat(engine, cid, "/opt/hello/remote-user") == "root\n"
    env = dict(e.split("=", 1) for e in engine.api.inspect_container(cid)["Config"]["Env"])
    assert env["HELLO_HOME"] == "/opt/hello" and env["HELLO_PATH"] == "from-config"  # devcontainer.json wins
    assert engine.api.inspect_container(cid)["HostConfig"]["CapAdd"] == ["SYS_PTRACE"]
    # the feature's postCreateCommand ran before devcontainer.json's
    assert cat(engine, cid, "/tmp/feature-post-create") == "hey there\nown\n"
    metadata = metadata_entries(labels_of(engine, cid)["devcontainer.metadata"])
    assert metadata[0]["id"] == feature_id and metadata[0]["capAdd"] == ["SYS_PTRACE"]
    assert metadata[-1]["postCreateCommand"] == "echo own >> /tmp/feature-post-create"
    image = engine.api.inspect_image(engine.api.inspect_container(cid)["Image"])
    assert metadata_entries(image["Config"]["Labels"]["devcontainer.metadata"]) == metadata


def test_a_local_feature_with_options(clean_engine, base_image, project):
    write_feature(project / ".devcontainer" / "hello")
    _config(project, base_image, {"./hello": {"greeting": "hey there", "loud": True}})
    result = develop(clean_engine, project)
    _check_container(clean_engine, result, "./hello")
    assert develop(clean_engine, project).action == "reused"


def test_a_feature_from_a_registry(clean_engine, base_image, project, tmp_path):
    registry = os.environ.get("DOCKERLS_TEST_REGISTRY")
    if not registry:
        pytest.skip(os.environ.get("DOCKERLS_REGISTRY_SKIP") or "no local registry (tests/setup/25-registry.sh)")
    push_feature(registry, "dlstest/features/hello", "1")
    reference = f"{registry}/dlstest/features/hello:1"
    _config(project, base_image, {reference: {"greeting": "hey there", "loud": True}})
    environ = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    result = develop(clean_engine, project, environ=environ)
    _check_container(clean_engine, result, reference)
    # cached: planned again offline, the options are checked from the cache
    from dockerls.develop.plan.workspace import make_plan

    (project / ".devcontainer" / "devcontainer.json").write_text(json.dumps(
        {"image": base_image, "features": {reference: {"greting": "x"}}}))
    plan = make_plan(str(project), DevelopOptions(environ=environ))
    assert plan.missing_features == []
    assert any("no option 'greting'" in p.message for p in plan.problems)


def _observed(engine, container_id: str) -> dict:
    """What a user of the container sees: its environment, the feature's files, the metadata."""
    attrs = engine.api.inspect_container(container_id)
    image = engine.api.inspect_image(attrs["Image"])
    files = {path: cat(engine, container_id, path) for path in (
        "/opt/hello/greeting", "/opt/hello/loud", "/opt/hello/remote-user", "/tmp/feature-post-create")}
    return {
        "env": sorted(attrs["Config"]["Env"]),
        "container label": attrs["Config"]["Labels"].get("devcontainer.metadata"),
        "image label": image["Config"]["Labels"].get("devcontainer.metadata"),
        "files": files,
        "capabilities": sorted(c.removeprefix("CAP_") for c in attrs["HostConfig"]["CapAdd"] or []),
        "user": attrs["Config"]["User"],
    }


def test_the_same_container_as_the_dev_containers_cli(clean_engine, base_image, project, tmp_path):
    """``devcontainer up`` and ``dockerls develop`` on one configuration: the same environment,
    files and devcontainer.metadata label (tests/develop/test_side_by_side.py compares more)."""
    cli = devcontainer_cli()
    write_feature(project / ".devcontainer" / "hello")
    _config(project, base_image, {"./hello": {"greeting": "hey there", "loud": True}})
    theirs = devcontainer_up(cli, project, tmp_path)
    ours = develop(clean_engine, project)
    assert ours.ok, ours.message
    assert _observed(clean_engine, ours.container_id) == _observed(clean_engine, theirs)
