"""Carrying out a develop plan of a single container (image or Dockerfile, devcontainer.json
without compose): image, container, lifecycle commands; and ``down`` (compose projects through
Compose).  Compose projects are brought up by :mod:`dockerls.engine.compose_up`.

Progress: images take 0-60 %, containers 60-85 %, lifecycle commands 85-100 %.  Whatever this run
created is removed again when it fails or is cancelled (containers that were there before are left
as they were), so a failed or cancelled develop leaves nothing behind.
"""

from __future__ import annotations

import sys
import threading
from typing import Callable
from dataclasses import dataclass, field

from dockerls.develop.plan.model import (
    ATTACH_STEP,
    CREATE_STEPS,
    LABEL_BUILD_HASH,
    LABEL_COMPOSE_INPUTS,
    LABEL_COMPOSE_PROJECT,
    LABEL_FLOW,
    LABEL_BUILD_INPUTS,
    LABEL_IMAGE_OF,
    LABEL_LOCAL_FOLDER,
    LABEL_MANAGED,
    DevelopPlan,
)
from dockerls.develop.plan.hashing import build_change, decode_parts
from dockerls.develop.progress import NullProgress, Phase, Progress
from dockerls.engine.connect import quick_api
from dockerls.engine.containers import STOP_TIMEOUT, ContainerOutcome, find_existing, remove
from dockerls.engine.errors import Cancelled, EngineError, api_errors, docker_error
from dockerls.engine.forwarding import ensure_forwarding_container
from dockerls.engine.images import ImageConfig, ensure_image, image_config, local_image_id
from dockerls.engine.streams import check_cancel


@dataclass
class UpResult:
    container_id: str
    container_name: str
    action: str  # of the main container: created, recreated, started, reused
    reason: str
    remote_user: str
    remote_workspace_folder: str
    containers: list[ContainerOutcome] = field(default_factory=list)
    image_ids: dict[str, str] = field(default_factory=dict)
    lifecycle_run: list[str] = field(default_factory=list)  # the steps that ran

    def summary(self) -> str:
        why = f" ({self.reason})" if self.reason else ""
        return f"{self.action} {self.container_name}{why}"


def build_images(client, plan: DevelopPlan, progress: Progress, cancel: threading.Event | None = None,
                 no_cache: bool = False, share: tuple[int, int] = (0, 100),
                 existing: dict[str, dict | None] | None = None,
                 reasons: dict[str, str] | None = None) -> dict[str, str]:
    """Build (or find, or pull) every image of the plan; container name -> image id.

    With ``existing`` (the containers found for the plan), a Dockerfile is not built again when
    the container was made from the same image key (label ``dockerls.build_hash``: Dockerfile,
    args, target, context digest) and its image is still the one the tag names; otherwise the
    engine's layer cache decides what is built again.  ``reasons`` receives, per container name,
    why its image was built again (what changed), in words."""
    start, end = share
    count = len(plan.containers)
    ids: dict[str, str] = {}
    built: dict[str, str] = {}  # two services building the same tag build it once
    why_by_key: dict[str, str] = {}
    for i, spec in enumerate(plan.containers):
        check_cancel(cancel)
        phase = Phase(progress, start + (end - start) * i // count, start + (end - start) * (i + 1) // count)
        key = spec.build.tag if spec.build else spec.image
        if key not in built:
            attrs = (existing or {}).get(spec.name)
            up_to_date = _unchanged_build(client, spec, attrs) if not no_cache else None
            on_base = _image_metadata_merge(plan, spec)
            if up_to_date:
                phase.step(f"Image {key} is up to date (its Dockerfile, build args and context have not changed)", 1)
                built[key] = up_to_date
                if on_base is not None:
                    on_base(image_config(client, up_to_date))
            else:
                why = _build_reason(spec, attrs) if not no_cache else "rebuild asked for"
                if why:
                    phase.progress.on_log(f"Building {key}: {why}")
                    why_by_key[key] = why
                built[key] = ensure_image(client, spec, phase, cancel, no_cache=no_cache, on_base=on_base)
        ids[spec.name] = built[key]
        if reasons is not None and key in why_by_key:
            reasons[spec.name] = why_by_key[key]
    return ids


def _image_metadata_merge(plan: DevelopPlan, spec) -> Callable[[ImageConfig], None] | None:
    """For the main container of a devcontainer.json plan: merge the ``devcontainer.metadata`` label
    of the image it is made from into the plan (see :mod:`dockerls.develop.plan.image_metadata`)."""
    if plan.image_metadata is None or spec.name != plan.main:
        return None
    from dockerls.develop.plan.image_metadata import apply_image_metadata

    return lambda image: apply_image_metadata(plan, spec, image.labels, image.user, sys.platform.startswith("linux"))


def _unchanged_build(client, spec, attrs: dict | None) -> str | None:
    """The image id of the existing container when building again would be pointless."""
    if spec.build is None or attrs is None:
        return None
    labels = attrs["Config"].get("Labels") or {}
    if labels.get(LABEL_BUILD_HASH) != spec.build.fingerprint:
        return None
    image_id = local_image_id(client, spec.build.tag)
    return image_id if image_id == attrs.get("Image") else None


def _build_reason(spec, attrs: dict | None) -> str:
    """What changed since the existing container's image was built ("" when nothing is known)."""
    if spec.build is None or attrs is None:
        return ""
    labels = attrs["Config"].get("Labels") or {}
    old = decode_parts(labels.get(LABEL_BUILD_INPUTS))
    changes = None
    if old is not None and spec.build.context_changes_since and \
            old.get("context") == spec.build.context_changes_since[:16]:
        changes = spec.build.context_changes
    return build_change(old, spec.build.inputs, changes) or "its image is no longer the one the tag names"


def up(client, plan: DevelopPlan, progress: Progress | None = None, cancel: threading.Event | None = None,
       no_cache: bool = False) -> UpResult:
    progress = progress or NullProgress()
    api = quick_api(client)  # the calls of a start; client.api (docker-py) for the rest
    created: list[str] = []
    progress.on_begin(f"Developing in {plan.main}")
    try:
        existing = {spec.name: find_existing(api, spec) for spec in plan.containers}
        rebuilt: dict[str, str] = {}
        image_ids = build_images(client, plan, progress, cancel, no_cache, (0, 60), existing, rebuilt)
        if plan.uid_update is not None:  # updateRemoteUserUID: an image on the main container's
            from dockerls.engine.uid_update import update_uid

            image_ids[plan.main] = update_uid(client, plan, image_ids[plan.main], Phase(progress, 55, 60), cancel,
                                              no_cache)
        check_cancel(cancel)
        outcomes: dict[str, ContainerOutcome] = {}
        for i, spec in enumerate(plan.containers):
            check_cancel(cancel)
            progress.on_step(f"Starting {spec.name}", 60 + 25 * i // len(plan.containers))
            outcome = ensure_forwarding_container(api, plan, spec, image_ids[spec.name], created.append,
                                                  existing[spec.name], rebuilt.get(spec.name, ""), progress)
            outcomes[spec.name] = outcome
            progress.on_log(outcome_line(outcome))
            check_cancel(cancel)
        main = outcomes[plan.main]
        steps = _lifecycle_steps(plan, main)
        # The container's data only when something needs it: the lifecycle commands' environment is
        # the container's, and its user is the plan's, else the one it was just created with, else
        # its image's (an existing container may have been made with another: adopted ones are).
        attrs = main.attrs
        known_user = plan.remote_user or (plan.main_container.user if main.created else None)
        if attrs is None and (steps or not known_user):
            attrs = api.inspect_container(main.id)
        remote_user = plan.remote_user or (attrs["Config"].get("User") if attrs else known_user) or "root"
        ran: list[str] = []
        if steps:
            assert attrs is not None  # looked at above: the commands' environment is the container's
            ran = _lifecycle(client, plan, main, attrs, steps, progress, cancel)
        result = UpResult(main.id, main.name, main.action, main.reason, remote_user, plan.workspace_folder,
                          list(outcomes.values()), image_ids, ran)
    except BaseException as err:
        _clean_up(api, created)
        if isinstance(err, (Cancelled, KeyboardInterrupt)):
            progress.on_end("Cancelled: nothing was left behind")
            raise Cancelled() from None
        progress.on_end(f"Failed: {err}")
        if docker_error(err):
            raise EngineError(str(err)) from None
        raise
    progress.on_end(f"Ready: {result.summary()}")
    return result


def outcome_line(outcome: ContainerOutcome) -> str:
    why = f": {outcome.reason}" if outcome.reason else ""
    return f"Container {outcome.name} {outcome.action}{why}"


def _lifecycle_steps(plan: DevelopPlan, main: ContainerOutcome) -> list:
    """onCreate/updateContent/postCreate after a creation, postStart after every start,
    postAttach on every develop (develop is the attach)."""
    if main.created:
        return list(plan.lifecycle)
    if main.action == "started":
        return [c for c in plan.lifecycle if c.step not in CREATE_STEPS]
    return [c for c in plan.lifecycle if c.step == ATTACH_STEP]


def _lifecycle(client, plan: DevelopPlan, main: ContainerOutcome, attrs: dict, steps: list, progress,
               cancel) -> list[str]:
    from dockerls.develop.plan.lifecycle import steps_before_ready
    from dockerls.develop.progress import Ready, report_ready
    from dockerls.engine.lifecycle import command_environment, run_lifecycle_command

    environment = command_environment(client.api, main.id, attrs, plan, progress)
    ready_at = steps_before_ready(plan.wait_for, steps)
    for i, command in enumerate(steps):
        if i == ready_at:  # waitFor's step has run: ready to work in, the later steps go on
            report_ready(progress, Ready(main.id, main.name, plan.wait_for, [c.step for c in steps[i:]]))
        progress.on_step(f"Running {command.step}", 85 + 15 * i // max(len(steps), 1))
        run_lifecycle_command(client.api, main.id, command, user=plan.remote_user, workdir=plan.workspace_folder,
                              environment=environment, progress=progress, cancel=cancel)
    return [c.step for c in steps]


def _clean_up(api, containers: list[str]) -> None:
    for container_id in reversed(containers):
        try:
            remove(api, container_id)
        except EngineError:
            pass


def managed_filters(folder: str) -> dict:
    return {"label": [f"{LABEL_MANAGED}=true", f"{LABEL_LOCAL_FOLDER}={folder}"]}


def down(client, folder: str, progress: Progress | None = None, remove_volumes: bool = False,
         remove_images: bool = False, removed_images: list[str] | None = None,
         compose_down: Callable[[str, Progress], list[str]] | None = None) -> list[str]:
    """Stop and remove every container (and network) develop made for ``folder``; their names.
    ``remove_volumes``: its named volumes too; ``remove_images``: the images develop built for it
    (label ``dockerls.image_of``, old untagged builds included), their tags or ids appended to
    ``removed_images``.  ``compose_down(project, progress)`` removes a compose project that Docker
    Compose brought up for a devcontainer.json (names of what it removed)."""
    from docker.errors import DockerException, NotFound

    progress = progress or NullProgress()
    api = client.api
    progress.on_begin(f"Removing the containers of {folder}")
    filters = managed_filters(folder)
    try:
        found = sorted(api.containers(all=True, filters=filters), key=lambda c: -c.get("Created", 0))
        names = []
        projects = sorted({_compose_project(c) for c in found} - {""}) if compose_down is not None else []
        for project in projects:
            progress.on_step(f"Removing the compose project {project}", None)
            assert compose_down is not None
            names.extend(compose_down(project, progress))
        found = [c for c in found if _compose_project(c) not in projects]
        for i, container in enumerate(found):  # newest first: dependents before their dependencies
            name = (container.get("Names") or ["/" + container["Id"][:12]])[0].lstrip("/")
            progress.on_step(f"Removing {name}", 100 * i // max(len(found), 1))
            try:
                if container.get("State") == "running":
                    api.stop(container["Id"], timeout=STOP_TIMEOUT)
                api.remove_container(container["Id"], force=True, v=remove_volumes)
            except NotFound:
                pass
            names.append(name)
        for network in api.networks(filters=filters):
            try:
                api.remove_network(network["Id"])
            except DockerException as err:
                progress.on_log(f"network {network['Name']} not removed: {err}")
        if remove_volumes:
            for volume in (api.volumes(filters=filters) or {}).get("Volumes") or []:
                try:
                    api.remove_volume(volume["Name"])
                except DockerException as err:
                    progress.on_log(f"volume {volume['Name']} not removed: {err}")
        if remove_images:
            gone = _remove_images(api, folder, progress)
            if removed_images is not None:
                removed_images.extend(gone)
    except DockerException as err:
        progress.on_end(f"Failed: {err}")
        raise EngineError(str(err)) from None
    progress.on_end(f"Removed {len(names)} container(s)" if names else "Nothing to remove")
    return names


def _compose_project(container: dict) -> str:
    """The compose project of a container Docker Compose made for develop, else ""."""
    labels = container.get("Labels") or {}
    if labels.get(LABEL_FLOW) != "compose" or LABEL_COMPOSE_INPUTS not in labels:
        return ""
    return labels.get(LABEL_COMPOSE_PROJECT, "")


def _remove_images(api, folder: str, progress: Progress) -> list[str]:
    from docker.errors import APIError, NotFound

    gone = []
    for image in api.images(all=True, filters={"label": [f"{LABEL_IMAGE_OF}={folder}"]}) or []:
        names = [t for t in image.get("RepoTags") or [] if t != "<none>:<none>"] or [image["Id"]]
        for name in names:  # an image with two tags is removed tag by tag (no force needed)
            try:
                api.remove_image(name)
                gone.append(name)
            except NotFound:
                pass
            except APIError as err:
                progress.on_log(f"image {name} not removed: {err.explanation or err}")
    return gone


def find_main_container(client, plan: DevelopPlan) -> dict | None:
    """The running (or stopped) main container of a plan, or None."""
    spec = plan.main_container
    try:
        return find_existing(quick_api(client), spec)
    except api_errors() as err:
        raise EngineError(str(err)) from None
