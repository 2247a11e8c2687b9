"""Running develop in the tests: every container, network and volume gets the test label."""

from __future__ import annotations

import threading

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
