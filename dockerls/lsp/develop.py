"""Develop in container from the editor: ``workspace/executeCommand`` commands.

==================  =========================================================================
``dockerls.develop``  build (cached) and start the development container(s); result as
                      ``dockerls develop --json`` prints it
``dockerls.build``    build the images only
``dockerls.rebuild``  build without the cache and recreate the container(s)
``dockerls.down``     stop and remove what develop started for the folder
``dockerls.logs``     stream the container's output to the client's log (window/logMessage)
                      until the client cancels the progress
==================  =========================================================================

Arguments: none (the first workspace folder), a folder URI or path (a string), or one object
``{"folder": path or "uri": uri, "mountPoint", "image", "service", "allowHostCommands",
"offerActions"}``.

Each command runs on a worker thread (:mod:`dockerls.develop.service`), never on the event loop.
Progress goes on the request's ``workDoneToken`` when the client sent one (the LSP allows
work-done progress on executeCommand), else on a server-initiated token
(``window/workDoneProgress/create``): ``$/progress`` begin (the title) / report (``on_step``: the
build step and the percentage) / end (the outcome); build and command output (``on_log``) goes to
``window/logMessage``.  Cancelling the progress (``window/workDoneProgress/cancel`` on either token)
or the request sets the cancel event the service checks: the build or start stops and leaves nothing.

When develop or rebuild leaves a container running, ``window/showMessageRequest`` says so with the
actions "Show logs" (``dockerls.logs``) and "Stop" (``dockerls.down``), as soon as the container is
ready (devcontainer.json's ``waitFor`` step has run: the later lifecycle commands go on, with
progress, and the command's result comes when they have run); a client that shows the
result itself (the VS Code extension: it also opens a terminal) passes ``"offerActions": false``.
A code lens "Develop in container" is offered on Dockerfiles, devcontainer.json and compose files.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import uuid
from typing import TYPE_CHECKING, Any, Callable

from lsprotocol import types

from dockerls.lsp.documents import uri_to_path

if TYPE_CHECKING:
    from dockerls.develop.plan.model import DevelopOptions

log = logging.getLogger("dockerls.lsp")

COMMANDS = ("dockerls.develop", "dockerls.build", "dockerls.rebuild", "dockerls.down", "dockerls.logs")
TITLES = {"dockerls.develop": "Developing in a container", "dockerls.build": "Building the image",
          "dockerls.rebuild": "Rebuilding the container", "dockerls.down": "Removing the container",
          "dockerls.logs": "Container output"}
BUILDS = ("dockerls.develop", "dockerls.build", "dockerls.rebuild")  # the commands that build an image


class LspProgress:
    """The develop Progress interface as work-done progress; called from the worker thread, so
    every notification is handed to the event loop."""

    def __init__(self, server, loop: asyncio.AbstractEventLoop, token: str | None):
        self.server = server
        self.loop = loop
        self.token = token
        self.last_percent = 0
        self.ready: dict | None = None  # what develop said once the container was ready (waitFor)
        self.on_ready_payload: Callable[[dict], None] | None = None  # called on the event loop with it (the "is running" message)

    def _send(self, fn, *args) -> None:
        self.loop.call_soon_threadsafe(fn, *args)

    def on_begin(self, title: str) -> None:
        if self.token is not None:
            self._send(self.server.work_done_progress.report, self.token,
                       types.WorkDoneProgressReport(message=title, percentage=self.last_percent))

    def on_step(self, message: str, percent: int | None) -> None:
        if percent is not None:
            self.last_percent = max(self.last_percent, min(percent, 100))
        if self.token is not None:
            self._send(self.server.work_done_progress.report, self.token,
                       types.WorkDoneProgressReport(message=message, percentage=self.last_percent))

    def on_log(self, line: str) -> None:
        self._send(self.server.window_log_message, types.LogMessageParams(type=types.MessageType.Log, message=line))

    def on_ready(self, ready) -> None:
        self.ready = {"containerId": ready.container_id, "containerName": ready.container_name,
                      "waitFor": ready.wait_for, "remaining": list(ready.remaining)}
        if self.on_ready_payload is not None:
            self._send(self.on_ready_payload, self.ready)

    def on_end(self, message: str) -> None:
        self.on_log(message)  # the final $/progress end is sent once the whole command is over


def _options(argument: dict) -> DevelopOptions:
    from dockerls.develop.plan.model import DevelopOptions

    return DevelopOptions(mount_point=argument.get("mountPoint"), image=argument.get("image"),
                          service=argument.get("service"),
                          allow_host_commands=bool(argument.get("allowHostCommands")))


def _argument(arguments: list[Any]) -> dict:
    """The command's one argument as an object: a string is a folder URI (what editors pass) or path."""
    first = arguments[0] if arguments else None
    if isinstance(first, str):
        return {"uri": first} if first.startswith("file:") else {"folder": first}
    return first if isinstance(first, dict) else {}


def _folder(server, argument: dict) -> str | None:
    if argument.get("folder"):
        return os.path.abspath(str(argument["folder"]))
    if argument.get("uri"):
        path = uri_to_path(str(argument["uri"]))
        return path if path is None or os.path.isdir(path) else os.path.dirname(path)
    folders = list(getattr(server.workspace, "folders", {}).values())
    if folders:
        return uri_to_path(folders[0].uri)
    root = getattr(server.workspace, "root_path", None)
    return root or None


def _operation(command: str, folder: str, options: DevelopOptions, progress, cancel: threading.Event):
    from dockerls.develop import service

    if command == "dockerls.develop":
        return service.develop(folder, options, progress, cancel)
    if command == "dockerls.build":
        return service.build_only(folder, options, progress, cancel)
    if command == "dockerls.rebuild":
        return service.rebuild(folder, options, progress, cancel)
    if command == "dockerls.down":
        return service.down(folder, progress)
    return service.logs(folder, options, progress.on_log, cancel)


async def execute(server, params: types.ExecuteCommandParams) -> dict:
    """workspace/executeCommand for a develop command: the whole request, for its workDoneToken."""
    return await run_command(server, params.command, list(params.arguments or []), params.work_done_token)


async def run_command(server, command: str, arguments: list[Any], work_done_token=None) -> dict:
    argument = _argument(arguments)
    folder = _folder(server, argument)
    if not folder:
        return {"outcome": "error", "message": "no folder: pass {\"folder\": ...} or open a workspace folder"}
    loop = asyncio.get_running_loop()
    cancel = threading.Event()
    token = await _begin_progress(server, TITLES[command], cancel, work_done_token)
    progress = LspProgress(server, loop, token)
    offer = command in ("dockerls.develop", "dockerls.rebuild") and argument.get("offerActions", True)
    if offer:  # told as soon as the container is ready (waitFor), while the later commands go on
        progress.on_ready_payload = lambda ready: _offer_soon(server, folder, argument, ready)
    result = None
    try:
        result = await loop.run_in_executor(server.thread_pool, _operation, command, folder, _options(argument),
                                            progress, cancel)
    except asyncio.CancelledError:  # $/cancelRequest: stop the worker too
        cancel.set()
        raise
    finally:
        if token is not None:
            message = result.message if result is not None else "cancelled"
            server.work_done_progress.end(token, types.WorkDoneProgressEnd(message=message[:200]))
            server.work_done_progress.tokens.pop(token, None)
    if result.outcome == "error" and result.failed_step and result.failed_step.get("line"):
        _publish_failed_step(server, result.failed_step)
    elif result.outcome == "success" and command in BUILDS:
        _clear_failed_steps(server)
    if result.outcome == "error" and not cancel.is_set():
        server.window_show_message(types.ShowMessageParams(type=types.MessageType.Error,
                                                           message=f"dockerls: {result.message}"))
    payload = result.to_json()
    if offer and result.outcome == "success" and payload.get("containerId") and progress.ready is None:
        _offer_soon(server, folder, argument, payload)
    return payload


def _offer_soon(server, folder: str, argument: dict, payload: dict) -> None:
    """The "is running" message, not awaited: neither the command's result nor the lifecycle
    commands still running wait for the user's answer."""
    task = asyncio.ensure_future(_offer_actions(server, folder, argument, payload))
    _PENDING.add(task)
    task.add_done_callback(_PENDING.discard)


_PENDING: set[asyncio.Future] = set()  # the running "container is running" messages (kept from the GC)
ACTIONS = {"Show logs": "dockerls.logs", "Stop": "dockerls.down"}


async def _offer_actions(server, folder: str, argument: dict, payload: dict) -> None:
    """Tell the user the container runs, with what they can do next."""
    name = str(payload.get("containerName") or payload["containerId"][:12])
    remaining = payload.get("remaining")
    still = f" ({', '.join(remaining)} still running)" if remaining else ""
    try:
        choice = await server.window_show_message_request_async(types.ShowMessageRequestParams(
            type=types.MessageType.Info, message=f"dockerls: the development container {name} is running{still}",
            actions=[types.MessageActionItem(title=title) for title in ACTIONS]))
    except Exception:  # a client without showMessageRequest, or it went away
        log.info("the client did not answer window/showMessageRequest")
        return
    if choice is not None and choice.title in ACTIONS:
        await run_command(server, ACTIONS[choice.title], [{**argument, "folder": folder, "offerActions": False}])


def _publish_failed_step(server, step: dict) -> None:
    """The failed build step as an error on its Dockerfile line (with the command's last output),
    next to the file's lint diagnostics; the next edit's publish, or the next successful build,
    replaces it."""
    from pathlib import Path

    uri = Path(step["file"]).as_uri()
    tail = "\n".join(step.get("logTail") or [])
    message = f"build failed: {step['reason']}" + (f"\n{tail}" if tail else "")
    line = step["line"] - 1
    _publish_lint_and(server, uri, [{
        "range": {"start": {"line": line, "character": 0}, "end": {"line": line + 1, "character": 0}},
        "message": message, "severity": types.DiagnosticSeverity.Error.value, "source": "dockerls build",
        "code": "build"}])
    server.build_failures.add(uri)


def _clear_failed_steps(server) -> None:
    """A build succeeded: the failed steps shown since are gone (their files get their lint
    diagnostics alone again)."""
    for uri in sorted(server.build_failures):
        _publish_lint_and(server, uri, [])
    server.build_failures.clear()


def _publish_lint_and(server, uri: str, extra: list[dict]) -> None:
    from dockerls.lsp import diagnostics

    doc = server.documents.get(uri, quiet=True)
    items = (diagnostics.diagnostics_of(server, doc) if doc is not None else []) + extra
    server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
        uri=uri, diagnostics=server.converter.structure(items, list[types.Diagnostic]),
        version=doc.version if doc is not None else None))


async def _begin_progress(server, title: str, cancel: threading.Event, client_token=None):
    """Begin work-done progress: on the client's token when it sent one, else on a server-initiated
    token (None when the client has neither)."""
    token = client_token
    if token is None:
        if not server.capability("window.work_done_progress"):
            return None
        token = f"dockerls-{uuid.uuid4().hex}"
        try:
            await server.work_done_progress.create_async(token)
        except Exception:  # the client refused: go on without a progress bar
            log.info("the client refused work-done progress; running without it")
            return None
    # begin registers the token's cancel future (pygls cancels it on window/workDoneProgress/cancel)
    server.work_done_progress.begin(token, types.WorkDoneProgressBegin(title=title, cancellable=True, percentage=0))
    future = server.work_done_progress.tokens.get(token)
    if future is not None:
        future.add_done_callback(lambda f: cancel.set() if f.cancelled() else None)
    return token


def _code_lenses(server, doc) -> list[types.CodeLens]:
    """"Develop in container" above the first line of the files develop starts from."""
    if not doc.path:
        return []
    if doc.kind is None:  # not a file develop starts from
        return []
    folder = os.path.dirname(doc.path)
    if os.path.basename(folder) == ".devcontainer":
        folder = os.path.dirname(folder)
    top = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0))
    return [types.CodeLens(range=top, command=types.Command(title="Develop in container", command="dockerls.develop",
                                                            arguments=[{"folder": folder}]))]


def _handler(command: str):
    # pygls passes the command's arguments to the handler's parameters: ``*arguments`` takes them all.
    async def handler(ls, *arguments):
        return await run_command(ls, command, list(arguments))

    handler.__name__ = command.replace(".", "_")
    return handler


def register(server) -> None:
    for name in COMMANDS:
        server.command(name)(_handler(name))
    from dockerls.lsp import code_lens

    code_lens.add_provider(_code_lenses)
