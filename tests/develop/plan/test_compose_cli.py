"""The pure part of compose through Compose: files, override, command line."""

import json
import shutil
import subprocess
import sys

import pytest

from dockerls.develop.plan.compose_cli import (
    ComposeUp,
    apply_service_image,
    build_arguments,
    compose_files,
    down_arguments,
    extends_image,
    needs_image_config,
    override_document,
    plan_override,
    project_name,
    rm_arguments,
    service_override,
    up_arguments,
)
from dockerls.develop.plan.dockerfile import KEEP_ALIVE_ENTRYPOINT
from dockerls.develop.plan.model import ContainerSpec, DevelopOptions, Mount, PlanError, PortBinding
from dockerls.develop.plan.workspace import make_plan


def test_compose_files_string_or_list(tmp_path):
    base = str(tmp_path / ".devcontainer")
    assert compose_files("../compose.yaml", base) == [str(tmp_path / "compose.yaml")]
    assert compose_files(["../a.yml", "b.yml"], base) == [str(tmp_path / "a.yml"), f"{base}/b.yml"]
    for bad in ([], [1], 3, [""]):
        with pytest.raises(ValueError):
            compose_files(bad, base)


def _spec():
    return ContainerSpec(name="x", image="", labels={"devcontainer.local_folder": "/w"},
                         mounts=[Mount("bind", "/w", "/workspace"), Mount("volume", "cache", "/cache", True)],
                         environment={"A": "$HOME"}, ports=[PortBinding(3000, "tcp", 3000, "127.0.0.1")],
                         user="dev", cap_add=["SYS_PTRACE"])


def test_override_and_command():
    up = ComposeUp("proj", ["/w/a.yml", "/w/b.yml"], ["app", "db"], {
        "services": {"app": service_override(_spec(), override_command=True, keep_alive=KEEP_ALIVE_ENTRYPOINT)}})
    app = json.loads(up.override_text())["services"]["app"]
    assert app["entrypoint"][2].count("$$@") == 1 and app["command"] == []  # $ doubled: no interpolation
    assert app["environment"] == {"A": "$$HOME"} and app["user"] == "dev" and app["cap_add"] == ["SYS_PTRACE"]
    assert app["volumes"][1] == {"type": "volume", "target": "/cache", "source": "cache", "read_only": True}
    assert app["ports"] == [{"target": 3000, "protocol": "tcp", "published": "3000", "host_ip": "127.0.0.1"}]
    assert up.command("/tmp/o.json") == ["--progress", "json", "-p", "proj", "-f", "/w/a.yml", "-f", "/w/b.yml",
                                         "-f", "/tmp/o.json", "up", "-d", "app", "db"]
    assert "entrypoint" not in service_override(_spec(), override_command=False, keep_alive=KEEP_ALIVE_ENTRYPOINT)


@pytest.mark.skipif(not shutil.which("docker-compose"), reason="docker-compose (the compose extra) is not installed")
def test_compose_reads_the_override_as_written(tmp_path):
    (tmp_path / "a.yml").write_text("services:\n  app:\n    image: busybox\n")
    (tmp_path / "b.yml").write_text("services:\n  app:\n    volumes: ['.:/src']\n")
    up = ComposeUp("proj", [str(tmp_path / "a.yml"), str(tmp_path / "b.yml")], ["app"],
                   override_document("app", _spec(), override_command=True, keep_alive=KEEP_ALIVE_ENTRYPOINT))
    override = tmp_path / "override.json"
    override.write_text(up.override_text())
    args = up.command(str(override), progress_json=False)
    config = subprocess.run(["docker-compose", *args[:args.index("up")], "config", "--format", "json"],
                            capture_output=True, text=True, check=True)
    app = json.loads(config.stdout)["services"]["app"]
    # `config` prints a compose file: `$` is escaped again, so one `$$` here is one `$` in the container
    assert app["entrypoint"][2] == KEEP_ALIVE_ENTRYPOINT[2].replace("$", "$$") and app["environment"] == {"A": "$$HOME"}
    assert {v["target"] for v in app["volumes"]} == {"/src", "/workspace", "/cache"}  # both files and the override
    assert json.loads(config.stdout)["volumes"]["cache"]["name"] == "cache"  # the volume keeps its name


# -- the plan of a devcontainer.json with dockerComposeFile ------------------------------------------


BASE = "services:\n  app: {image: base}\n  db: {image: base}\n  other: {image: base}\n"


def _project(tmp_path, config: dict, overlay: str = "services:\n  app:\n    environment: {X: '1'}\n"):
    folder = tmp_path / "My.Project"
    (folder / ".devcontainer").mkdir(parents=True)
    (folder / ".devcontainer" / "compose.yaml").write_text(BASE)
    (folder / ".devcontainer" / "overlay.yaml").write_text(overlay)
    (folder / ".devcontainer" / "devcontainer.json").write_text(json.dumps(
        {"dockerComposeFile": ["compose.yaml", "overlay.yaml"], "service": "app", **config}))
    return folder


def test_project_name_as_the_dev_containers_cli_derives_it(tmp_path):
    folder = str(tmp_path / "My.Project")
    in_devcontainer = [f"{folder}/.devcontainer/compose.yaml"]
    assert project_name(folder, in_devcontainer, {}) == "myproject_devcontainer"
    assert project_name(folder, [f"{folder}/Compose Files/a.yml"], {}) == "composefiles"
    assert project_name(folder, in_devcontainer, {"COMPOSE_PROJECT_NAME": "Shop.1"}) == "shop1"
    assert project_name(folder, in_devcontainer, {}, "A=1\nCOMPOSE_PROJECT_NAME=from_env \n") == "from_env"


def test_plan_every_file_in_order_run_services_and_the_workspace_mount(tmp_path):
    folder = _project(tmp_path, {"runServices": ["db", "nope"], "workspaceFolder": "/work", "overrideCommand": True,
                                 "containerEnv": {"E": "$X"}, "shutdownAction": "stopCompose"})
    plan = make_plan(str(folder), DevelopOptions(environ={}, labels={"t": "1"}))
    compose = plan.compose
    assert compose.files == [f"{folder}/.devcontainer/compose.yaml", f"{folder}/.devcontainer/overlay.yaml"]
    assert compose.project == plan.compose_project == "myproject_devcontainer"
    assert compose.services == ["db", "app"]  # runServices (the unknown one left out) and the service
    assert any(p.key == "runServices" and "nope" in p.message for p in plan.problems)
    assert plan.shutdown_action == "stopCompose" and plan.workspace_folder == "/work"
    spec = plan.main_container
    assert spec.name == "myproject_devcontainer-app-1" and spec.mounts == [Mount("bind", str(folder), "/work")]
    override = plan_override(plan)["services"]["app"]
    assert override["labels"]["devcontainer.local_folder"] == str(folder) and override["labels"]["t"] == "1"
    assert override["labels"]["devcontainer.config_file"] == f"{folder}/.devcontainer/devcontainer.json"
    assert not any(k.startswith("dockerls.config") for k in override["labels"])  # Compose hashes the config itself
    assert override["environment"] == {"E": "$X"} and override["entrypoint"] == KEEP_ALIVE_ENTRYPOINT
    files = ["-f", compose.files[0], "-f", compose.files[1], "-f", "/c/o.json"]
    assert up_arguments(plan, "/c/o.json") == ["--progress", "json", "-p", "myproject_devcontainer", *files,
                                               "up", "-d", "db", "app"]
    assert up_arguments(plan, "/c/o.json", build=True, force_recreate=True)[-6:] == \
        ["up", "-d", "--build", "--force-recreate", "db", "app"]
    assert build_arguments(plan, "/c/o.json", no_cache=True)[-4:] == ["build", "--no-cache", "db", "app"]
    assert down_arguments("p", volumes=True, images=True) == ["--progress", "json", "-p", "p", "down", "--volumes",
                                                              "--rmi", "local"]
    # --rmi local as Compose reads the user's files (without the override), orphans too
    assert down_arguments("p", images=True, progress_json=False, files=["/a.yaml", "/b.yaml"]) == \
        ["-p", "p", "-f", "/a.yaml", "-f", "/b.yaml", "down", "--rmi", "local", "--remove-orphans"]
    assert rm_arguments(plan)[-5:] == ["myproject_devcontainer", "rm", "--stop", "--force", "app"]


def test_plan_without_run_services_starts_all_and_leaves_a_mounted_folder_alone(tmp_path):
    folder = _project(tmp_path, {"workspaceFolder": "/src"}, "services:\n  app:\n    volumes: ['..:/src']\n")
    plan = make_plan(str(folder), DevelopOptions(environ={}))
    assert plan.compose.services == [] and not plan.compose.override_command  # overrideCommand: false by default
    assert plan.main_container.mounts == []  # the overlay mounts the folder
    assert "volumes" not in plan_override(plan)["services"]["app"]


def test_plan_errors(tmp_path):
    folder = _project(tmp_path, {"service": "missing"})
    with pytest.raises(PlanError, match="service 'missing' is not in the compose files"):
        make_plan(str(folder), DevelopOptions(environ={}))
    (folder / ".devcontainer" / "devcontainer.json").write_text('{"dockerComposeFile": ["compose.yaml", "gone.yaml"], '
                                                                '"service": "app"}')
    with pytest.raises(PlanError, match="gone.yaml does not exist"):
        make_plan(str(folder), DevelopOptions(environ={}))


def _label(*entries):
    return {"devcontainer.metadata": json.dumps(list(entries))}


def test_the_service_image_s_label_comes_first_in_the_override(tmp_path):
    """As the CLI merges for compose: the image's entries, then devcontainer.json's; the override
    gets the merged keys and the whole label."""
    folder = _project(tmp_path, {"containerEnv": {"OWN": "1", "BOTH": "own"}, "postCreateCommand": "echo own",
                                 "workspaceFolder": "/work"})
    plan = make_plan(str(folder), DevelopOptions(environ={}, host_ids=(0, 0)))
    image_entry = {"remoteUser": "dev", "containerUser": "runner", "containerEnv": {"IMG": "2", "BOTH": "image"},
                   "postCreateCommand": "echo image", "capAdd": ["SYS_PTRACE"], "entrypoint": "/init.sh"}
    apply_service_image(plan, _label(image_entry), "")
    assert plan.remote_user == "dev"
    assert [c.commands[""][2] for c in plan.lifecycle] == ["echo image", "echo own"]
    override = plan_override(plan)["services"]["app"]
    assert override["environment"] == {"IMG": "2", "BOTH": "own", "OWN": "1"}
    assert override["user"] == "runner" and override["cap_add"] == ["SYS_PTRACE"]
    assert "/init.sh" in override["entrypoint"][2] and override["entrypoint"][:2] == KEEP_ALIVE_ENTRYPOINT[:2]
    label = json.loads(override["labels"]["devcontainer.metadata"])
    assert label[0] == image_entry and label[-1]["postCreateCommand"] == "echo own"
    assert "image" not in override and not plan.compose.uid_image  # root on the host: no UID update


def test_the_image_s_override_command_decides_for_the_service(tmp_path):
    folder = _project(tmp_path, {})
    plan = make_plan(str(folder), DevelopOptions(environ={}))
    apply_service_image(plan, _label({"overrideCommand": True}), "")
    assert plan.compose.override_command and not needs_image_config(plan)
    assert plan_override(plan)["services"]["app"]["command"] == []  # the keep-alive loop, not the service's
    plan = make_plan(str(_project(tmp_path / "own", {"overrideCommand": False})), DevelopOptions(environ={}))
    apply_service_image(plan, _label({"overrideCommand": True}), "")
    assert not plan.compose.override_command  # devcontainer.json's own value wins


@pytest.mark.skipif(sys.platform != "linux", reason="updateRemoteUserUID applies on Linux hosts only")
def test_the_uid_update_of_a_compose_service(tmp_path):
    """The remote user: remoteUser, else containerUser, else the service's user:, else the image's;
    the override then names the updated image."""
    def plan_for(config, overlay="services:\n  app:\n    environment: {X: '1'}\n", host=(4321, 4322), name="p"):
        return make_plan(str(_project(tmp_path / name, config, overlay)), DevelopOptions(environ={}, host_ids=host))

    plan = plan_for({"remoteUser": "dev"})
    apply_service_image(plan, None, "")
    assert plan.compose.uid_image == "myproject_devcontainer-app-1-uid:latest"
    assert plan_override(plan)["services"]["app"]["image"] == plan.compose.uid_image
    assert extends_image(plan)  # Compose builds the base first, then up does not build
    assert "--build" not in up_arguments(plan, "/o.json")
    plan = plan_for({}, "services:\n  app:\n    user: worker\n", name="service-user")
    assert plan.uid_update.remote_user == "worker"
    apply_service_image(plan, None, "root")
    assert plan.compose.uid_image  # the service's user, not the image's
    plan = plan_for({}, name="image-user")
    apply_service_image(plan, None, "node")
    assert plan.uid_update.remote_user is None and plan.compose.uid_image
    plan = plan_for({}, name="root-image")
    apply_service_image(plan, None, "root")  # nobody but root
    assert not plan.compose.uid_image and "image" not in plan_override(plan)["services"]["app"]
    plan = plan_for({}, name="off")
    apply_service_image(plan, _label({"remoteUser": "dev", "updateRemoteUserUID": False}), "")
    assert plan.uid_update is None and not plan.compose.uid_image
    plan = plan_for({"remoteUser": "dev"}, host=(0, 0), name="root")  # root on the host: skipped
    apply_service_image(plan, None, "")
    assert plan.uid_update is None and not plan.compose.uid_image


def test_the_clis_own_entries_on_the_service_image_are_not_merged_twice(tmp_path):
    """The CLI labels the image it builds for the service with devcontainer.json's entry, under the
    name Compose gives it: those entries are the plan's own, not the image's."""
    plan = make_plan(str(_project(tmp_path, {"remoteUser": "root", "postCreateCommand": "echo own"})),
                     DevelopOptions(environ={}))
    own = {"remoteUser": "root", "postCreateCommand": "echo own"}
    apply_service_image(plan, _label({"containerEnv": {"A": "1"}}, own), "")
    assert [c.commands[""][2] for c in plan.lifecycle] == ["echo own"]
    assert json.loads(plan.main_container.labels["devcontainer.metadata"]) == [{"containerEnv": {"A": "1"}}, own]
