"""Carrying out a compose plan (devcontainer.json with ``dockerComposeFile``, or ``dockerls develop
--service``) through Docker Compose: ``up -d`` with the generated override file, then the
lifecycle commands in the dev container, as :func:`dockerls.engine.up.up` does for a single
container; ``build`` (images only), ``down`` and ``rm``.

Progress: Compose's events take 0-85 % (each container or image that is done moves it on), the
lifecycle commands 85-100 %.  When the project had no container before and ``up`` fails or is
cancelled, ``down`` removes what it made, so nothing is left behind.
"""

from __future__ import annotations

import threading
from typing import Callable

from docker.errors import DockerException, NotFound

from dockerls.develop.plan.compose_cli import (
    base_build_arguments,
    build_arguments,
    down_arguments,
    extends_image,
    rm_arguments,
    up_arguments,
)
from dockerls.develop.plan.model import LABEL_COMPOSE_INPUTS, LABEL_COMPOSE_PROJECT, DevelopPlan
from dockerls.develop.progress import NullProgress, Phase, Progress
from dockerls.engine.compose_cli import ComposeEvent, ComposeProgram, run_compose
from dockerls.engine.containers import ContainerOutcome, adopted, find_existing
from dockerls.engine.errors import Cancelled, EngineError
from dockerls.engine.images import ensure_image, local_image_id, pull
from dockerls.engine.up import UpResult, _lifecycle, _lifecycle_steps


class _EventProgress:
    """Compose's events as steps: the share of the containers and images seen that are done."""

    def __init__(self, progress: Progress, start: int, end: int):
        self.progress, self.start, self.end = progress, start, end
        self.seen: dict[str, bool] = {}
        self.percent = start

    def __call__(self, event: ComposeEvent) -> None:
        if event.id == "Compose":
            return
        self.seen[event.id] = event.status in ("Done", "Error")
        done = sum(self.seen.values())
        self.percent = max(self.percent, self.start + (self.end - self.start) * done // (len(self.seen) + 1))
        self.progress.on_step(f"{event.id}: {event.text}", self.percent)


def compose_up(client, plan: DevelopPlan, find_program: Callable[[], ComposeProgram], override_path: str,
               progress: Progress | None = None, cancel: threading.Event | None = None, *,
               no_cache: bool = False, recreate: bool = False, env: dict[str, str] | None = None,
               inputs: str = "") -> UpResult:
    """``find_program`` is called only when Compose has something to do: a running dev container
    whose label ``dockerls.compose_inputs`` is ``inputs`` (the same files and override) is reused
    as it is."""
    assert plan.compose is not None
    progress = progress or NullProgress()
    api = client.api
    spec = plan.main_container
    project = plan.compose.project
    fresh = False
    progress.on_begin(f"Developing in {plan.main} (compose project {project})")
    try:
        before = find_existing(api, spec)
        attrs = before if before is not None and not (no_cache or recreate) and _unchanged(before, inputs) else None
        if attrs is None:
            program = find_program()
            fresh = not api.containers(all=True, filters={"label": [f"{LABEL_COMPOSE_PROJECT}={project}"]})
            _run_up(client, program, plan, override_path, progress, cancel, no_cache, recreate, env)
            attrs = find_existing(api, spec)
            if attrs is None:
                raise EngineError(f"{program.name} started the project {project}, but service "
                                  f"{plan.compose.service} has no container")
        main = _outcome(before, attrs, recreate)
        progress.on_log(f"Container {main.name} {main.action}" + (f": {main.reason}" if main.reason else ""))
        remote_user = plan.remote_user or attrs["Config"].get("User") or "root"
        steps = _lifecycle_steps(plan, main)
        ran = _lifecycle(client, plan, main, attrs, steps, progress, cancel) if steps else []
    except BaseException as err:
        if fresh:
            _remove_project(find_program(), project, env)
        if isinstance(err, (Cancelled, KeyboardInterrupt)):
            progress.on_end("Cancelled: nothing was left behind" if fresh else "Cancelled")
            raise Cancelled() from None
        progress.on_end("Failed")  # the message is the result's, printed once
        if isinstance(err, DockerException):
            raise EngineError(str(err)) from None
        raise
    result = UpResult(main.id, main.name, main.action, main.reason, remote_user, plan.workspace_folder, [main],
                      {}, ran)
    progress.on_end(f"Ready: {result.summary()}")
    return result


def service_image_config(client, plan: DevelopPlan, find_program: Callable[[], ComposeProgram],
                         progress: Progress | None = None, cancel: threading.Event | None = None,
                         env: dict[str, str] | None = None, *, required: bool = True) -> dict | None:
    """The ``Config`` of the dev container service's image (the base of its features: its
    ``Entrypoint``, ``Cmd``, ``User`` and ``devcontainer.metadata`` label), built by Compose or
    pulled first when it is not there yet (as the Dev Containers CLI builds before it writes its
    override).  Not ``required`` (only its label is wanted): an image that cannot be pulled is
    None, and Compose says what is wrong when it runs."""
    assert plan.compose is not None
    spec = plan.main_container
    reference = spec.features.base if spec.features is not None else spec.image
    progress = progress or NullProgress()
    try:
        config = _image_config(client, reference)
        if config is None:
            if plan.compose.service in plan.compose.built_services:
                program = find_program()
                run_compose(program, base_build_arguments(plan, progress_json=program.json_progress),
                            f"build the project {plan.compose.project}", progress=progress, cancel=cancel, env=env)
            else:
                try:
                    pull(client, reference, Phase(progress, 0, 30), cancel)
                except Cancelled:
                    raise
                except EngineError as err:
                    if required:
                        raise
                    progress.on_log(f"{err}: its devcontainer.metadata label is not merged")
                    return None
            config = _image_config(client, reference) or {}
    except DockerException as err:
        raise EngineError(str(err)) from None
    return config


def _image_config(client, reference: str) -> dict | None:
    try:
        return client.api.inspect_image(reference).get("Config") or {}
    except NotFound:
        return None


def _unchanged(attrs: dict, inputs: str) -> bool:
    """Running and made from the same inputs, or running and made by the Dev Containers CLI (used as
    it is, as the CLI uses dockerls' containers: both find it by the project's labels)."""
    labels = attrs["Config"].get("Labels") or {}
    if not attrs["State"].get("Running"):
        return False
    return adopted(attrs) or (bool(inputs) and labels.get(LABEL_COMPOSE_INPUTS) == inputs)


def compose_build(client, plan: DevelopPlan, program: ComposeProgram, override_path: str,
                  progress: Progress | None = None, cancel: threading.Event | None = None, *,
                  no_cache: bool = False, env: dict[str, str] | None = None) -> None:
    """Build the images of the services started (``dockerls develop --build-only``), the features'
    extended image too; start nothing."""
    assert plan.compose is not None
    progress = progress or NullProgress()
    progress.on_begin(f"Building the images of {plan.folder} (compose project {plan.compose.project})")
    try:
        if plan.main_container.features is not None:
            _build_features(client, program, plan, progress, cancel, no_cache, env)
        else:
            run_compose(program, build_arguments(plan, override_path, no_cache=no_cache, progress_json=program.json_progress),
                        f"build the project {plan.compose.project}", progress=progress, cancel=cancel, env=env,
                        on_event=_EventProgress(progress, 0, 100))
    except BaseException as err:
        progress.on_end("Cancelled" if isinstance(err, (Cancelled, KeyboardInterrupt)) else "Failed")
        if isinstance(err, DockerException):
            raise EngineError(str(err)) from None
        raise
    progress.on_end("Built")


def _build_features(client, program: ComposeProgram, plan: DevelopPlan, progress: Progress,
                    cancel: threading.Event | None, no_cache: bool, env: dict[str, str] | None) -> None:
    """As the Dev Containers CLI does: the service's image (built by Compose without the override,
    or pulled) extended with the features, then the UID update on it; the override names the
    last image built."""
    assert plan.compose is not None
    if plan.compose.built_services:
        run_compose(program, base_build_arguments(plan, no_cache=no_cache, progress_json=program.json_progress), f"build the project {plan.compose.project}",
                    progress=progress, cancel=cancel, env=env, on_event=_EventProgress(progress, 0, 30))
    spec = plan.main_container
    if spec.features is not None:
        image_id = ensure_image(client, spec, Phase(progress, 30, 55), cancel, no_cache=no_cache)
    else:
        image_id = local_image_id(client, spec.image) or ""
        if not image_id:
            pull(client, spec.image, Phase(progress, 30, 55), cancel)
            image_id = local_image_id(client, spec.image) or spec.image
    if plan.compose.uid_image:
        from dockerls.engine.uid_update import update_uid

        update_uid(client, plan, image_id, Phase(progress, 55, 60), cancel, no_cache)


def _run_up(client, program: ComposeProgram, plan: DevelopPlan, override_path: str, progress: Progress,
            cancel: threading.Event | None, no_cache: bool, recreate: bool, env: dict[str, str] | None) -> None:
    assert plan.compose is not None
    project = plan.compose.project
    extended = extends_image(plan)  # features or the UID update: built before, on the service's image
    if extended:
        _build_features(client, program, plan, progress, cancel, no_cache, env)
    events = _EventProgress(progress, 60 if extended else 0, 85)
    if no_cache and not extended:
        run_compose(program, build_arguments(plan, override_path, no_cache=True, progress_json=program.json_progress), f"build the project {project}",
                    progress=progress, cancel=cancel, env=env, on_event=events)
    run_compose(program, up_arguments(plan, override_path, build=no_cache, force_recreate=recreate,
                                      progress_json=program.json_progress),
                f"start the project {project}", progress=progress, cancel=cancel, env=env, on_event=events)


def _outcome(before: dict | None, attrs: dict, recreate: bool) -> ContainerOutcome:
    name = attrs["Name"].lstrip("/")
    if before is None:
        return ContainerOutcome(name, attrs["Id"], "created", attrs=attrs)
    if before["Id"] != attrs["Id"]:
        why = "rebuild asked for" if recreate else "Compose found its configuration or image changed"
        return ContainerOutcome(name, attrs["Id"], "recreated", why, attrs)
    if not before["State"].get("Running"):
        return ContainerOutcome(name, attrs["Id"], "started", attrs=attrs)
    return ContainerOutcome(name, attrs["Id"], "reused", attrs=attrs)


def _remove_project(program: ComposeProgram, project: str, env: dict[str, str] | None) -> None:
    try:
        run_compose(program, down_arguments(project, volumes=True, progress_json=program.json_progress), f"remove the project {project}", env=env)
    except EngineError:
        pass


def compose_down(program: ComposeProgram, project: str, progress: Progress | None = None, *,
                 volumes: bool = False, images: bool = False, env: dict[str, str] | None = None,
                 files: list[str] | None = None) -> list[str]:
    """``down`` of a whole project; the containers Compose removed.  ``files``: the project's
    compose files (see :func:`dockerls.develop.plan.compose_cli.down_arguments`)."""
    events = run_compose(program, down_arguments(project, volumes=volumes, images=images,
                                                 progress_json=program.json_progress, files=files),
                         f"remove the project {project}", progress=progress, env=env)
    return sorted({e.id.removeprefix("Container ") for e in events
                   if e.id.startswith("Container ") and e.text == "Removed"})


def compose_rm(program: ComposeProgram, plan: DevelopPlan, progress: Progress | None = None, *,
               env: dict[str, str] | None = None) -> list[str]:
    """Stop and remove the dev container's service only (``shutdownAction: none``)."""
    assert plan.compose is not None
    run_compose(program, rm_arguments(plan, progress_json=program.json_progress),
                f"remove the service {plan.compose.service}", progress=progress, env=env)
    return [plan.main]
