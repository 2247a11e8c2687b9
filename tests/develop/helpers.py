"""Running develop in the tests: every container, network and volume gets the test label."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading

import pytest

from dockerls.develop import service
from dockerls.develop.plan.model import DevelopOptions
from dockerls.develop.progress import RecordingProgress
from tests.engine.engine_fixtures import TEST_LABELS


def develop(engine, folder, progress=None, cancel=None, **options):
    progress = progress or RecordingProgress()
    result = service.develop(str(folder), DevelopOptions(labels=dict(TEST_LABELS), **options), progress,
                             cancel, client=engine)
    return result


def cat(engine, container_id: str, path: str, user: str | None = None) -> str:
    code, output = engine.containers.get(container_id).exec_run(["cat", path], user=user or "")
    assert code == 0, output
    return output.decode()


def labels_of(engine, container_id: str) -> dict:
    return engine.api.inspect_container(container_id)["Config"]["Labels"]


def managed(engine, folder) -> list[dict]:
    """The containers develop made for ``folder`` (running or not)."""
    return engine.api.containers(all=True, filters={"label": [
        "dockerls.managed=true", f"devcontainer.local_folder={folder}"]})


class CancelOn(RecordingProgress):
    """Sets ``cancel`` as soon as a step or log line contains ``text``."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text
        self.cancel = threading.Event()

    def on_step(self, message, percent):
        super().on_step(message, percent)
        if self.text in message:
            self.cancel.set()

    def on_log(self, line):
        super().on_log(line)
        if self.text in line:
            self.cancel.set()


# -- the Dev Containers CLI, the reference the side-by-side tests compare with ------------------------

# The images develop and the CLI build for the test projects (the CLI's are vsc-<folder>-<hash>...).
TEST_IMAGE_PREFIXES = ("dockerls-features-dockerls-dlstest", "dockerls-features-dlstest", "vsc-dlstest",
                       "dev_container_feature_content_temp")


def devcontainer_cli() -> str:
    """The ``devcontainer`` command (tests/setup/35-devcontainers-cli.sh installs it), or skip."""
    cli = os.environ.get("DOCKERLS_DEVCONTAINER_CLI") or shutil.which("devcontainer")
    if not cli:
        pytest.skip(os.environ.get("DOCKERLS_DEVCONTAINER_CLI_SKIP")
                    or "the Dev Containers CLI is not installed (tests/setup/35-devcontainers-cli.sh)")
    if shutil.which("docker") is None:
        pytest.skip("the docker CLI is not installed: the Dev Containers CLI drives it (apt-get install docker.io)")
    return cli


def devcontainer_up(cli: str, folder, home, test_label: bool = True) -> str:
    """``devcontainer up`` on ``folder``; the container's id.  With ``test_label`` the container is
    found by the test label (``--id-label``) instead of the CLI's ``devcontainer.local_folder`` and
    ``devcontainer.config_file`` labels, which the CLI then does not write."""
    ids = ["--id-label", "dockerls.test=1", "--id-label", f"dlstest.cli={folder}"] if test_label else []
    done = subprocess.run([cli, "up", "--workspace-folder", str(folder), *ids],
                          capture_output=True, text=True, timeout=600, env={**os.environ, "HOME": str(home)})
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["outcome"] == "success", result
    return result["containerId"]


def remove_test_images(engine) -> None:
    for image in engine.api.images():
        for tag in image.get("RepoTags") or []:
            if tag.startswith(TEST_IMAGE_PREFIXES):
                engine.api.remove_image(tag, force=True)


# A compose service's command that keeps it running and stops at once on `down` ($$: Compose's escape).
KEEP_RUNNING = "trap 'exit 0' TERM; while sleep 1 & wait $$!; do :; done"


def compose_or_skip(monkeypatch, tmp_path):
    """The Compose develop finds (the compose extra's docker-compose), with the cache in a tmp
    folder; the test skips when there is none."""
    from dockerls.engine.compose_cli import find_compose
    from dockerls.engine.errors import EngineError

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    try:
        return find_compose()
    except EngineError as err:
        pytest.skip(str(err))
