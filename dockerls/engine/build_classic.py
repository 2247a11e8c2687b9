"""The classic builder (docker-py's ``APIClient.build``): its JSON stream parsed into steps.

The stream says ``Step 3/7 : RUN ...`` as each instruction starts: that gives the step message,
the percentage and, counted in the Dockerfile, the line a failure is at.  Everything else it prints
(command output, `` ---> abc123``) goes to the log.  An ``error`` chunk ends the build with
:class:`BuildFailed`; ``forcerm`` makes the engine remove intermediate containers even then, so a
failed or cancelled build leaves no container behind.
"""

from __future__ import annotations

import re
import threading
import time

from docker.errors import APIError

from dockerls.develop.plan.model import BuildSpec
from dockerls.develop.progress import BuildStep, Phase, report_step
from dockerls.engine.build import BuildOutcome, complete_image_id, dockerfile_argument
from dockerls.engine.build_params import docker_py_kwargs, image_labels
from dockerls.engine.build_steps import classic_step, locate
from dockerls.engine.errors import BuildFailed, Cancelled, EngineError
from dockerls.engine.streams import CancelWatcher, capture_responses

_STEP = re.compile(r"^Step (\d+)/(\d+) : (.*)$")
_BUILT = re.compile(r"^Successfully built ([0-9a-f]+)$")
_RUNNING_IN = re.compile(r"^\s*---> Running in ([0-9a-f]+)$")


class _Steps:
    """The current ``Step N/M`` (for the failure's line) and the step events."""

    def __init__(self, df, phase: Phase):
        self.df = df
        self.phase = phase
        self.number = 0
        self.current: BuildStep | None = None
        self.started = 0.0

    def start(self, number: int, line: str) -> None:
        self.finish("done")
        self.number = number
        ins = classic_step(self.df, number) if self.df is not None else None
        self.current = BuildStep(str(number), line, "running", line=ins.line + 1 if ins is not None else 0)
        self.started = time.monotonic()
        report_step(self.phase.progress, self.current)

    def finish(self, state: str) -> None:
        if self.current is not None and not self.current.finished:
            self.current.state = state
            self.current.seconds = time.monotonic() - self.started
            report_step(self.phase.progress, self.current)


def build_classic(client, spec: BuildSpec, df, phase: Phase, cancel: threading.Event | None = None,
                  no_cache: bool = False) -> BuildOutcome:
    outcome = BuildOutcome("", builder="classic")
    steps = _Steps(df, phase)
    api = client.api
    pending = ""  # the stream splits lines across chunks ("Step 1/4 : FROM x" then "\n")
    phase.step(f"Building {spec.tag} (classic builder)", 0)
    with capture_responses(api) as responses, CancelWatcher(api, responses, cancel) as watcher:
        try:
            stream = api.build(path=spec.context, dockerfile=dockerfile_argument(spec), tag=spec.tag,
                               target=spec.target, buildargs=spec.args or None, decode=True, rm=True,
                               forcerm=True, nocache=no_cache or spec.options.no_cache,
                               labels=image_labels(spec) or None, **docker_py_kwargs(spec))
            for chunk in stream:
                watcher.check()
                if "error" in chunk:
                    detail = ((chunk.get("errorDetail") or {}).get("message") or chunk["error"]).strip()
                    raise _failed(spec, df, steps, detail, outcome.log)
                aux = chunk.get("aux")
                if isinstance(aux, dict) and aux.get("ID"):
                    outcome.image_id = aux["ID"]
                text = chunk.get("stream")
                if not text:
                    continue
                pending += text
                *lines, pending = pending.split("\n")
                for line in lines:
                    _line(line.rstrip("\r"), outcome, phase, steps)
        except Cancelled:
            _remove_step_containers(api, outcome.step_containers)
            raise
        except BuildFailed:
            raise
        except APIError as err:
            watcher.check()
            raise _failed(spec, df, steps, str(err.explanation or err), outcome.log) from None
        except Exception as err:  # also urllib3's ProtocolError
            if watcher.cancel is not None and watcher.cancel.is_set():
                _remove_step_containers(api, outcome.step_containers)
            watcher.check()  # the cancel cut the stream: say so, not "connection broken"
            raise EngineError(f"the build of {spec.tag} was interrupted: {err}") from None
        watcher.check()
    if pending.strip():
        _line(pending, outcome, phase, steps)
    steps.finish("done")
    complete_image_id(api, spec, outcome)
    phase.step(f"Built {spec.tag}", 1)
    return outcome


def _failed(spec: BuildSpec, df, steps: _Steps, detail: str, log: list[str]) -> BuildFailed:
    steps.finish("failed")
    ins = classic_step(df, steps.number) if df is not None and steps.number else None
    # before the first step (a bad reference, a --mount): the message points at the instruction
    step = locate(df, spec.dockerfile, detail, ins, _step_log(log))
    return BuildFailed(f"the build of {spec.tag} failed: {step.headline()}", log, step)


def _step_log(log: list[str]) -> list[str]:
    """The current step's output: the log after its ``Step N/M`` line, without the builder's own."""
    for i in range(len(log) - 1, -1, -1):
        if _STEP.match(log[i]):
            return [line for line in log[i + 1:] if not line.lstrip().startswith("--->")]
    return list(log)


def _remove_step_containers(api, ids: list[str]) -> None:
    """The engine removes the container of the interrupted step once it notices the client is gone;
    removing it here makes "nothing left behind" true when the cancel returns, not a moment later."""
    for container_id in ids:
        try:
            api.remove_container(container_id, force=True)
        except Exception:  # already gone
            pass


def _line(line: str, outcome: BuildOutcome, phase: Phase, steps: _Steps) -> None:
    if not line.strip():
        return
    outcome.log.append(line)
    match = _STEP.match(line)
    if match:
        number, total = int(match.group(1)), int(match.group(2))
        outcome.steps = total
        steps.start(number, line)
        phase.step(line, (number - 1) / max(total, 1))
        return
    running = _RUNNING_IN.match(line)
    if running:
        outcome.step_containers.append(running.group(1))
    if line.strip() == "---> Using cache":
        outcome.cached_steps += 1
        steps.finish("cached")
    built = _BUILT.match(line)
    if built and not outcome.image_id:
        outcome.image_id = built.group(1)
    phase.progress.on_log(line)
