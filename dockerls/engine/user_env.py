"""``userEnvProbe`` in the container: run the remote user's shell so that it prints its environment
(see :mod:`dockerls.develop.plan.user_env`).  Bounded: at most :data:`LIMIT` bytes are read and
the probe gives up after :data:`TIMEOUT` seconds (a startup script waiting for input), and then,
or when the shell fails, the commands get the container's environment as before.  Values are never
written to the progress: they may be secrets."""

from __future__ import annotations

import io
import secrets
import tarfile
import threading

from dockerls.develop.plan.user_env import login_shell, parse_probe_output, probe_argv, probed_environment
from dockerls.develop.plan.variables import env_list_to_dict

TIMEOUT = 10.0  # seconds, as the CLI
LIMIT = 1 << 20  # bytes of output read


def probe_user_env(api, container_id: str, attrs: dict, user: str | None, probe: str, progress=None,
                   timeout: float = TIMEOUT) -> dict[str, str]:
    """The user's shell environment (empty for ``none``, or when the probe failed: said in the
    progress, without values)."""
    if probe == "none":
        return {}
    shell = login_shell(_read_file(api, container_id, "/etc/passwd"), user)
    mark = secrets.token_hex(16)
    argv = probe_argv(shell, probe, mark)
    assert argv is not None
    output: list[bytes] = []
    failed: list[BaseException] = []
    reader = threading.Thread(target=_run, args=(api, container_id, argv, user, output, failed),
                              name="dockerls-user-env-probe", daemon=True)
    reader.start()
    reader.join(timeout)
    say = progress.on_log if progress is not None else (lambda line: None)
    if reader.is_alive():
        say(f"userEnvProbe: {shell} took longer than {timeout:g} s (a startup script waiting for input?): "
            "the commands get the container's environment")
        return {}
    env = parse_probe_output(b"".join(output), mark) if not failed else None
    if env is None:
        why = f": {failed[0]}" if failed else ""
        say(f"userEnvProbe: {shell} {argv[1]} did not print its environment{why}: the commands get the "
            "container's environment")
        return {}
    return probed_environment(env, env_list_to_dict(attrs["Config"].get("Env") or []), user)


def _run(api, container_id: str, argv: list[str], user: str | None, output: list[bytes],
         failed: list[BaseException]) -> None:
    try:
        exec_id = api.exec_create(container_id, argv, stdout=True, stderr=False, user=user or "")["Id"]
        size = 0
        for chunk in api.exec_start(exec_id, stream=True):
            if size < LIMIT:
                output.append(chunk[:LIMIT - size])
                size += len(chunk)
    except Exception as err:  # the probe is best effort: the commands then get the container's env
        failed.append(err)


def _read_file(api, container_id: str, path: str) -> str:
    """A small file of the container ("" when it cannot be read), through the archive API: no
    program of the image is needed."""
    try:
        stream, _ = api.get_archive(container_id, path)
        data = b"".join(stream)
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            member = tar.next()
            handle = tar.extractfile(member) if member is not None else None
            return handle.read(LIMIT).decode("utf-8", "replace") if handle is not None else ""
    except Exception:  # no /etc/passwd, an engine that refuses: the default shell
        return ""
