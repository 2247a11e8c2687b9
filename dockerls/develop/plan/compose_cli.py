"""Compose through Compose (pure part): what ``docker compose`` / ``docker-compose`` is asked to do
for a devcontainer.json with ``dockerComposeFile`` (and for ``dockerls develop --service``).

Every file of ``dockerComposeFile`` (a string or a list, relative to devcontainer.json) is passed
with ``-f``, in order, then an override file generated here, as the Dev Containers CLI writes its
own: the dev container's service gets the keep-alive entrypoint (``overrideCommand``), the labels
that find it again, and the devcontainer.json keys that shape a container (``mounts``,
``containerEnv``, ``containerUser``, ``forwardPorts``/``appPort``, ``init``, ``privileged``,
``capAdd``, ``securityOpt``), and with ``features`` the extended image (built on the service's
image, as the Dev Containers CLI builds it).  The override is written as JSON (which is YAML)
with every ``$`` doubled, so Compose's interpolation leaves the values as they are.

The project is named as the Dev Containers CLI names it (:func:`project_name`), so each tool
finds the other's containers; :func:`up_arguments` and :func:`down_arguments` are the command
lines :mod:`dockerls.engine.compose_cli` runs.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from dataclasses import dataclass, field
from typing import Mapping

from dockerls.develop.plan.model import HASH_LABELS, LABEL_COMPOSE_INPUTS, ContainerSpec, DevelopPlan, Mount, PortBinding

OVERRIDE_NAME = "docker-compose.dockerls.json"


@dataclass(slots=True)
class ComposeUp:
    project: str
    files: list[str]  # absolute, in order; the override file comes after them
    services: list[str]  # what ``up`` starts (runServices + the dev container's service; [] = all)
    override: dict = field(default_factory=dict)
    service: str = ""  # the dev container's service
    override_command: bool = False  # devcontainer.json's overrideCommand (false by default with compose)
    builds: list[tuple[str, str]] = field(default_factory=list)  # (context, Dockerfile) of the services built
    built_services: list[str] = field(default_factory=list)  # the services Compose builds (of those started)
    # devcontainer.json: the service's command runs under the keep-alive entrypoint, as the Dev Containers
    # CLI's override has it whatever overrideCommand says; the service's own entrypoint and command as
    # the compose files write them (None: not written, the image's apply).
    wrap: bool = False
    service_entrypoint: list[str] | None = None
    service_command: list[str] | None = None
    service_user: str | None = None  # the service's ``user:`` in the compose files
    # updateRemoteUserUID: the image with the remote user's UID/GID updated, which the override names
    # (set by the engine once the service's image, and so its user, is known); "" when none
    uid_image: str = ""

    def override_text(self) -> str:
        return override_text(self.override)

    def command(self, override_path: str, *, progress_json: bool = True) -> list[str]:
        """The arguments after the compose program (``docker compose`` or ``docker-compose``)."""
        args = ["--progress", "json"] if progress_json else []
        args += ["-p", self.project]
        for path in [*self.files, override_path]:
            args += ["-f", path]
        return [*args, "up", "-d", *self.services]


def to_project_name(text: str) -> str:
    """The Dev Containers CLI's normalisation (Compose 1.21 and later): lower case, only letters,
    digits, ``-`` and ``_``."""
    return re.sub(r"[^-_a-z0-9]", "", text.lower())


def project_name(folder: str, files: list[str], environ: Mapping[str, str], dot_env: str | None = None) -> str:
    """The compose project's name as the Dev Containers CLI derives it: ``COMPOSE_PROJECT_NAME``
    (environment, then the ``.env`` of the workspace folder, given as ``dot_env``), else
    ``<folder>_devcontainer`` when the first compose file is in ``<folder>/.devcontainer``, else the
    first compose file's folder name.  (The ``name:`` of the compose file is not read: the CLI
    always passes ``--project-name``.)"""
    name = to_project_name(environ.get("COMPOSE_PROJECT_NAME") or "")
    if name:
        return name
    match = re.search(r"^COMPOSE_PROJECT_NAME=(.+)$", dot_env or "", re.MULTILINE)
    name = to_project_name(match.group(1).strip()) if match else ""
    if name:
        return name
    working_dir = os.path.dirname(files[0]) if files else folder
    if os.path.normpath(working_dir) == os.path.join(os.path.normpath(folder), ".devcontainer"):
        return to_project_name(f"{os.path.basename(os.path.normpath(folder))}_devcontainer")
    return to_project_name(os.path.basename(os.path.normpath(working_dir)))


def needs_image_config(plan: DevelopPlan) -> bool:
    """Whether the override needs the service image's ``Entrypoint``/``Cmd``: the keep-alive
    entrypoint runs them when the compose files write no entrypoint (as the CLI's override does)."""
    compose = plan.compose
    return compose is not None and compose.wrap and not compose.override_command and compose.service_entrypoint is None


def plan_override(plan: DevelopPlan, image_entrypoint: list[str] | None = None,
                  image_cmd: list[str] | None = None) -> dict:
    """The override file of a compose plan (computed when it runs: the labels are final then, and
    the image's ``Entrypoint``/``Cmd`` known when :func:`needs_image_config`).  The hash labels are
    left out: Compose recreates the container when its configuration changes."""
    compose = plan.compose
    assert compose is not None
    spec = plan.main_container
    labels = {k: v for k, v in spec.labels.items() if k not in HASH_LABELS and k != LABEL_COMPOSE_INPUTS}
    entrypoint, command = spec.entrypoint, spec.command
    if compose.wrap and entrypoint is not None:
        # The Dev Containers CLI's override: the keep-alive entrypoint (with the features' entrypoint
        # scripts) exec's the service's entrypoint and command, or with overrideCommand nothing.
        if compose.override_command:
            user_entrypoint: list[str] = []
            command = []
        else:
            user_entrypoint = compose.service_entrypoint if compose.service_entrypoint is not None \
                else list(image_entrypoint or [])
            command = None if compose.service_command is not None else \
                [] if compose.service_entrypoint is not None else list(image_cmd or [])
        entrypoint = [*entrypoint, *user_entrypoint]
    shaped = dataclasses.replace(spec, labels=labels, entrypoint=entrypoint, command=command)
    document = override_document(compose.service, shaped, override_command=False, keep_alive=[])
    if compose.uid_image:  # built on the service's image (or the features'), as the CLI's override names it
        document["services"][compose.service]["image"] = compose.uid_image
    return document


def extends_image(plan: DevelopPlan) -> bool:
    """Whether develop builds an image on the service's own (features, the UID update): Compose
    then builds the service without the override first (the base), and ``up`` does not build."""
    compose = plan.compose
    return compose is not None and (plan.main_container.features is not None or bool(compose.uid_image))


def apply_service_image(plan: DevelopPlan, labels: Mapping[str, str] | None, image_user: str,
                        host_linux: bool = True) -> None:
    """Once the service's image is there (built or pulled, before the features): merge its own
    ``devcontainer.metadata`` label into the plan (its entries first, as the CLI merges them for
    compose), and decide the UID update, whose image the override then names (the final image's
    user is the service image's: the features' image ends with it)."""
    from dockerls.develop.plan.image_metadata import apply_image_metadata
    from dockerls.develop.plan.uid_update import uid_tag, user_to_update

    compose = plan.compose
    assert compose is not None
    spec = plan.main_container
    apply_image_metadata(plan, spec, _without_own_entries(spec, labels), image_user, host_linux)
    update = plan.uid_update
    compose.uid_image = uid_tag(spec.name) if update is not None and user_to_update(update, image_user or None) else ""


def _without_own_entries(spec: ContainerSpec, labels: Mapping[str, str] | None) -> Mapping[str, str] | None:
    """The Dev Containers CLI builds a compose service's image with the label it writes (the
    features' entries and devcontainer.json's), under the name Compose gives it, which is the name
    develop reads: entries that end with the ones the plan writes itself are not the image's own
    (the CLI reads the label of the Dockerfile's base image, which has none of them)."""
    from dockerls.develop.plan.features_apply import METADATA_LABEL, metadata_entries
    from dockerls.develop.plan.image_metadata import label_entries

    entries, trouble = label_entries(labels)
    own = metadata_entries(spec.labels.get(METADATA_LABEL) or "[]")
    if trouble or not own or len(entries) < len(own) or entries[len(entries) - len(own):] != own:
        return labels
    return {**(labels or {}), METADATA_LABEL: json.dumps(entries[:len(entries) - len(own)])}


def up_arguments(plan: DevelopPlan, override_path: str, *, progress_json: bool = True, build: bool = False,
                 force_recreate: bool = False) -> list[str]:
    """``up -d`` of the plan's services (runServices and the dev container's service) with the
    override file last; ``build``: build the images again (also whenever services are built: the
    layer cache makes an unchanged build quick, and a changed Dockerfile or context is built);
    ``force_recreate``: new containers."""
    assert plan.compose is not None
    args = plan.compose.command(override_path, progress_json=progress_json)
    # With features or the UID update, the images were built before (base_build_arguments): Compose
    # must not build the dev container's service again over the image the override now names.
    rebuild = (build or plan.compose.builds) and not extends_image(plan)
    extra = (["--build"] if rebuild else []) + (["--force-recreate"] if force_recreate else [])
    at = args.index("-d") + 1
    return [*args[:at], *extra, *args[at:]]


def build_arguments(plan: DevelopPlan, override_path: str, *, no_cache: bool = False,
                    progress_json: bool = True) -> list[str]:
    """``build`` of the plan's services (``dockerls develop --build-only``, ``rebuild``)."""
    assert plan.compose is not None
    args = plan.compose.command(override_path, progress_json=progress_json)
    at = args.index("up")
    return [*args[:at], "build", *(["--no-cache"] if no_cache else []), *plan.compose.services]


def base_build_arguments(plan: DevelopPlan, *, no_cache: bool = False, progress_json: bool = True) -> list[str]:
    """``build`` of the services Compose builds, without the override (so the dev container's
    service is tagged as Compose names it: the base the features are installed on)."""
    assert plan.compose is not None
    args = ["--progress", "json"] if progress_json else []
    args += ["-p", plan.compose.project]
    for path in plan.compose.files:
        args += ["-f", path]
    return [*args, "build", *(["--no-cache"] if no_cache else []), *plan.compose.built_services]


def down_arguments(project: str, *, volumes: bool = False, images: bool = False, progress_json: bool = True,
                   files: list[str] | None = None) -> list[str]:
    """``down`` of a whole project by its name (Compose finds its containers by their labels).
    ``images``: ``--rmi local``, which removes the images Compose built under its own names (a
    service with ``build`` and no ``image``) as Compose reads the project's ``files`` (the user's,
    without the override, whose ``image`` would hide them); given files, the containers of services
    they no longer have go too (``--remove-orphans``)."""
    args = ["--progress", "json"] if progress_json else []
    args += ["-p", project]
    for path in files or []:
        args += ["-f", path]
    return [*args, "down", *(["--volumes"] if volumes else []), *(["--rmi", "local"] if images else []),
            *(["--remove-orphans"] if files else [])]


def built_services(services: dict[str, dict], started: list[str]) -> list[str]:
    """The services of ``started`` (and what they depend on) that have a ``build``."""
    seen: list[str] = []
    todo = list(started)
    while todo:
        name = todo.pop(0)
        if name in seen or name not in services:
            continue
        seen.append(name)
        depends = services[name].get("depends_on") or {}
        todo.extend(str(d) for d in depends if isinstance(depends, (list, dict)))
    return [name for name in seen if isinstance(services[name].get("build"), (str, dict))]


def service_builds(services: dict[str, dict], started: list[str], project_dir: str) -> list[tuple[str, str]]:
    """The (context, Dockerfile) of each service in ``started`` (and what they depend on) that
    Compose builds: develop keys the dev container on them, so a changed Dockerfile or context
    brings Compose in again."""
    out: list[tuple[str, str]] = []
    for name in built_services(services, started):
        written = services[name].get("build")
        build: dict = {"context": written} if isinstance(written, str) else written if isinstance(written, dict) else {}
        context = os.path.normpath(os.path.join(project_dir, str(build.get("context") or ".")))
        dockerfile = os.path.normpath(os.path.join(context, str(build.get("dockerfile") or "Dockerfile")))
        if (context, dockerfile) not in out:
            out.append((context, dockerfile))
    return out


def override_text(document: dict) -> str:
    """The override file's text: JSON (which is YAML) with every ``$`` doubled, so Compose's
    interpolation leaves the values as they are."""
    return json.dumps(_escape(document), indent=2) + "\n"


def rm_arguments(plan: DevelopPlan, *, progress_json: bool = True) -> list[str]:
    """Stop and remove the dev container's service only (``shutdownAction: none``: the other
    services of the project are left running)."""
    assert plan.compose is not None
    args = ["--progress", "json"] if progress_json else []
    return [*args, "-p", plan.compose.project, "rm", "--stop", "--force", plan.compose.service]


def compose_files(written, config_folder: str) -> list[str]:
    """``dockerComposeFile`` (a string or a list) as absolute paths; ValueError when it is neither."""
    import os

    files = [written] if isinstance(written, str) else written
    if not isinstance(files, list) or not files or not all(isinstance(f, str) and f for f in files):
        raise ValueError("dockerComposeFile must be a string or an array of strings")
    return [os.path.normpath(os.path.join(config_folder, f)) for f in files]


def override_document(service: str, spec: ContainerSpec, *, override_command: bool, keep_alive: list[str]) -> dict:
    """The whole override file: the service's override, and the named volumes of devcontainer.json's
    ``mounts`` declared under their own names (Compose would otherwise refuse them as undefined,
    or prefix them with the project's name)."""
    out: dict = {"services": {service: service_override(spec, override_command=override_command,
                                                          keep_alive=keep_alive)}}
    named = sorted({m.source for m in spec.mounts if m.type == "volume" and m.source})
    if named:
        out["volumes"] = {name: {"name": name} for name in named}
    return out


def service_override(spec: ContainerSpec, *, override_command: bool, keep_alive: list[str]) -> dict:
    """The override of the dev container's service: only what devcontainer.json says."""
    out: dict = {}
    if spec.features is not None:
        out["image"] = spec.image  # the service's image with the features installed
    if override_command:
        out["entrypoint"] = list(keep_alive)
        out["command"] = []
    else:
        if spec.entrypoint is not None:  # the keep-alive entrypoint (with the features' scripts) set in the plan
            out["entrypoint"] = list(spec.entrypoint)
        if spec.command is not None:  # None: the compose file's command
            out["command"] = list(spec.command)
    if spec.labels:
        out["labels"] = dict(spec.labels)
    if spec.mounts:
        out["volumes"] = [_volume(m) for m in spec.mounts]
    if spec.environment:
        out["environment"] = dict(spec.environment)
    if spec.user:
        out["user"] = spec.user
    if spec.ports:
        out["ports"] = [_port(p) for p in spec.ports]
    if spec.init:
        out["init"] = True
    if spec.privileged:
        out["privileged"] = True
    if spec.cap_add:
        out["cap_add"] = list(spec.cap_add)
    if spec.security_opt:
        out["security_opt"] = list(spec.security_opt)
    return out


def _volume(mount: Mount) -> dict:
    out: dict = {"type": mount.type, "target": mount.target}
    if mount.source:
        out["source"] = mount.source
    if mount.read_only:
        out["read_only"] = True
    return out


def _port(port: PortBinding) -> dict:
    out: dict = {"target": port.container_port, "protocol": port.protocol}
    if port.host_port:
        out["published"] = str(port.host_port)
    if port.host_ip:
        out["host_ip"] = port.host_ip
    return out


def _escape(value):
    if isinstance(value, str):
        return value.replace("$", "$$")
    if isinstance(value, list):
        return [_escape(v) for v in value]
    if isinstance(value, dict):
        return {k: _escape(v) for k, v in value.items()}
    return value
