"""``initializeCommand``: the one lifecycle command that runs on the host, in the workspace folder,
before anything else, and only when the caller allows it (``--allow-host-commands``), because it
runs whatever the project's devcontainer.json says with the user's rights."""

from __future__ import annotations

import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor

from dockerls.develop.plan.lifecycle import describe
from dockerls.develop.plan.model import LifecycleCommand


class HostCommandError(RuntimeError):
    pass


def run_host_command(command: LifecycleCommand, folder: str, progress, cancel: threading.Event | None = None) -> None:
    progress.on_log(f"Running {command.step} on this machine: {describe(command)}")
    items = list(command.commands.items())
    with ThreadPoolExecutor(max_workers=len(items)) as pool:
        results = list(pool.map(lambda item: _run(item[0], item[1], folder, progress, cancel), items))
    failed = [r for r in results if r]
    if failed:
        raise HostCommandError(f"{command.step} failed: {failed[0]}")


def _run(name: str, argv: list[str], folder: str, progress, cancel) -> str | None:
    prefix = f"[{name}] " if name else ""
    try:
        proc = subprocess.Popen(argv, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
    except OSError as err:
        return f"{argv[0]}: {err.strerror or err}"
    assert proc.stdout is not None
    for raw in proc.stdout:
        progress.on_log(prefix + raw.decode("utf-8", "replace").rstrip("\r\n"))
        if cancel is not None and cancel.is_set():
            proc.terminate()
    code = proc.wait()
    if cancel is not None and cancel.is_set():
        return "cancelled"
    return None if code == 0 else f"exit code {code}"
