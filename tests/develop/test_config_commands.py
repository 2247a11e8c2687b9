"""read-configuration, build and run-user-commands on the command line (no engine needed here)."""

import json

from dockerls.cli import command_line, main


def _config(tmp_path, config, relative=".devcontainer/devcontainer.json"):
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(config))
    return path


def test_read_configuration(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DOCKERLS_TEST_VALUE", "v1")
    path = _config(tmp_path, {"image": "busybox", "workspaceFolder": "/src",
                              "workspaceMount": "source=${localWorkspaceFolder},target=/src,type=bind",
                              "containerEnv": {"W": "${containerWorkspaceFolder}", "L": "${localEnv:DOCKERLS_TEST_VALUE}",
                                               "B": "${localWorkspaceFolderBasename}"},
                              "remoteEnv": {"P": "${containerEnv:PATH}"}})
    assert main(["read-configuration", "-p", str(tmp_path)]) == 0
    out = json.loads(capsys.readouterr().out)
    configuration = out["configuration"]
    assert configuration["containerEnv"] == {"W": "/src", "L": "v1", "B": tmp_path.name}
    assert configuration["remoteEnv"] == {"P": "${containerEnv:PATH}"}  # only the container knows it
    assert configuration["configFilePath"]["fsPath"] == str(path)
    assert out["workspace"]["workspaceFolder"] == "/src"
    assert out["workspace"]["workspaceMount"] == f"type=bind,source={tmp_path},target=/src"


def test_read_configuration_picks_and_lists(tmp_path, capsys):
    _config(tmp_path, {"image": "a"}, ".devcontainer/one/devcontainer.json")
    _config(tmp_path, {"image": "b"}, ".devcontainer/two/devcontainer.json")
    assert main(["read-configuration", "-p", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert ".devcontainer/one/devcontainer.json" in err and ".devcontainer/two/devcontainer.json" in err
    assert main(["read-configuration", "-p", str(tmp_path), "--config", ".devcontainer/two/devcontainer.json"]) == 0
    assert json.loads(capsys.readouterr().out)["configuration"]["image"] == "b"


def test_no_devcontainer_json(tmp_path, capsys):
    (tmp_path / "Dockerfile").write_text("FROM busybox\n")
    assert main(["read-configuration", "-p", str(tmp_path)]) == 2
    assert "no devcontainer.json" in capsys.readouterr().err


def test_the_commands_are_commands():
    for name in ("read-configuration", "build", "run-user-commands"):
        assert command_line([name, "-p", "."], True) == ("cli", [name, "-p", "."])


def test_read_configuration_with_the_merged_configuration_without_an_engine(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-engine.sock")
    _config(tmp_path, {"image": "busybox", "postCreateCommand": "echo ${localWorkspaceFolderBasename}",
                       "customizations": {"vscode": {"extensions": ["a"]}}, "forwardPorts": [3000]})
    assert main(["read-configuration", "-p", str(tmp_path), "--include-merged-configuration"]) == 0
    captured = capsys.readouterr()
    merged = json.loads(captured.out)["mergedConfiguration"]
    assert merged["postCreateCommands"] == [f"echo {tmp_path.name}"] and "postCreateCommand" not in merged
    assert merged["customizations"] == {"vscode": [{"extensions": ["a"]}]} and merged["forwardPorts"] == [3000]
    assert merged["image"] == "busybox" and merged["init"] is False
    assert "devcontainer.metadata label was not read" in captured.err
