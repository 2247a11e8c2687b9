"""Running a command in a container for ``dockerls exec``, and listing a folder's containers.

With a terminal on both sides the docker CLI does the exec when it is installed (a TTY needs the
raw terminal, resizes and the hijacked stream, which it does well); otherwise the command runs
through the API without a TTY, its output copied to ours, and its exit code returned.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

from docker.errors import APIError, DockerException

from dockerls.engine.errors import EngineError

# A shell by default: bash when the image has it.
DEFAULT_SHELL = ["/bin/sh", "-c", "if command -v bash >/dev/null 2>&1; then exec bash -l; else exec sh -l; fi"]


def run_in_container(client, container_id: str, command: list[str], *, tty: bool, user: str | None = None,
                     workdir: str | None = None, environment: dict[str, str] | None = None) -> int:
    """Run ``command`` in the container; its exit code."""
    docker = shutil.which("docker") if tty else None
    if docker:
        argv = [docker, "exec", "-i", "-t"]
        if user:
            argv += ["-u", user]
        if workdir:
            argv += ["-w", workdir]
        for key, value in (environment or {}).items():
            argv += ["-e", f"{key}={value}"]
        # The CLI finds the engine as dockerls.engine.connect does (DOCKER_HOST, then the context).
        return subprocess.call([*argv, container_id, *command])
    api = client.api
    try:
        exec_id = api.exec_create(container_id, command, stdout=True, stderr=True, tty=False, user=user or "",
                                  workdir=workdir, environment=environment or None)["Id"]
        for out, err in api.exec_start(exec_id, stream=True, demux=True):
            if out:
                sys.stdout.buffer.write(out)
                sys.stdout.flush()
            if err:
                sys.stderr.buffer.write(err)
                sys.stderr.flush()
        code = api.exec_inspect(exec_id).get("ExitCode")
    except APIError as err:
        raise EngineError(f"cannot run {command[0]!r} in the container: {err.explanation or err}") from None
    except DockerException as err:
        raise EngineError(str(err)) from None
    return 126 if code is None else int(code)


def folder_containers(client, filters: dict) -> list[dict]:
    """Name, state, image, mounts and ports of the containers matching ``filters``, oldest first."""
    try:
        found = client.api.containers(all=True, filters=filters)
    except DockerException as err:
        raise EngineError(str(err)) from None
    out = []
    for c in sorted(found, key=lambda c: c.get("Created", 0)):
        out.append({
            "name": (c.get("Names") or ["/" + c["Id"][:12]])[0].lstrip("/"),
            "id": c["Id"],
            "state": c.get("State", ""),
            "status": c.get("Status", ""),
            "image": c.get("Image", ""),
            "mounts": [f"{m.get('Source') or m.get('Name') or ''}:{m.get('Destination')}" for m in c.get("Mounts") or []],
            "ports": sorted({_port(p) for p in c.get("Ports") or []}),
            "service": (c.get("Labels") or {}).get("com.docker.compose.service", ""),
            "project": (c.get("Labels") or {}).get("com.docker.compose.project", ""),
        })
    return out


def with_compose_projects(client, found: list[dict]) -> list[dict]:
    """``found`` and the other containers of their compose projects (the services Compose started
    along with the dev container, which carry no label of the folder)."""
    out = list(found)
    known = {c["id"] for c in found}
    for project in sorted({c["project"] for c in found if c.get("project")}):
        filters = {"label": [f"com.docker.compose.project={project}", "com.docker.compose.oneoff=False"]}
        out += [c for c in folder_containers(client, filters) if c["id"] not in known]
    return out


def _port(p: dict) -> str:
    inside = f"{p.get('PrivatePort')}/{p.get('Type', 'tcp')}"
    if p.get("PublicPort"):
        return f"{p.get('IP') or '0.0.0.0'}:{p['PublicPort']}->{inside}"
    return inside
