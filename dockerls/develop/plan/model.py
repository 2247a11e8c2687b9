"""The develop plan: what to build and run, as plain data.

A :class:`DevelopPlan` is computed from a workspace folder by :func:`dockerls.develop.plan.make_plan`
without touching the engine; :mod:`dockerls.engine` carries it out.  Everything here is pure data
(no docker, no pygls), so the plan can be shown, hashed and tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Mapping

from dockerls.lint.workspace_fs import PLAIN_FS, WorkspaceFS
from dockerls.text import Range

if TYPE_CHECKING:
    from dockerls.develop.plan.compose_cli import ComposeUp
    from dockerls.develop.plan.features import FeaturesBuild
    from dockerls.develop.plan.uid_update import UidUpdate
    from dockerls.develop.plan.variables import Variables

# Labels the Dev Containers CLI puts on its containers; dockerls sets the same ones so each tool
# can recognise the other's containers.
LABEL_LOCAL_FOLDER = "devcontainer.local_folder"
LABEL_CONFIG_FILE = "devcontainer.config_file"
# dockerls' own labels.
LABEL_MANAGED = "dockerls.managed"
LABEL_CONFIG_HASH = "dockerls.config_hash"
LABEL_FLOW = "dockerls.flow"  # dockerfile, image, devcontainer or compose
LABEL_BUILD_HASH = "dockerls.build_hash"  # the image key: Dockerfile, args, target, context digest
LABEL_BUILD_INPUTS = "dockerls.build_inputs"  # the key's parts, to name what changed
LABEL_IMAGE_OF = "dockerls.image_of"  # on the images develop builds: the folder (down --rmi local)
LABEL_CONFIG_PARTS = "dockerls.config_parts"  # the config hash's parts, to name what changed
LABEL_COMPOSE_INPUTS = "dockerls.compose_inputs"  # compose through Compose: digest of the files and the override
# Labels about the hashes themselves, which the config hash does not cover.
HASH_LABELS = (LABEL_CONFIG_HASH, LABEL_BUILD_HASH, LABEL_BUILD_INPUTS, LABEL_CONFIG_PARTS)
# Compose's labels: how develop finds the dev container Compose made.
LABEL_COMPOSE_PROJECT = "com.docker.compose.project"
LABEL_COMPOSE_SERVICE = "com.docker.compose.service"
LABEL_COMPOSE_NUMBER = "com.docker.compose.container-number"

LIFECYCLE_STEPS = ("onCreateCommand", "updateContentCommand", "postCreateCommand", "postStartCommand",
                   "postAttachCommand")
CREATE_STEPS = LIFECYCLE_STEPS[:3]  # once per container creation; postStartCommand on every start
ATTACH_STEP = "postAttachCommand"  # every develop (develop is the attach)


class PlanError(Exception):
    """The folder cannot be developed in: no Dockerfile, a config that cannot be read, ..."""

    def __init__(self, message: str, file: str | None = None, range: Range | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.range = range

    def __str__(self) -> str:
        return _located(self.message, self.file, self.range)


@dataclass(slots=True)
class PlanProblem:
    """Something in the configuration dockerls does not do (or does differently), never silent."""

    message: str
    severity: str = "warning"  # "error", "warning" or "info"
    file: str | None = None
    range: Range | None = None  # where the key is written, when known
    key: str | None = None  # the configuration key, e.g. "features" or "runArgs[3]"

    def __str__(self) -> str:
        return _located(f"{self.severity}: {self.message}", self.file, self.range)

    def to_json(self) -> dict:
        out: dict = {"severity": self.severity, "message": self.message}
        if self.key:
            out["key"] = self.key
        if self.file:
            out["file"] = self.file
        if self.range:
            out["range"] = self.range.to_json()
        return out


def _located(message: str, file: str | None, rng: Range | None) -> str:
    if file and rng:
        return f"{file}:{rng.start.line + 1}:{rng.start.character + 1}: {message}"
    return f"{file}: {message}" if file else message


@dataclass(slots=True)
class DevelopOptions:
    """What the caller (CLI flags, LSP command arguments) may override."""

    mount_point: str | None = None  # where the folder is mounted (-m)
    image: str | None = None  # reuse this image instead of building (-i)
    service: str | None = None  # the compose service to develop in (--service)
    dockerfile: str | None = None  # a Dockerfile other than <folder>/Dockerfile
    compose_file: str | None = None  # a compose file other than the standard names
    config_file: str | None = None  # the devcontainer.json to use (--config; relative to the folder)
    allow_host_commands: bool = False  # run initializeCommand on the host
    environ: Mapping[str, str] | None = None  # ${localEnv:...} and compose interpolation (default os.environ)
    fs: WorkspaceFS = PLAIN_FS  # how the plan looks at files (dockerls check records what it asks)
    labels: dict[str, str] = field(default_factory=dict)  # extra labels on every container, network, volume
    host_ids: tuple[int, int] | None = None  # the host user's UID/GID for updateRemoteUserUID (default: ours)


@dataclass(slots=True)
class BuildOptions:
    """Engine API ``POST /build`` parameters beyond the Dockerfile, args and target: devcontainer.json's
    ``build.cacheFrom`` and what ``build.options`` (``docker build`` options) say
    (see :mod:`dockerls.develop.plan.build_options`)."""

    cache_from: list[str] = field(default_factory=list)  # images whose layers the build may reuse
    labels: dict[str, str] = field(default_factory=dict)  # --label: on the image
    network: str | None = None  # --network: the RUN steps' network
    platform: str | None = None  # --platform
    extra_hosts: list[str] = field(default_factory=list)  # --add-host, "host:ip"
    shm_size: int | None = None  # --shm-size, bytes
    no_cache: bool = False  # --no-cache
    pull: bool = False  # --pull: pull the FROM images even when present

    def image_key_part(self) -> dict:
        """What of these changes the image built (labels and platform); the rest decides how it is
        built (cache sources, network, hosts, memory, pulls), not what: the image key leaves it out,
        so that adding a cacheFrom does not build an image that is up to date again."""
        return {k: v for k, v in (("labels", self.labels), ("platform", self.platform)) if v}


@dataclass(slots=True)
class BuildSpec:
    context: str  # absolute host folder
    dockerfile: str  # absolute path (may lie outside the context)
    tag: str
    target: str | None = None
    args: dict[str, str] = field(default_factory=dict)
    fingerprint: str = ""  # the image key (see hashing.build_inputs): set when the context is digested
    inputs: dict[str, str] = field(default_factory=dict)  # the key's parts
    context_changes: list[str] | None = None  # files changed since the context digest ``since``
    context_changes_since: str | None = None
    labels: dict[str, str] = field(default_factory=dict)  # on the image (LABEL_IMAGE_OF; set by the service)
    options: BuildOptions = field(default_factory=BuildOptions)  # build.cacheFrom and build.options


@dataclass(slots=True)
class Mount:
    type: str  # "bind", "volume" or "tmpfs"
    source: str  # absolute host path, volume name, or "" for tmpfs / anonymous volumes
    target: str
    read_only: bool = False


@dataclass(slots=True)
class PortBinding:
    container_port: int
    protocol: str = "tcp"
    host_port: int | None = None  # None: any free port
    host_ip: str | None = None

    @property
    def key(self) -> str:
        return f"{self.container_port}/{self.protocol}"


@dataclass(slots=True)
class LifecycleCommand:
    """One lifecycle step.  ``commands`` maps a name to an argv; several names run in parallel
    (the object form); the string form is ``["/bin/sh", "-c", text]`` under the name ``""``."""

    step: str  # e.g. "postCreateCommand" or "initializeCommand"
    commands: dict[str, list[str]]


@dataclass(slots=True)
class ContainerSpec:
    """One container to (re)create: everything that goes into ``docker create``."""

    name: str
    image: str  # the reference to run (a built tag or an existing image)
    build: BuildSpec | None = None
    labels: dict[str, str] = field(default_factory=dict)
    id_labels: dict[str, str] = field(default_factory=dict)  # how develop finds this container again
    mounts: list[Mount] = field(default_factory=list)
    workdir: str | None = None
    environment: dict[str, str] = field(default_factory=dict)
    ports: list[PortBinding] = field(default_factory=list)
    user: str | None = None
    entrypoint: list[str] | None = None
    command: list[str] | None = None
    privileged: bool = False
    init: bool = False
    cap_add: list[str] = field(default_factory=list)
    security_opt: list[str] = field(default_factory=list)
    network: str | None = None
    hostname: str | None = None
    extra_hosts: dict[str, str] = field(default_factory=dict)
    tty: bool = False
    stdin_open: bool = False
    service: str | None = None  # compose service name
    features: FeaturesBuild | None = None  # dev container features: the extended image to build on ``image``

    def config_hash(self) -> str:
        from dockerls.develop.plan.hashing import container_config_hash

        return container_config_hash(self)


@dataclass(slots=True)
class MetadataContext:
    """What the merge with the image's own ``devcontainer.metadata`` label needs of devcontainer.json
    once the plan is made (see :mod:`dockerls.develop.plan.image_metadata`)."""

    own: dict  # devcontainer.json's own entry (its label keys), variables substituted
    variables: Variables  # the image's entries are substituted as devcontainer.json is
    folder: str  # relative bind mount sources are relative to the workspace folder
    applied: bool = False  # the merge is done once per plan


@dataclass(slots=True)
class DevelopPlan:
    flow: str  # "dockerfile", "image", "devcontainer" or "compose"
    folder: str  # absolute host folder
    containers: list[ContainerSpec]  # in start order (dependencies first)
    main: str  # the name of the container to develop in
    workspace_folder: str  # the folder inside the main container
    config_file: str | None = None  # devcontainer.json, compose file or Dockerfile used
    watch_files: list[str] = field(default_factory=list)  # a change here means rebuild/recreate
    remote_user: str | None = None
    remote_env: dict[str, str] = field(default_factory=dict)  # may hold ${containerEnv:...}
    lifecycle: list[LifecycleCommand] = field(default_factory=list)  # onCreate..postStart, in order
    initialize_command: LifecycleCommand | None = None  # on the host, only when allowed
    forward_ports: list[str] = field(default_factory=list)  # where forwardPorts are reachable: 127.0.0.1:PORT
    forward_container_ports: list[int] = field(default_factory=list)  # forwardPorts' ports of the container
    ports_attributes: dict = field(default_factory=dict)  # portsAttributes: label, requireLocalPort... by port
    other_ports_attributes: dict = field(default_factory=dict)  # otherPortsAttributes: for the other ports
    shutdown_action: str | None = None
    problems: list[PlanProblem] = field(default_factory=list)
    compose_project: str | None = None
    compose: ComposeUp | None = None  # devcontainer.json with dockerComposeFile: what Docker Compose is asked to do
    missing_features: list[str] = field(default_factory=list)  # OCI/tarball features not downloaded yet
    user_env_probe: str = "none"  # devcontainer.json's userEnvProbe: the shell whose environment commands start from
    uid_update: UidUpdate | None = None  # updateRemoteUserUID: the remote user gets the host user's UID/GID
    wait_for: str = "updateContentCommand"  # the step after which the container is reported ready
    host_requirements: dict | None = None  # compared with the engine's machine: a warning when below
    # devcontainer.json's side of the merge with the image's own devcontainer.metadata label, which
    # the engine applies once it knows the image (see plan.image_metadata); None: no such merge
    image_metadata: MetadataContext | None = None

    @property
    def main_container(self) -> ContainerSpec:
        return next(c for c in self.containers if c.name == self.main)

    def step(self, name: str) -> LifecycleCommand | None:
        return next((c for c in self.lifecycle if c.step == name), None)
