"""Building an image with the engine's builder, its JSON stream parsed into steps.

The classic builder's stream (``APIClient.build(decode=True)``) says ``Step 3/7 : RUN ...`` as each
instruction starts: that gives the step message and the percentage.  Everything else it prints
(command output, `` ---> abc123``) goes to the log.  An ``error`` chunk ends the build with
:class:`BuildFailed`; ``forcerm`` makes the engine remove intermediate containers even then, so a
failed or cancelled build leaves no container behind.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass, field

from docker.errors import APIError, DockerException

from dockerls.develop.plan.model import BuildSpec
from dockerls.develop.progress import NullProgress, Phase
from dockerls.engine.errors import BuildFailed, Cancelled, EngineError
from dockerls.engine.streams import CancelWatcher, capture_responses

_STEP = re.compile(r"^Step (\d+)/(\d+) : (.*)$")
_BUILT = re.compile(r"^Successfully built ([0-9a-f]+)$")
_RUNNING_IN = re.compile(r"^\s*---> Running in ([0-9a-f]+)$")


@dataclass
class BuildOutcome:
    image_id: str
    steps: int = 0
    cached_steps: int = 0
    log: list[str] = field(default_factory=list)
    step_containers: list[str] = field(default_factory=list)  # "---> Running in <id>"


def _dockerfile_argument(spec: BuildSpec) -> str:
    """docker-py wants the Dockerfile relative to the context, or an absolute path outside it
    (which it then sends along with the context)."""
    relative = os.path.relpath(spec.dockerfile, spec.context)
    return spec.dockerfile if relative.startswith("..") else relative


def build_image(client, spec: BuildSpec, phase: Phase | None = None, cancel: threading.Event | None = None,
                no_cache: bool = False) -> BuildOutcome:
    phase = phase or Phase(NullProgress(), 0, 100)
    progress = phase.progress
    outcome = BuildOutcome("")
    api = client.api
    pending = ""  # the stream splits lines across chunks ("Step 1/4 : FROM x" then "\n")
    phase.step(f"Building {spec.tag}", 0)
    with capture_responses(api) as responses, CancelWatcher(api, responses, cancel) as watcher:
        try:
            stream = api.build(path=spec.context, dockerfile=_dockerfile_argument(spec), tag=spec.tag,
                               target=spec.target, buildargs=spec.args or None, decode=True, rm=True,
                               forcerm=True, nocache=no_cache, pull=False)
            for chunk in stream:
                watcher.check()
                if "error" in chunk:
                    detail = (chunk.get("errorDetail") or {}).get("message") or chunk["error"]
                    raise BuildFailed(f"the build of {spec.tag} failed: {detail.strip()}", outcome.log)
                aux = chunk.get("aux")
                if isinstance(aux, dict) and aux.get("ID"):
                    outcome.image_id = aux["ID"]
                text = chunk.get("stream")
                if not text:
                    continue
                pending += text
                *lines, pending = pending.split("\n")
                for line in lines:
                    _line(line.rstrip("\r"), outcome, phase, progress)
        except Cancelled:
            _remove_step_containers(api, outcome.step_containers)
            raise
        except BuildFailed:
            raise
        except APIError as err:
            watcher.check()
            raise BuildFailed(f"the build of {spec.tag} failed: {err.explanation or err}", outcome.log) from None
        except Exception as err:  # also urllib3's ProtocolError
            if watcher.cancel is not None and watcher.cancel.is_set():
                _remove_step_containers(api, outcome.step_containers)
            watcher.check()  # the cancel cut the stream: say so, not "connection broken"
            raise EngineError(f"the build of {spec.tag} was interrupted: {err}") from None
        watcher.check()
    if pending.strip():
        _line(pending, outcome, phase, progress)
    if not outcome.image_id.startswith("sha256:"):  # only the short id was printed: ask for the full one
        try:
            outcome.image_id = api.inspect_image(spec.tag)["Id"]
        except DockerException as err:
            raise BuildFailed(f"the build of {spec.tag} ended without an image: {err}", outcome.log) from None
    phase.step(f"Built {spec.tag}", 1)
    return outcome


def _remove_step_containers(api, ids: list[str]) -> None:
    """The engine removes the container of the interrupted step once it notices the client is gone;
    removing it here makes "nothing left behind" true when the cancel returns, not a moment later."""
    for container_id in ids:
        try:
            api.remove_container(container_id, force=True)
        except Exception:  # already gone
            pass


def _line(line: str, outcome: BuildOutcome, phase: Phase, progress) -> None:
    if not line.strip():
        return
    outcome.log.append(line)
    match = _STEP.match(line)
    if match:
        number, total = int(match.group(1)), int(match.group(2))
        outcome.steps = total
        phase.step(line, (number - 1) / max(total, 1))
        return
    running = _RUNNING_IN.match(line)
    if running:
        outcome.step_containers.append(running.group(1))
    if line.strip() == "---> Using cache":
        outcome.cached_steps += 1
    built = _BUILT.match(line)
    if built and not outcome.image_id:
        outcome.image_id = built.group(1)
    progress.on_log(line)
