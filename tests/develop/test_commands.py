"""End to end through the command line: exec, logs, ps/status, down --volumes --rmi local."""

import json
import os
import subprocess
import sys

from tests.develop.helpers import develop, managed


def _dockerls(*args, check=True):
    done = subprocess.run([sys.executable, "-m", "dockerls", *args], capture_output=True, text=True,
                          timeout=120, env=dict(os.environ), stdin=subprocess.DEVNULL)
    assert not check or done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    return done


def test_exec_logs_ps_and_down_with_images(clean_engine, base_image, project):
    engine = clean_engine
    (project / "Dockerfile").write_text(f"FROM {base_image}\nWORKDIR /srv\nCOPY . ./app\n")
    (project / "a.txt").write_text("one")
    first = develop(engine, project)
    assert first.ok, first.message
    (project / "a.txt").write_text("two")  # a second build: its old image is left untagged
    second = develop(engine, project)
    assert second.ok and second.action == "recreated" and "a.txt" in second.reason, second.reason

    done = _dockerls("exec", "-p", str(project), "--", "cat", "a.txt")
    assert done.stdout == "two"  # in the workspace folder, the mounted one
    assert _dockerls("exec", "-p", str(project), "--", "sh", "-c", "echo oops >&2; exit 3",
                     check=False).returncode == 3
    assert "Container started" in _dockerls("logs", "-p", str(project)).stdout

    listed = json.loads(_dockerls("ps", "-p", str(project), "--json").stdout)["containers"]
    assert [(c["name"], c["state"]) for c in listed] == [(second.container_name, "running")]
    assert f"{project}:/srv/app" in listed[0]["mounts"]
    assert second.container_name in _dockerls("status", "-p", str(project)).stdout

    built = engine.api.images(all=True, filters={"label": f"dockerls.image_of={project}"})
    assert len(built) >= 2
    gone = json.loads(_dockerls("down", "-p", str(project), "--volumes", "--rmi", "local", "--json").stdout)
    assert gone["outcome"] == "success"
    assert managed(engine, project) == []
    assert engine.api.images(all=True, filters={"label": f"dockerls.image_of={project}"}) == []
    assert "no containers" in _dockerls("ps", "-p", str(project)).stdout
    failed = _dockerls("exec", "-p", str(project), "--", "true", check=False)
    assert failed.returncode == 1 and "run `dockerls develop` first" in failed.stderr


def test_the_new_commands_are_not_taken_for_check_arguments():
    from dockerls.cli import build_parser, command_line

    for word in ("exec", "logs", "ps", "status"):
        assert command_line([word, "-p", "x"], False) == ("cli", [word, "-p", "x"])
    args = build_parser().parse_args(["exec", "-p", "x", "--", "ls", "-l"])
    assert args.command == "exec" and args.cmd == ["--", "ls", "-l"]
    assert build_parser().parse_args(["down", "--volumes", "--rmi", "local"]).rmi == "local"
