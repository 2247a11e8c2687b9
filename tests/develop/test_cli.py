"""`dockerls develop` / `dockerls down` as functions (the lead wires them into dockerls/cli.py)."""

import argparse
import json

import pytest

from dockerls.develop import cli
from tests.engine.engine_fixtures import TEST_LABELS


def _parse(*argv):
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    cli.add_develop_arguments(sub.add_parser("develop"))
    cli.add_down_arguments(sub.add_parser("down"))
    return parser.parse_args(list(argv))


def test_arguments():
    args = _parse("develop", "-p", "x", "-m", "/m", "-i", "img", "--service", "s", "--watch", "--attach", "--json",
                  "--allow-host-commands")
    options = cli.options_from_args(args)
    assert (args.path, options.mount_point, options.image, options.service) == ("x", "/m", "img", "s")
    assert args.watch and args.attach and args.json and options.allow_host_commands
    assert _parse("down", "-p", "y").path == "y"


def test_configuration_error_as_json(tmp_path, capsys):
    code = cli.run_develop(_parse("develop", "-p", str(tmp_path), "--json"))
    assert code == cli.EXIT_CONFIG
    line = json.loads(capsys.readouterr().out)
    assert line["outcome"] == "error" and "nothing to develop in" in line["message"]


def test_no_engine(tmp_path, capsys, monkeypatch):
    (tmp_path / "Dockerfile").write_text("FROM busybox\n")
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/none.sock")
    assert cli.run_develop(_parse("develop", "-p", str(tmp_path))) == cli.EXIT_FAILED
    assert "no Docker engine answers" in capsys.readouterr().err


def test_watched_files(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM busybox\n")
    from dockerls.develop.service import DevelopResult
    from dockerls.develop.plan.workspace import make_plan

    files = cli.watched_files(DevelopResult("success", plan=make_plan(str(tmp_path))), str(tmp_path))
    assert str(tmp_path / "Dockerfile") in files and str(tmp_path / ".devcontainer" / "devcontainer.json") in files
    before = cli.snapshot(files)
    (tmp_path / ".devcontainer.json").write_text("{}")
    assert cli.snapshot(files) != before


@pytest.fixture
def labelled(monkeypatch):
    """The CLI's options with the test label, so that the fixtures remove what it starts."""
    original = cli.options_from_args

    def with_label(args):
        options = original(args)
        options.labels = dict(TEST_LABELS)
        return options

    monkeypatch.setattr(cli, "options_from_args", with_label)


def test_json_line_then_down(clean_engine, base_image, project, capsys, labelled):
    (project / "Dockerfile").write_text(f"FROM {base_image}\nWORKDIR /w\n")
    assert cli.run_develop(_parse("develop", "-p", str(project), "--json")) == cli.EXIT_OK
    line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert line["outcome"] == "success" and line["remoteWorkspaceFolder"] == "/w" and line["remoteUser"] == "root"
    assert clean_engine.api.inspect_container(line["containerId"])["State"]["Running"]
    assert cli.run_down(_parse("down", "-p", str(project), "--json")) == cli.EXIT_OK
    assert json.loads(capsys.readouterr().out)["containers"][0]["action"] == "removed"


def test_watch_recreates_on_a_dockerfile_change(clean_engine, base_image, project, capsys, labelled, monkeypatch):
    dockerfile = project / "Dockerfile"
    dockerfile.write_text(f"FROM {base_image}\n")
    ticks = iter(range(10))

    def tick(seconds):  # the watch loop's sleep: change the Dockerfile, look, then Ctrl-C
        step = next(ticks)
        if step == 0:
            dockerfile.write_text(f"FROM {base_image}\nENV CHANGED=1\n")
        elif step >= 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(cli.time, "sleep", tick)
    assert cli.run_develop(_parse("develop", "-p", str(project), "--watch", "--json")) == cli.EXIT_OK
    lines = [json.loads(x) for x in capsys.readouterr().out.strip().splitlines()]
    assert [x["action"] for x in lines] == ["created", "recreated"]
    assert "image changed" in lines[1]["reason"]


def test_the_forwarded_ports_are_printed_with_their_label(capsys):
    from dockerls.develop.cli import _report
    from dockerls.develop.service import DevelopResult

    result = DevelopResult("success", "created dev", "0123456789abcdef", "dev", "root", "/workspaces/x",
                           forwarded_ports=[{"port": 3000, "host": "127.0.0.1:3000", "label": "Web app"}])
    _report(result, as_json=False)
    assert "  forwarded: 3000 (Web app) → 127.0.0.1:3000\n" in capsys.readouterr().err
