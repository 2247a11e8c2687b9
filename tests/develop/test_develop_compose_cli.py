"""End to end: a devcontainer.json with two dockerComposeFile files, brought up by Docker Compose."""

import json
import os
import shutil
import subprocess

import pytest

from dockerls.develop import service
from dockerls.develop.progress import RecordingProgress
from tests.develop.helpers import KEEP_RUNNING, cat, compose_or_skip, develop

@pytest.fixture
def compose(engine, monkeypatch, tmp_path):
    return compose_or_skip(monkeypatch, tmp_path)


def _two_files(project, base_image) -> str:
    """Base file with three services, an overlay that adds an env var; the project's name."""
    (project / "hello.txt").write_text("from the host\n")
    folder = project / ".devcontainer"
    folder.mkdir()
    service = f'    image: {base_image}\n    command: ["sh", "-c", "{KEEP_RUNNING}"]\n'
    (folder / "compose.yaml").write_text(f"services:\n  app:\n{service}  db:\n{service}  other:\n{service}")
    (folder / "overlay.yaml").write_text("services:\n  app:\n    environment:\n      FROM_OVERLAY: 'yes'\n")
    (folder / "devcontainer.json").write_text(json.dumps({
        "dockerComposeFile": ["compose.yaml", "overlay.yaml"], "service": "app", "runServices": ["db"],
        "workspaceFolder": "/workspace", "containerEnv": {"FROM_JSON": "1"},
        "postCreateCommand": "touch /tmp/created"}))
    return f"{project.name.lower()}_devcontainer"


def _compose_ps(program, name: str) -> list[dict]:
    done = subprocess.run([*program.argv, "-p", name, "ps", "--all", "--format", "json"], capture_output=True,
                          text=True, check=True)
    text = done.stdout.strip()
    return json.loads(text) if text.startswith("[") else [json.loads(line) for line in text.splitlines() if line]


def test_two_compose_files_through_compose(clean_engine, base_image, project, compose):
    engine = clean_engine
    name = _two_files(project, base_image)
    progress = RecordingProgress()
    try:
        result = develop(engine, project, progress)
        assert result.ok, result.message
        assert result.action == "created" and result.container_name == f"{name}-app-1"
        env = dict(line.split("=", 1) for line in cat(engine, result.container_id, "/proc/1/environ").split("\0")
                   if "=" in line)
        assert env["FROM_OVERLAY"] == "yes" and env["FROM_JSON"] == "1"  # the second file and devcontainer.json
        assert cat(engine, result.container_id, "/workspace/hello.txt") == "from the host\n"
        cat(engine, result.container_id, "/tmp/created")  # postCreateCommand ran
        # runServices: db and the service; `other` not started.  Compose itself sees the project.
        assert sorted(c["Service"] for c in _compose_ps(compose, name)) == ["app", "db"]
        assert [c["service"] for c in service.status(str(project), client=engine).containers] == ["app", "db"]
        labels = engine.api.inspect_container(result.container_id)["Config"]["Labels"]
        assert labels["devcontainer.local_folder"] == str(project)
        assert labels["devcontainer.config_file"] == str(project / ".devcontainer" / "devcontainer.json")
        # progress in order: begin, Compose's events, the lifecycle, end
        kinds = [k for k, _, _ in progress.events]
        assert kinds[0] == "begin" and kinds[-1] == "end" and progress.texts("end") == [f"Ready: created {name}-app-1"]
        steps = progress.texts("step")
        app = [s for s in steps if s.startswith(f"Container {name}-app-1: ")]
        assert [s.split(": ")[1] for s in app] == ["Creating", "Created", "Starting", "Started"]
        assert steps.index(app[-1]) < steps.index("Running postCreateCommand")
        percents = [p for k, _, p in progress.events if k == "step" and p is not None]
        assert percents == sorted(percents)

        quiet = RecordingProgress()
        again = develop(engine, project, quiet)
        assert again.ok and again.action == "reused" and again.container_id == result.container_id
        assert not any(s.startswith("Container ") for s in quiet.texts("step"))  # nothing changed: no Compose run

        overlay = project / ".devcontainer" / "overlay.yaml"
        overlay.write_text(overlay.read_text().replace("'yes'", "'changed'"))
        changed = develop(engine, project)
        assert changed.ok and changed.action == "recreated", changed.message
        assert "FROM_OVERLAY=changed" in cat(engine, changed.container_id, "/proc/1/environ")

        gone = service.down(str(project), client=engine)
        assert gone.ok, gone.message
        assert sorted(c["name"] for c in gone.containers) == [f"{name}-app-1", f"{name}-db-1"]
        assert _compose_ps(compose, name) == []
    finally:
        subprocess.run([*compose.argv, "-p", name, "down"], capture_output=True, check=False)


def test_a_missing_compose_names_the_extra(clean_engine, base_image, project, compose, tmp_path):
    _two_files(project, base_image)
    empty = tmp_path / "bin"
    empty.mkdir()
    result = service.develop(str(project), None, client=clean_engine, compose_search_path=str(empty))
    assert not result.ok and "pip install 'dockerls-tools[compose]'" in result.message
    assert "docker compose" in result.message


def test_a_compose_failure_is_said_once_with_compose_text(clean_engine, project, compose):
    (project / ".devcontainer").mkdir()
    (project / ".devcontainer" / "compose.yaml").write_text("services:\n  app:\n    image: dlstest-absent:1\n"
                                                           "    pull_policy: never\n    entrypoint: [sh]\n")
    (project / ".devcontainer" / "devcontainer.json").write_text('{"dockerComposeFile": "compose.yaml", '
                                                                 '"service": "app"}')
    progress = RecordingProgress()
    result = develop(clean_engine, project, progress)
    assert not result.ok
    assert result.message.startswith(f"{compose.name} could not start the project ") and "dlstest-absent" in result.message
    assert progress.texts("end") == ["Failed"]  # the message is the result's: printed once


def test_shutdown_action_none_removes_only_the_dev_container(clean_engine, base_image, project, compose):
    engine = clean_engine
    name = _two_files(project, base_image)
    config = project / ".devcontainer" / "devcontainer.json"
    config.write_text(json.dumps({**json.loads(config.read_text()), "shutdownAction": "none"}))
    try:
        assert develop(engine, project).ok
        gone = service.down(str(project), client=engine)
        assert gone.ok and [c["name"] for c in gone.containers] == [f"{name}-app-1"]
        assert [(c["Service"], c["State"]) for c in _compose_ps(compose, name)] == [("db", "running")]
    finally:
        subprocess.run([*compose.argv, "-p", name, "down"], capture_output=True, check=False)


def test_features_extend_the_service_image(clean_engine, base_image, project, compose):
    """As the Dev Containers CLI does: Compose builds the service's image, the features are installed
    on it, and the override points the service at the extended image."""
    from dockerls.develop.plan.features_apply import metadata_entries
    from tests.develop.feature_fixtures import DOCKERFILE, write_feature

    engine = clean_engine
    folder = project / ".devcontainer"
    folder.mkdir()
    write_feature(folder / "hello")
    (folder / "Dockerfile").write_text(DOCKERFILE.format(base=base_image))
    (folder / "compose.yaml").write_text(f'services:\n  app:\n    build: .\n    command: ["sh", "-c", "{KEEP_RUNNING}"]\n')
    (folder / "devcontainer.json").write_text(json.dumps({
        "dockerComposeFile": "compose.yaml", "service": "app", "workspaceFolder": "/workspace",
        "features": {"./hello": {"greeting": "hey there", "loud": True}}}))
    name = f"{project.name.lower()}_devcontainer"
    try:
        built = service.build_only(str(project), None, client=engine)  # the editor's "build": images only
        assert built.ok, built.message
        tag = built.plan.main_container.image
        assert tag.startswith(f"dockerls-features-{name}-app:") and engine.api.images(name=tag)
        assert _compose_ps(compose, name) == []  # nothing started
        progress = RecordingProgress()
        result = develop(engine, project, progress)
        assert result.ok, result.message
        cid = result.container_id
        assert cat(engine, cid, "/opt/hello/greeting") == "hey there\n"
        attrs = engine.api.inspect_container(cid)
        assert attrs["Config"]["Image"].startswith(f"dockerls-features-{name}-app:")
        assert "HELLO_HOME=/opt/hello" in attrs["Config"]["Env"]
        assert {"SYS_PTRACE", "CAP_SYS_PTRACE"} & set(attrs["HostConfig"]["CapAdd"])  # the feature's capAdd
        assert "hello" in metadata_entries(attrs["Config"]["Labels"]["devcontainer.metadata"])[0]["id"]
        cat(engine, cid, "/tmp/feature-post-create")  # the feature's postCreateCommand ran
        again = develop(engine, project)
        assert again.ok and again.action == "reused" and again.container_id == cid
    finally:
        gone = service.down(str(project), client=engine, remove_images=True)
        subprocess.run([*compose.argv, "-p", name, "down", "--rmi", "all"], capture_output=True, check=False)
    # down --rmi local: the features image (by its label) and the image Compose built for the service
    assert gone.ok and tag in [c.get("image") for c in gone.containers], gone.containers
    assert not engine.api.images(name=tag) and not engine.api.images(name=f"{name}-app")


@pytest.mark.skipif(not shutil.which("devcontainer"), reason="the Dev Containers CLI (devcontainer) is not installed")
def test_dockerls_and_the_dev_containers_cli_adopt_each_others_compose_container(clean_engine, base_image, project,
                                                                                compose):
    engine = clean_engine
    name = _two_files(project, base_image)
    env = {**os.environ, "PATH": os.pathsep.join([os.path.dirname(compose.argv[0]), os.environ.get("PATH", "")])}

    def devcontainer_up() -> dict:
        done = subprocess.run(["devcontainer", "up", "--workspace-folder", str(project)], capture_output=True,
                              text=True, env=env, timeout=300, check=False)
        return json.loads(done.stdout.strip().splitlines()[-1])

    try:
        ours = develop(engine, project)
        assert ours.ok, ours.message
        theirs = devcontainer_up()
        assert theirs["outcome"] == "success" and theirs["containerId"] == ours.container_id
        assert theirs["composeProjectName"] == name  # the same project name
        subprocess.run([*compose.argv, "-p", name, "down"], capture_output=True, check=True)
        theirs = devcontainer_up()
        again = develop(engine, project)
        assert again.ok and again.action == "reused" and again.container_id == theirs["containerId"]
    finally:
        subprocess.run([*compose.argv, "-p", name, "down"], capture_output=True, check=False)


def test_the_service_image_s_metadata_label_and_the_uid_update(clean_engine, base_image, project, compose):
    """As the Dev Containers CLI does for compose: the label of the image Compose builds for the
    service comes first in the merge (its remoteUser, containerEnv and postCreateCommand apply), the
    UID update is an image built on the service's and named in the override, and ``down --rmi
    local`` removes the images develop built (and the ones Compose built, as Compose's own says)."""
    from dockerls.develop.plan.features_apply import metadata_entries
    from tests.develop.feature_fixtures import DOCKERFILE
    from tests.develop.test_develop_spec_keys import USER_DOCKERFILE

    engine = clean_engine
    folder = project / ".devcontainer"
    folder.mkdir()
    image_entry = {"remoteUser": "tester", "containerEnv": {"FROM_IMAGE": "1"},
                   "postCreateCommand": "id -u > /tmp/uid; id -un > /tmp/user"}
    (folder / "Dockerfile").write_text(USER_DOCKERFILE.format(base=base_image)
                                       + f"LABEL devcontainer.metadata={json.dumps(json.dumps([image_entry]))}\n")
    assert DOCKERFILE.format(base=base_image) in (folder / "Dockerfile").read_text()
    (folder / "compose.yaml").write_text(f'services:\n  app:\n    build: .\n    command: ["sh", "-c", "{KEEP_RUNNING}"]\n')
    (folder / "devcontainer.json").write_text(json.dumps({
        "dockerComposeFile": "compose.yaml", "service": "app", "workspaceFolder": "/workspace",
        "postCreateCommand": "touch /tmp/own"}))
    name = f"{project.name.lower()}_devcontainer"
    try:
        result = develop(engine, project, host_ids=(4321, 4322))
        assert result.ok, result.message
        assert result.remote_user == "tester"
        cid = result.container_id
        attrs = engine.api.inspect_container(cid)
        assert attrs["Config"]["Image"] == f"{name}-app-1-uid:latest"
        assert "FROM_IMAGE=1" in attrs["Config"]["Env"]
        assert cat(engine, cid, "/tmp/uid") == "4321\n" and cat(engine, cid, "/tmp/user") == "tester\n"
        cat(engine, cid, "/tmp/own")
        assert "tester:x:4321:4322:" in cat(engine, cid, "/etc/passwd")
        entries = metadata_entries(attrs["Config"]["Labels"]["devcontainer.metadata"])
        assert entries[0] == image_entry and entries[-1] == {"postCreateCommand": "touch /tmp/own"}
        again = develop(engine, project, host_ids=(4321, 4322))
        assert again.ok and again.action == "reused" and again.container_id == cid
        # the host user is root: no UID update, the service's own image again
        root = develop(engine, project, host_ids=(0, 0))
        assert root.ok and root.action == "recreated", root.message
        assert engine.api.inspect_container(root.container_id)["Config"]["Image"] == f"{name}-app"
        assert cat(engine, root.container_id, "/tmp/uid") == "1234\n"
    finally:
        gone = service.down(str(project), client=engine, remove_images=True)
    assert gone.ok, gone.message
    assert f"{name}-app-1-uid:latest" in [c.get("image") for c in gone.containers]
    assert not engine.api.images(name=f"{name}-app-1-uid") and not engine.api.images(name=f"{name}-app")


def test_the_uid_update_goes_on_the_features_image(clean_engine, base_image, project, compose):
    """With features, the -uid image is built on the features' image (which ends with the service
    image's user), and down --rmi local removes both."""
    from tests.develop.feature_fixtures import write_feature
    from tests.develop.test_develop_spec_keys import USER_DOCKERFILE

    engine = clean_engine
    folder = project / ".devcontainer"
    folder.mkdir()
    write_feature(folder / "hello")
    (folder / "Dockerfile").write_text(USER_DOCKERFILE.format(base=base_image) + "USER tester\n")
    (folder / "compose.yaml").write_text(f'services:\n  app:\n    build: .\n    command: ["sh", "-c", "{KEEP_RUNNING}"]\n')
    (folder / "devcontainer.json").write_text(json.dumps({
        "dockerComposeFile": "compose.yaml", "service": "app", "workspaceFolder": "/workspace",
        "features": {"./hello": {"greeting": "uid"}}, "postCreateCommand": "id -u > /tmp/uid"}))
    name = f"{project.name.lower()}_devcontainer"
    features_tag = ""
    try:
        result = develop(engine, project, host_ids=(4321, 4322))
        assert result.ok, result.message
        assert result.remote_user == "tester"  # the image's user
        cid = result.container_id
        assert engine.api.inspect_container(cid)["Config"]["Image"] == f"{name}-app-1-uid:latest"
        assert cat(engine, cid, "/opt/hello/greeting") == "uid\n" and cat(engine, cid, "/tmp/uid") == "4321\n"
        features_tag = result.plan.main_container.features.tag
        assert engine.api.images(name=features_tag)
    finally:
        gone = service.down(str(project), client=engine, remove_images=True)
    removed = [c.get("image") for c in gone.containers]
    assert f"{name}-app-1-uid:latest" in removed and features_tag in removed, removed
    assert not engine.api.images(name=f"{name}-app")
