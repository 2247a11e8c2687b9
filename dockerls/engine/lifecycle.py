"""Lifecycle commands in the container (``docker exec``), as the remote user, in the workspace
folder, with the environment of the user's shell (``userEnvProbe``) and remoteEnv on top (its
``${containerEnv:...}`` resolved against the running container).
The named commands of the object form run in parallel threads; their lines are prefixed with the
name."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from docker.errors import APIError, DockerException

from dockerls.develop.plan.lifecycle import describe
from dockerls.develop.plan.model import DevelopPlan, LifecycleCommand
from dockerls.develop.plan.variables import env_list_to_dict, substitute_container_env
from dockerls.engine.errors import Cancelled, EngineError
from dockerls.engine.streams import check_cancel


def remote_environment(attrs: dict, remote_env: dict[str, str]) -> dict[str, str]:
    container_env = env_list_to_dict(attrs["Config"].get("Env") or [])
    return substitute_container_env(dict(remote_env), container_env)


def command_environment(api, container_id: str, attrs: dict, plan: DevelopPlan, progress=None) -> dict[str, str]:
    """The environment of the lifecycle commands and ``dockerls exec``: what the remote user's shell
    sets up (``userEnvProbe``), remoteEnv on top."""
    from dockerls.engine.user_env import probe_user_env

    user = plan.remote_user or attrs["Config"].get("User") or None  # whom the commands run as
    base = probe_user_env(api, container_id, attrs, user, plan.user_env_probe, progress)
    return {**base, **remote_environment(attrs, plan.remote_env)}


def run_lifecycle_command(api, container_id: str, command: LifecycleCommand, *, user: str | None, workdir: str,
                          environment: dict[str, str], progress, cancel: threading.Event | None = None) -> None:
    """Run one step; raises :class:`EngineError` naming the command that failed."""
    check_cancel(cancel)
    progress.on_log(f"Running {command.step}: {describe(command)}")
    items = list(command.commands.items())
    if len(items) == 1:
        _exec(api, container_id, items[0][0], items[0][1], user, workdir, environment, progress, cancel, command.step)
        return
    with ThreadPoolExecutor(max_workers=len(items), thread_name_prefix="dockerls-lifecycle") as pool:
        futures = [pool.submit(_exec, api, container_id, name, argv, user, workdir, environment, progress, cancel,
                               command.step) for name, argv in items]
        errors = [f.exception() for f in futures]
    failed = [e for e in errors if e is not None]
    if any(isinstance(e, Cancelled) for e in failed):
        raise Cancelled()
    if failed:
        raise failed[0]


def _exec(api, container_id: str, name: str, argv: list[str], user, workdir, environment, progress, cancel,
          step: str) -> None:
    prefix = f"[{name}] " if name else ""
    last = ""  # the last line of output, for the error message
    try:
        exec_id = api.exec_create(container_id, argv, user=user or "", workdir=workdir,
                                  environment=environment or None)["Id"]
        pending = b""
        for chunk in api.exec_start(exec_id, stream=True):
            check_cancel(cancel)
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                last = line.decode("utf-8", "replace").rstrip("\r") or last
                progress.on_log(prefix + last)
        if pending:
            last = pending.decode("utf-8", "replace")
            progress.on_log(prefix + last)
        code = api.exec_inspect(exec_id).get("ExitCode")
    except APIError as err:
        raise EngineError(f"{step}{' ' + name if name else ''} could not run: {err.explanation or err}") from None
    except DockerException as err:
        raise EngineError(f"{step}{' ' + name if name else ''} was interrupted: {err}") from None
    if code != 0:
        said = f": {last.strip()}" if last.strip() else ""
        raise EngineError(f"{step}{' ' + name if name else ''} failed with exit code {code}{said}")
