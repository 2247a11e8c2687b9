"""$/cancelRequest on a develop command stops the build mid-step, as cancelling its progress does
(test_lsp_commands.py): VS Code's Cancel button sends it.  Raw JSON-RPC over stdio, so that the
test knows the request's id; the RUN step's shell is seen in this machine's process list (the
engine's containers are processes here) before the cancel and gone after it."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import uuid

from tests.engine.engine_fixtures import TEST_LABELS
from tests.processes import processes_with, wait_for

SERVER = [sys.executable, "-m", "dockerls", "serve"]


def _frame(message: dict) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _read(stream, inbox: list) -> None:
    while True:
        headers = {}
        while (line := stream.readline()).strip():
            key, _, value = line.decode().partition(":")
            headers[key.strip().lower()] = value.strip()
        if not line:
            return
        inbox.append(json.loads(stream.read(int(headers["content-length"]))))




def test_cancel_request_stops_the_build_mid_step(engine, base_image, project):
    marker = uuid.uuid4().hex  # a new step each time: never from the cache
    # (not ending in `sleep 20`: the shell would exec it, and the marker would leave the process list)
    (project / "Dockerfile").write_text(f"FROM {base_image}\nRUN echo sleeping-{marker} && sleep 20 && echo slept-{marker}\n")
    label = ",".join(f"{k}={v}" for k, v in TEST_LABELS.items())
    server = subprocess.Popen(SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    inbox: list[dict] = []
    threading.Thread(target=_read, args=(server.stdout, inbox), daemon=True).start()

    def send(message: dict) -> None:
        assert server.stdin is not None
        server.stdin.write(_frame({"jsonrpc": "2.0", **message}))
        server.stdin.flush()

    def answer(msg_id: int) -> dict | None:
        return next((m for m in inbox if m.get("id") == msg_id and "method" not in m), None)

    try:
        send({"id": 1, "method": "initialize", "params": {"processId": None, "rootUri": project.as_uri(),
                                                          "capabilities": {"window": {"workDoneProgress": True}}}})
        assert wait_for(lambda: answer(1), 30)
        send({"method": "initialized", "params": {}})
        send({"id": 2, "method": "workspace/executeCommand", "params": {
            "command": "dockerls.develop", "arguments": [{"folder": str(project), "runArgs": ["--label", label]}],
            "workDoneToken": "develop-2"}})
        assert wait_for(lambda: processes_with(f"sleeping-{marker}"), 60), [m.get("method") for m in inbox]
        cancelled_at = time.monotonic()
        send({"method": "$/cancelRequest", "params": {"id": 2}})
        assert wait_for(lambda: not processes_with(f"sleeping-{marker}"), 10), "the RUN step went on after the cancel"
        assert time.monotonic() - cancelled_at < 8
        assert wait_for(lambda: answer(2), 10), "no answer to the cancelled request"
        assert not engine.api.containers(all=True, filters={"label": [
            "dockerls.managed=true", f"devcontainer.local_folder={project}"]})
        send({"id": 3, "method": "shutdown", "params": None})
        assert wait_for(lambda: answer(3), 10)
        send({"method": "exit", "params": None})
        server.wait(10)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
