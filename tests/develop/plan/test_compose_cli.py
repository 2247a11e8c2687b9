"""The pure part of compose through Compose: files, override, command line."""

import json
import shutil
import subprocess

import pytest

from dockerls.develop.plan.compose_cli import ComposeUp, compose_files, override_document, service_override
from dockerls.develop.plan.dockerfile import KEEP_ALIVE_ENTRYPOINT
from dockerls.develop.plan.model import ContainerSpec, Mount, PortBinding


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
