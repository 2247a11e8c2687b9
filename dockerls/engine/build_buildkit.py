"""BuildKit through the Engine API: ``POST /build?version=2`` with the context as the usual tar.

No session and no buildx: the engine runs BuildKit itself (so cache mounts, heredocs, ``COPY
--link`` ... work; secrets and SSH, which need a session, are refused earlier in :mod:`.build`).
docker-py's ``APIClient.build`` has no ``version`` parameter, hence the request made here with
docker-py's own pieces (its context tar with ``.dockerignore``, its auth header, its stream
reader, which :func:`~dockerls.engine.streams.capture_responses` watches for a cancel).

Progress arrives as ``moby.buildkit.trace`` aux messages (:mod:`.buildkit_trace`): each vertex is
a step (``[stage-0 2/3] RUN ...``) that starts, is cached or completes, or fails; statuses count
bytes (pulls, the context); logs carry the commands' output.  The percentage is the share of the
vertexes finished (BuildKit announces the whole graph at the start of the solve).
"""

from __future__ import annotations

import io
import json
import os
import tarfile
import tempfile
import threading
import time

from docker.api.build import process_dockerfile
from docker.utils.build import exclude_paths
from docker.errors import APIError, DockerException

from dockerls.develop.plan.model import BuildSpec
from dockerls.develop.progress import BuildStep, Phase, report_step
from dockerls.engine.build import BuildKitRefused, BuildOutcome, complete_image_id, dockerfile_argument
from dockerls.engine.build_params import image_labels, query_params
from dockerls.engine.build_steps import buildkit_step, locate
from dockerls.engine.buildkit_trace import TRACE_ID, StatusResponse, TraceError, decode_aux
from dockerls.engine.errors import BuildFailed, Cancelled, EngineError
from dockerls.engine.streams import CancelWatcher, capture_responses

LOG_KEEP = 200  # lines kept per step for the failure's tail


def _context(spec: BuildSpec):
    """The build context as docker-py's ``build`` makes it (``.dockerignore`` honoured, a Dockerfile
    from outside the context added under a generated name), written so BuildKit sees a tar.

    The engine's BuildKit decides "tar or a bare Dockerfile" from the first 512-byte header alone,
    and docker-py's archive starts with a PAX extended header (Python writes one for every file
    whose mtime is a float), which fails that test: the body is then parsed as a Dockerfile
    ("unknown instruction: ././@PAXHEADER").  So whole-second mtimes (no PAX header unless a name
    needs one) and the Dockerfile first (a short name)."""
    exclude: list[str] = []
    ignore = os.path.join(spec.context, ".dockerignore")
    if os.path.exists(ignore):
        with open(ignore) as fh:
            exclude = [line.strip() for line in fh.read().splitlines() if line.strip() and not line.startswith("#")]
    name, content = process_dockerfile(dockerfile_argument(spec), spec.context)
    name = name or "Dockerfile"  # (None only when no Dockerfile is named: ours always is)
    root = os.path.abspath(spec.context)
    files = sorted(exclude_paths(root, exclude, dockerfile=name))
    extra = [] if content is None else [(".dockerignore", "\n".join((exclude or [".dockerignore"]) + [name])),
                                        (name, content)]
    fileobj = tempfile.NamedTemporaryFile()
    with tarfile.open(mode="w", fileobj=fileobj) as tar:
        for path in sorted(files, key=lambda p: p != name):  # the Dockerfile first
            if path in {e[0] for e in extra}:
                continue
            full = os.path.join(root, path)
            info = tar.gettarinfo(full, arcname=path)
            if info is None:  # a socket
                continue
            info.mtime = int(info.mtime)
            if info.isfile():
                with open(full, "rb") as fh:
                    tar.addfile(info, fh)
            else:
                tar.addfile(info)
        for extra_name, text in extra:
            data = text.encode()
            info = tarfile.TarInfo(extra_name)
            info.size, info.mtime = len(data), int(time.time())
            tar.addfile(info, io.BytesIO(data))
    fileobj.seek(0)
    return fileobj, name


def _request(api, spec: BuildSpec, no_cache: bool):
    context, dockerfile = _context(spec)
    params: dict = {"t": spec.tag, "dockerfile": dockerfile, "version": "2", "rm": 1, "forcerm": 1,
                    "nocache": no_cache or spec.options.no_cache, **query_params(spec)}
    if spec.options.network:  # build.options --network
        params["networkmode"] = spec.options.network
    elif not _has_bridge(api):
        # BuildKit runs RUN steps on the default bridge and fails ("network bridge not found") on
        # an engine started with --bridge=none; the classic builder copes.  The host's network is
        # what a step would have reached through the bridge.
        params["networkmode"] = "host"
    if spec.target:
        params["target"] = spec.target
    if spec.args:
        params["buildargs"] = json.dumps(spec.args)
    labels = image_labels(spec)
    if labels:
        params["labels"] = json.dumps(labels)
    headers = {"Content-Type": "application/x-tar"}
    api._set_auth_headers(headers)  # registry credentials, as docker-py's build sends them
    try:
        response = api._post(api._url("/build"), params=params, data=context, headers=headers, stream=True,
                             timeout=None)
    finally:
        context.close()
    if response.status_code == 400 and "buildkit" in response.text.lower():
        raise BuildKitRefused(response.text.strip())
    api._raise_for_status(response)
    return api._stream_helper(response, decode=True)


def _has_bridge(api) -> bool:
    try:
        return any(n.get("Name") == "bridge" for n in api.networks(names=["bridge"]))
    except DockerException:
        return True  # cannot tell: leave the engine's default


class _Vertexes:
    """The build's steps from the trace: state, bytes, output; reported as they change."""

    def __init__(self, df, phase: Phase):
        self.df = df
        self.phase = phase
        self.steps: dict[str, BuildStep] = {}
        self.started: dict[str, float] = {}
        self.logs: dict[str, list[str]] = {}
        self.partial: dict[str, str] = {}
        self.bytes: dict[str, dict[str, tuple[int, int]]] = {}
        self.best = 0.0

    def update(self, status: StatusResponse, outcome: BuildOutcome) -> None:
        for vertex in status.vertexes:
            step = self.steps.get(vertex.digest)
            if step is None:
                ins = buildkit_step(self.df, vertex.name) if self.df is not None else None
                step = BuildStep(vertex.digest, vertex.name, "waiting", line=ins.line + 1 if ins is not None else 0)
                self.steps[vertex.digest] = step
            state = ("failed" if vertex.error else "cached" if vertex.cached and vertex.completed
                     else "done" if vertex.completed else "running" if vertex.started else "waiting")
            if state == step.state:
                continue
            # a step can be announced already done (a FROM of an image that is there): say so once
            unannounced = step.state == "waiting"
            step.state = state
            if vertex.started and vertex.completed:
                step.seconds = max(0.0, vertex.completed - vertex.started)
            if state == "cached" and _is_instruction(step):
                outcome.cached_steps += 1
            if state != "waiting":
                report_step(self.phase.progress, step)
                if state in ("running", "cached") or (state == "done" and unannounced):
                    self.phase.step(step.name + (" CACHED" if state == "cached" else ""), self.fraction())
        for entry in status.statuses:
            step = self.steps.get(entry.vertex)
            if step is None:
                continue
            self.bytes.setdefault(entry.vertex, {})[entry.id] = (entry.current, entry.total)
            step.current = sum(c for c, _ in self.bytes[entry.vertex].values())
            step.total = sum(t for _, t in self.bytes[entry.vertex].values())
            report_step(self.phase.progress, step)
            if step.total:
                self.phase.step(f"{step.name}: {_size(step.current)} / {_size(step.total)}", self.fraction())
        for log in status.logs:
            text = self.partial.pop(log.vertex, "") + log.data.decode("utf-8", "replace")
            *lines, rest = text.replace("\r\n", "\n").split("\n")
            if rest:
                self.partial[log.vertex] = rest
            for line in lines:
                self._log(log.vertex, line, outcome)

    def _log(self, vertex: str, line: str, outcome: BuildOutcome) -> None:
        kept = self.logs.setdefault(vertex, [])
        kept.append(line)
        del kept[:-LOG_KEEP]
        outcome.log.append(line)
        self.phase.progress.on_log(line)

    def flush(self, outcome: BuildOutcome) -> None:
        for vertex, rest in list(self.partial.items()):
            self._log(vertex, rest, outcome)
        self.partial.clear()

    def fraction(self) -> float:
        """Finished vertexes over those known; never going back when more are announced."""
        if self.steps:
            self.best = max(self.best, sum(1 for s in self.steps.values() if s.finished) / len(self.steps))
        return self.best

    def failed(self) -> BuildStep | None:
        for step in self.steps.values():
            if step.state == "failed":
                return step
        return None


def _is_instruction(step: BuildStep) -> bool:
    return step.name.startswith("[") and not step.name.startswith("[internal]")


def _size(count: int) -> str:
    value = float(count)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{count} B"


def build_with_buildkit(client, spec: BuildSpec, df, phase: Phase, cancel: threading.Event | None = None,
                        no_cache: bool = False) -> BuildOutcome:
    outcome = BuildOutcome("", builder="buildkit")
    vertexes = _Vertexes(df, phase)
    api = client.api
    phase.step(f"Building {spec.tag} with BuildKit", 0)
    started = time.monotonic()
    with capture_responses(api) as responses, CancelWatcher(api, responses, cancel) as watcher:
        try:
            for chunk in _request(api, spec, no_cache):
                watcher.check()
                if "error" in chunk:
                    vertexes.flush(outcome)
                    detail = ((chunk.get("errorDetail") or {}).get("message") or chunk["error"]).strip()
                    raise _failed(spec, df, vertexes, detail, outcome.log)
                aux = chunk.get("aux")
                if chunk.get("id") == TRACE_ID:
                    try:
                        vertexes.update(decode_aux(aux), outcome)
                    except TraceError as err:  # a message we cannot read costs its progress, not the build
                        phase.progress.on_log(f"(unreadable BuildKit progress: {err})")
                elif isinstance(aux, dict) and aux.get("ID"):
                    outcome.image_id = aux["ID"]
                elif chunk.get("stream"):
                    for line in chunk["stream"].splitlines():
                        if line.strip():
                            outcome.log.append(line)
                            phase.progress.on_log(line)
        except (Cancelled, BuildFailed, BuildKitRefused):
            raise
        except APIError as err:
            watcher.check()
            raise _failed(spec, df, vertexes, str(err.explanation or err), outcome.log) from None
        except Exception as err:  # also urllib3's ProtocolError when a cancel cuts the stream
            watcher.check()
            raise EngineError(f"the build of {spec.tag} was interrupted: {err}") from None
        watcher.check()
    vertexes.flush(outcome)
    outcome.steps = sum(1 for s in vertexes.steps.values() if _is_instruction(s))
    complete_image_id(api, spec, outcome)
    phase.step(f"Built {spec.tag} with BuildKit in {time.monotonic() - started:.1f}s", 1)
    return outcome


def _failed(spec: BuildSpec, df, vertexes: _Vertexes, detail: str, log: list[str]) -> BuildFailed:
    step = vertexes.failed()
    ins = buildkit_step(df, step.name) if step is not None and df is not None else None
    step_log = vertexes.logs.get(step.key, []) if step is not None else log
    failure = locate(df, spec.dockerfile, detail, ins, step_log)
    return BuildFailed(f"the build of {spec.tag} failed: {failure.headline()}", log, failure)
