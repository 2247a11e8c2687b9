"""The base image's own devcontainer.metadata label merged into the plan (the CLI's image metadata merge)."""

import json

from dockerls.develop.plan.features_apply import metadata_entries
from dockerls.develop.plan.image_metadata import (
    apply_container_metadata,
    apply_image_metadata,
    label_entries,
    merge_forward_ports,
    merge_host_requirements,
    merge_mounts,
    merged_configuration,
)
from dockerls.develop.plan.model import DevelopOptions, Mount, PortBinding
from dockerls.develop.plan.read_configuration import read_configuration, with_merged_configuration
from dockerls.develop.plan.workspace import make_plan
from tests.develop.plan.test_features import _project


def _plan(tmp_path, config, **features):
    tmp_path.mkdir(parents=True, exist_ok=True)
    return make_plan(_project(tmp_path, config, **features), DevelopOptions(environ={"WHO": "host-user"}))


def _label(*entries):
    return {"devcontainer.metadata": json.dumps(list(entries))}


def _commands(plan):
    return [(c.step, c.commands[""][2]) for c in plan.lifecycle]


def test_the_label_is_an_array_or_one_object():
    assert label_entries(None) == ([], None)
    assert label_entries({"other": "x"}) == ([], None)
    assert label_entries({"devcontainer.metadata": '{"remoteUser":"dev"}'}) == ([{"remoteUser": "dev"}], None)
    assert label_entries(_label({"a": 1}, {}, "x", {"b": 2})) == ([{"a": 1}, {"b": 2}], None)  # empty ones dropped
    entries, trouble = label_entries({"devcontainer.metadata": "[{"})
    assert entries == [] and "not JSON" in trouble
    assert "neither" in label_entries({"devcontainer.metadata": "3"})[1]


def test_lifecycle_commands_of_the_image_run_first_one_per_entry(tmp_path):
    plan = _plan(tmp_path, {"image": "img", "postCreateCommand": "echo own", "postStartCommand": "echo own start"})
    apply_image_metadata(plan, plan.main_container, _label(
        {"postCreateCommand": "echo image 1", "onCreateCommand": "echo image create"},
        {"postCreateCommand": "echo image 2"}), "")
    assert _commands(plan) == [("onCreateCommand", "echo image create"), ("postCreateCommand", "echo image 1"),
                               ("postCreateCommand", "echo image 2"), ("postCreateCommand", "echo own"),
                               ("postStartCommand", "echo own start")]


def test_the_image_comes_before_the_features_and_devcontainer_json(tmp_path):
    plan = _plan(tmp_path, {"image": "img", "postCreateCommand": "echo own", "features": {"./hello": {}}},
                 hello={"postCreateCommand": "echo feature", "entrypoint": "/feature-init.sh"})
    spec = plan.main_container
    apply_image_metadata(plan, spec, _label({"id": "ghcr.io/x/base:1", "postCreateCommand": "echo base",
                                             "entrypoint": "/base-init.sh"}), "vscode")
    assert _commands(plan) == [("postCreateCommand", "echo base"), ("postCreateCommand", "echo feature"),
                               ("postCreateCommand", "echo own")]
    body = spec.entrypoint[2]
    assert body.index("/base-init.sh") < body.index("/feature-init.sh") < body.index('exec "$@"')
    # the extended image's label (and the container's): the image's entries, the feature's, the own
    entries = metadata_entries(spec.features.metadata)
    assert [e.get("id") for e in entries] == ["ghcr.io/x/base:1", "./hello", None]
    assert spec.labels["devcontainer.metadata"] == spec.features.metadata
    assert spec.user is None  # the extended image ends with USER <the base's user>


def test_the_features_users_follow_the_images_label(tmp_path):
    plan = _plan(tmp_path, {"image": "img", "features": {"./hello": {}}}, hello={})
    spec = plan.main_container
    apply_image_metadata(plan, spec, _label({"remoteUser": "vscode", "containerUser": "svc"}), "")
    assert (spec.features.container_user, spec.features.remote_user) == ("svc", "vscode")
    plan = _plan(tmp_path / "own", {"image": "img", "remoteUser": "me", "features": {"./hello": {}}}, hello={})
    apply_image_metadata(plan, plan.main_container, _label({"remoteUser": "vscode"}), "")
    assert plan.main_container.features.remote_user == "me"


def test_container_env_and_remote_env_last_wins_per_variable(tmp_path):
    plan = _plan(tmp_path, {"image": "img", "containerEnv": {"SHARED": "own", "OWN": "1"},
                            "remoteEnv": {"R_SHARED": "own", "R_GONE": None, "WHO": "${localEnv:WHO}"}})
    spec = plan.main_container
    apply_image_metadata(plan, spec, _label(
        {"containerEnv": {"SHARED": "image", "IMAGE": "a", "FOLDER": "${localWorkspaceFolderBasename}"},
         "remoteEnv": {"R_SHARED": "image", "R_IMAGE": "x", "R_GONE": "image"}},
        {"containerEnv": {"IMAGE": "b"}}), "")
    assert spec.environment == {"SHARED": "own", "OWN": "1", "IMAGE": "b", "FOLDER": tmp_path.name}
    assert plan.remote_env == {"R_SHARED": "own", "R_IMAGE": "x", "WHO": "host-user"}  # null unsets
    assert spec.labels["dockerls.config_hash"] == spec.config_hash()


def test_users_last_wins(tmp_path):
    plan = _plan(tmp_path, {"image": "img"})
    spec = plan.main_container
    apply_image_metadata(plan, spec, _label({"remoteUser": "one", "containerUser": "c1"}, {"remoteUser": "two"}), "")
    assert plan.remote_user == "two" and spec.user == "c1"

    plan = _plan(tmp_path / "own", {"image": "img", "remoteUser": "mine", "containerUser": "me"})
    spec = plan.main_container
    apply_image_metadata(plan, spec, _label({"remoteUser": "image", "containerUser": "image"}), "")
    assert plan.remote_user == "mine" and spec.user == "me"

    plan = _plan(tmp_path / "cu", {"image": "img"})
    apply_image_metadata(plan, plan.main_container, _label({"containerUser": "svc"}), "")
    assert plan.remote_user == "svc" and plan.main_container.user == "svc"  # no remoteUser: the container user


def test_config_user_as_the_clis_uid_image_leaves_it(tmp_path):
    """Without a containerUser, a non-root remote user makes the CLI build an image ending in
    ``USER <image user or root>``: the container's Config.User."""
    plan = _plan(tmp_path, {"image": "img", "remoteUser": "dev"})
    apply_image_metadata(plan, plan.main_container, {}, "")
    assert plan.main_container.user == "root"
    plan = _plan(tmp_path / "b", {"image": "img", "remoteUser": "dev"})
    apply_image_metadata(plan, plan.main_container, {}, "builder")
    assert plan.main_container.user == "builder"
    for config, image_user in (({"image": "img"}, ""), ({"image": "img", "remoteUser": "root"}, "dev"),
                               ({"image": "img", "remoteUser": "1000"}, ""),
                               ({"image": "img", "remoteUser": "dev", "updateRemoteUserUID": False}, "")):
        plan = _plan(tmp_path / f"case{len(list(tmp_path.iterdir()))}", config)
        apply_image_metadata(plan, plan.main_container, {}, image_user)
        assert plan.main_container.user is None, config
    plan = _plan(tmp_path / "nl", {"image": "img", "remoteUser": "dev"})
    apply_image_metadata(plan, plan.main_container, {}, "", host_linux=False)
    assert plan.main_container.user is None
    plan = _plan(tmp_path / "label", {"image": "img"})
    apply_image_metadata(plan, plan.main_container, _label({"remoteUser": "dev", "updateRemoteUserUID": False}), "")
    assert plan.main_container.user is None


def test_mounts_caps_and_flags(tmp_path):
    plan = _plan(tmp_path, {"image": "img", "capAdd": ["NET_ADMIN"], "securityOpt": ["label=disable"],
                            "mounts": ["type=volume,source=mine,target=/data"]})
    spec = plan.main_container
    apply_image_metadata(plan, spec, _label(
        {"mounts": ["type=volume,source=image,target=/data", {"type": "volume", "source": "c", "target": "/cache"}],
         "capAdd": ["SYS_PTRACE", "NET_ADMIN"], "securityOpt": ["seccomp=unconfined"], "init": True},
        {"privileged": True, "capAdd": ["SYS_PTRACE"]}), "")
    assert spec.cap_add == ["SYS_PTRACE", "NET_ADMIN"]
    assert spec.security_opt == ["seccomp=unconfined", "label=disable"]
    assert spec.init and spec.privileged
    assert Mount("volume", "c", "/cache") in spec.mounts and Mount("volume", "mine", "/data") in spec.mounts
    assert not any(m.source == "image" for m in spec.mounts)


def test_forward_ports_overrideCommand_and_shutdown(tmp_path):
    plan = _plan(tmp_path, {"image": "img", "forwardPorts": [3000]})
    spec = plan.main_container
    apply_image_metadata(plan, spec, _label({"forwardPorts": [3000, 5000], "overrideCommand": False,
                                             "shutdownAction": "none"}), "")
    assert [p.container_port for p in spec.ports] == [3000, 5000]
    assert isinstance(spec.ports[1], PortBinding) and "127.0.0.1:5000" in plan.forward_ports
    assert spec.entrypoint is None and spec.command is None  # the image's own, as overrideCommand false says
    assert plan.shutdown_action == "none"
    plan = _plan(tmp_path / "own", {"image": "img", "overrideCommand": True})
    apply_image_metadata(plan, plan.main_container, _label({"overrideCommand": False}), "")
    assert plan.main_container.entrypoint is not None


def test_the_containers_label_lists_the_images_entries_as_written_first(tmp_path):
    plan = _plan(tmp_path, {"image": "img", "postCreateCommand": "echo own"})
    spec = plan.main_container
    entry = {"remoteEnv": {"P": "${containerEnv:PATH}:/x"}, "customizations": {"vscode": {"extensions": ["a"]}}}
    apply_image_metadata(plan, spec, _label(entry), "")
    assert json.loads(spec.labels["devcontainer.metadata"]) == [entry, {"postCreateCommand": "echo own"}]


def test_once_per_plan_and_only_for_devcontainer_json(tmp_path):
    plan = _plan(tmp_path, {"image": "img", "postCreateCommand": "echo own"})
    for _ in range(2):
        apply_image_metadata(plan, plan.main_container, _label({"postCreateCommand": "echo image"}), "")
    assert len(plan.lifecycle) == 2
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "Dockerfile").write_text("FROM img\n")
    plan = make_plan(str(tmp_path / "plain"), DevelopOptions(environ={}))
    assert plan.image_metadata is None


def test_a_bad_label_is_a_problem_not_a_failure(tmp_path):
    plan = _plan(tmp_path, {"image": "img"})
    apply_image_metadata(plan, plan.main_container, {"devcontainer.metadata": "not json"}, "")
    assert any("not JSON" in p.message for p in plan.problems)
    plan = _plan(tmp_path / "types", {"image": "img"})
    odd = {"postCreateCommand": 3, "mounts": "type=volume,target=/x", "capAdd": "X", "forwardPorts": 3000,
           "customizations": [], "remoteUser": 5, "containerUser": [], "remoteEnv": "A=1", "containerEnv": None,
           "shutdownAction": {}}
    apply_image_metadata(plan, plan.main_container, _label(odd), "")
    assert plan.lifecycle == [] and plan.remote_user is None and plan.main_container.cap_add == []
    assert any("postCreateCommand" in p.message for p in plan.problems)
    assert "capAdd" not in merged_configuration({}, [odd])


def test_merged_configuration_as_the_cli_merges():
    entries = [{"id": "base", "postCreateCommand": "a", "customizations": {"vscode": {"x": 1}}, "remoteUser": "u1",
                "containerEnv": {"A": "1", "B": "1"}, "forwardPorts": [3000, "db:5432"], "init": True,
                "capAdd": ["X"], "mounts": ["type=volume,source=a,target=/t"], "overrideCommand": False},
               {"postCreateCommand": "b", "customizations": {"vscode": {"y": 2}}, "containerEnv": {"B": "2"},
                "forwardPorts": ["localhost:3000"], "capAdd": ["X", "Y"], "mounts": [{"source": "b", "target": "/t"}],
                "entrypoint": "/e.sh", "updateRemoteUserUID": False}]
    merged = merged_configuration({"image": "img", "postCreateCommand": "b", "name": "n"}, entries)
    assert merged["image"] == "img" and merged["name"] == "n" and "postCreateCommand" not in merged
    assert merged["postCreateCommands"] == ["a", "b"] and merged["onCreateCommands"] == []
    assert merged["customizations"] == {"vscode": [{"x": 1}, {"y": 2}]}
    assert merged["remoteUser"] == "u1" and merged["containerEnv"] == {"A": "1", "B": "2"}
    assert merged["forwardPorts"] == [3000, "db:5432"] and merged["capAdd"] == ["X", "Y"]
    assert merged["init"] is True and merged["privileged"] is False
    assert merged["mounts"] == [{"source": "b", "target": "/t"}] and merged["entrypoints"] == ["/e.sh"]
    assert merged["overrideCommand"] is False and merged["updateRemoteUserUID"] is False
    assert "containerUser" not in merged
    assert merge_mounts([{"mounts": ["target=/a,source=x,type=volume", "type=bind,source=/s,dst=/b"]},
                         {"mounts": ["type=volume,source=y,target=/a"]}]) == [
        "type=bind,source=/s,dst=/b", "type=volume,source=y,target=/a"]
    assert merge_forward_ports([{"forwardPorts": ["localhost:8080", 8080, 9000]}]) == [8080, 9000]


def test_a_containers_label_gives_back_the_images_entries(tmp_path):
    """exec and run-user-commands: the entries before the plan's own ones are the image's."""
    config = {"image": "img", "postCreateCommand": "echo own"}
    plan = _plan(tmp_path, config)
    apply_container_metadata(plan, _label({"remoteUser": "dev", "postCreateCommand": "echo image"},
                                          {"postCreateCommand": "echo own"}))
    assert plan.remote_user == "dev"
    assert _commands(plan) == [("postCreateCommand", "echo image"), ("postCreateCommand", "echo own")]
    plan = _plan(tmp_path / "changed", config)  # a container of another configuration: the plan as it is
    apply_container_metadata(plan, _label({"remoteUser": "dev"}, {"postCreateCommand": "echo before"}))
    assert plan.remote_user is None and _commands(plan) == [("postCreateCommand", "echo own")]
    plan = _plan(tmp_path / "none", {"image": "img"})
    apply_container_metadata(plan, {"devcontainer.metadata": "[]"})
    assert plan.remote_user is None and plan.lifecycle == []


def test_read_configurations_merged_configuration(tmp_path):
    folder = _project(tmp_path, {"image": "img", "remoteEnv": {"W": "${containerWorkspaceFolder}"},
                                 "postCreateCommand": "echo own", "features": {"./hello": {}}},
                      hello={"postCreateCommand": "echo feature", "capAdd": ["SYS_PTRACE"]})
    output, plan = read_configuration(folder, DevelopOptions(environ={}))
    merged = with_merged_configuration(output, plan, [{"remoteUser": "dev", "postCreateCommand": "echo image",
                                                       "remoteEnv": {"I": "${localWorkspaceFolder}"}}])
    assert merged["configuration"] == output["configuration"]
    result = merged["mergedConfiguration"]
    assert result["postCreateCommands"] == ["echo image", "echo feature", "echo own"]
    assert result["remoteUser"] == "dev" and result["capAdd"] == ["SYS_PTRACE"]
    assert result["remoteEnv"] == {"I": folder, "W": f"/workspaces/{tmp_path.name}"}
    assert "features" in result and "configFilePath" in result


def test_host_requirements_take_the_largest_of_each():
    assert merge_host_requirements([{}]) is None
    assert merge_host_requirements([{"hostRequirements": {"cpus": 2, "memory": "4gb"}},
                                    {"hostRequirements": {"cpus": 1, "memory": "512mb", "storage": "10gb",
                                                          "gpu": "optional"}}]) == {
        "cpus": 2, "memory": str(4 * 2 ** 30), "storage": str(10 * 2 ** 30), "gpu": "optional"}
    assert merge_host_requirements([{"hostRequirements": {"gpu": True}}, {"hostRequirements": {"gpu": "optional"}}]) \
        == {"cpus": 0, "gpu": {}}
    assert merge_host_requirements([{"hostRequirements": {"gpu": {"cores": 2}}},
                                    {"hostRequirements": {"gpu": {"memory": "1kb"}}}]) == {
        "cpus": 0, "gpu": {"cores": 2, "memory": "1024"}}
