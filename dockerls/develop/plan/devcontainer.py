"""The plan for a folder with devcontainer.json.

Applied: ``image``; ``build.{dockerfile,context,args,target,options,cacheFrom}`` (options: see
:mod:`dockerls.develop.plan.build_options`; and the old top-level
``dockerFile``/``context``); ``dockerComposeFile``/``service``/``runServices`` (the compose flow);
``workspaceFolder``, ``workspaceMount``, ``mounts``, ``containerEnv``, ``remoteEnv``,
``containerUser``, ``remoteUser``, ``overrideCommand``, ``appPort``, ``forwardPorts`` (published on
127.0.0.1), ``runArgs`` (see :mod:`dockerls.develop.plan.run_args`), ``init``, ``privileged``,
``capAdd``, ``securityOpt``, ``shutdownAction``, the lifecycle commands and ``initializeCommand``.
Every other key of the specification is reported as information (see
:mod:`dockerls.develop.plan.spec_keys`); anything else as not a devcontainer.json key.
``features`` and ``overrideFeatureInstallOrder``: see :mod:`dockerls.develop.plan.features_apply`;
the image's own ``devcontainer.metadata`` label, merged once the engine knows the image:
:mod:`dockerls.develop.plan.image_metadata` (``plan.image_metadata``).

Defaults follow the Dev Containers CLI: the folder is mounted at ``/workspaces/<folder name>``
(``workspaceFolder`` moves it there when ``workspaceMount`` is not given; the CLI would need both),
``overrideCommand`` is true, build paths are relative to devcontainer.json.
"""

from __future__ import annotations

import os
import posixpath
import sys

from dockerls.develop.plan.build_options import ParsedBuildOptions, parse_build_options
from dockerls.develop.plan.devcontainer_config import DevcontainerConfig
from dockerls.develop.plan.dockerfile import KEEP_ALIVE_ENTRYPOINT
# Every container carries the metadata label (as the CLI writes it), so these are needed on each start.
from dockerls.develop.plan.features_apply import METADATA_LABEL, config_metadata_entry, config_metadata_label
from dockerls.develop.plan.hashing import devcontainer_id, docker_name, folder_id
from dockerls.develop.plan.lifecycle import DEFAULT_WAIT_FOR, WAIT_FOR_STEPS, LifecycleError, parse_lifecycle
from dockerls.develop.plan.model import (
    LABEL_CONFIG_FILE,
    LABEL_CONFIG_HASH,
    LABEL_FLOW,
    LABEL_LOCAL_FOLDER,
    LABEL_MANAGED,
    LIFECYCLE_STEPS,
    BuildSpec,
    ContainerSpec,
    DevelopOptions,
    DevelopPlan,
    MetadataContext,
    Mount,
    PlanError,
    PlanProblem,
)
from dockerls.develop.plan.mounts import MountError, mount_from_fields, parse_mount_string
from dockerls.develop.plan.ports import PortError, parse_app_port, parse_forward_ports
from dockerls.develop.plan.run_args import apply_run_args
from dockerls.develop.plan.uid_update import plan_uid_update
from dockerls.develop.plan.user_env import DEFAULT_PROBE, PROBES
from dockerls.develop.plan.spec_keys import APPLIED_BUILD_KEYS, APPLIED_KEYS, NOT_APPLIED, NOT_APPLIED_BUILD
from dockerls.develop.plan.variables import Variables, has_container_env, substitute



class _Reader:
    """Reads a devcontainer.json into a container spec, collecting problems with positions."""

    def __init__(self, folder: str, config: DevcontainerConfig, options: DevelopOptions):
        self.folder = folder
        self.config = config
        self.options = options
        self.problems: list[PlanProblem] = []
        self.forwarded: list[str] = []  # where forwardPorts can be reached on this machine
        self.forwarded_ports: list[int] = []  # forwardPorts' container ports
        self.missing_features: list[str] = []  # features to download before the plan is complete
        self.environ = options.environ if options.environ is not None else dict(os.environ)
        self.id_labels = {LABEL_LOCAL_FOLDER: folder, LABEL_CONFIG_FILE: config.path}
        self.variables = Variables(folder, None, self.environ, devcontainer_id(self.id_labels))

    def problem(self, message: str, *key_path, severity: str = "warning") -> None:
        key = "".join(f"[{k}]" if isinstance(k, int) else (f".{k}" if i else k) for i, k in enumerate(key_path))
        self.problems.append(PlanProblem(message, severity, self.config.path,
                                         self.config.range_of(*key_path) if key_path else None, key or None))

    def check_keys(self, data: dict) -> None:
        for key in data:
            if key in APPLIED_KEYS:
                continue
            if key in NOT_APPLIED:
                note = NOT_APPLIED[key]
                if note:
                    self.problem(note, key, severity="info")
            else:
                self.problem(f"{key} is not a devcontainer.json key: ignored", key)
        build = data.get("build")
        if isinstance(build, dict):
            for key in build:
                if key in NOT_APPLIED_BUILD:
                    self.problem(NOT_APPLIED_BUILD[key], "build", key, severity="info")
                elif key not in APPLIED_BUILD_KEYS:
                    self.problem(f"build.{key} is not a devcontainer.json key: ignored", "build", key)

    # -- values ------------------------------------------------------------------------------------

    def string(self, data: dict, key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.problem(f"{key} must be a string: ignored", key, severity="error")
            return None
        return value

    def string_map(self, data: dict, key: str) -> dict[str, str]:
        value = data.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(f"{key} must be an object of strings: ignored", key, severity="error")
            return {}
        out = {}
        for name, item in value.items():
            if item is None:
                continue
            out[name] = item if isinstance(item, str) else str(item).lower() if isinstance(item, bool) else str(item)
        return out

    def string_list(self, data: dict, key: str) -> list[str]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(f"{key} must be an array of strings: ignored", key, severity="error")
            return []
        return value

    # -- the pieces ------------------------------------------------------------------------------

    def workspace_folder(self, data: dict, default: str) -> str:
        written = self.string(data, "workspaceFolder")
        return self.options.mount_point or written or default

    def build_spec(self, data: dict) -> BuildSpec | None:
        written = data.get("build")
        build: dict = written if isinstance(written, dict) else {}
        dockerfile = self.string(build, "dockerfile") if "dockerfile" in build else self.string(data, "dockerFile")
        if not dockerfile:
            return None
        context = (self.string(build, "context") if "context" in build else self.string(data, "context")) or "."
        base = self.config.folder
        args = self.string_map(build, "args") if "args" in build else {}
        target = build.get("target") if isinstance(build.get("target"), str) else None
        tag = f"dockerls-{docker_name(os.path.basename(self.folder))}-{folder_id(self.config.path)}:latest"
        dockerfile_path = os.path.normpath(os.path.join(base, dockerfile))
        if not self.options.fs.is_file(dockerfile_path):
            raise PlanError(f"the Dockerfile {dockerfile_path} does not exist", self.config.path,
                            self.config.range_of("build", "dockerfile") or self.config.range_of("dockerFile"))
        extra = self.build_options(build)
        return BuildSpec(context=os.path.normpath(os.path.join(base, context)), dockerfile=dockerfile_path,
                         tag=tag, target=extra.target or target or None, args={**args, **extra.args},
                         options=extra.options)

    def build_options(self, build: dict) -> ParsedBuildOptions:
        """build.options and build.cacheFrom; an option appended after the CLI's own wins over
        build.args / build.target, as on the CLI's command line."""
        parsed = parse_build_options(build.get("options"), build.get("cacheFrom"), self.environ)
        for problem in parsed.problems:
            where = ("build", problem.key) if problem.index is None else ("build", problem.key, problem.index)
            self.problem(problem.message, *where, severity=problem.severity)
        return parsed

    def mounts(self, data: dict) -> list[Mount]:
        out: list[Mount] = []
        value = data.get("mounts") or []
        if not isinstance(value, list):
            self.problem("mounts must be an array: ignored", "mounts", severity="error")
            return out
        for i, item in enumerate(value):
            try:
                if isinstance(item, str):
                    out.append(parse_mount_string(item, self.folder))
                elif isinstance(item, dict):
                    out.append(mount_from_fields(item, self.folder))
                else:
                    self.problem("a mount must be a string or an object: ignored", "mounts", i, severity="error")
            except MountError as err:
                self.problem(f"{err}: ignored", "mounts", i, severity="error")
        return out

    def workspace_mount(self, data: dict, workspace: str) -> list[Mount]:
        if "workspaceMount" not in data:
            return [Mount("bind", self.folder, workspace)]
        written = data.get("workspaceMount")
        if written in (None, ""):
            return []  # the Dev Containers CLI's way of saying "do not mount the folder"
        try:
            return [parse_mount_string(str(written), self.folder)]
        except MountError as err:
            raise PlanError(f"workspaceMount: {err}", self.config.path,
                            self.config.range_of("workspaceMount")) from None

    def lifecycle(self, data: dict) -> list:
        out = []
        for step in LIFECYCLE_STEPS:
            try:
                command = parse_lifecycle(step, data.get(step))
            except LifecycleError as err:
                self.problem(f"{err}: not run", step, severity="error")
                continue
            if command is not None:
                out.append(command)
        return out

    def apply_container_keys(self, spec: ContainerSpec, data: dict) -> None:
        """The keys that shape the container, whatever the flow (image, Dockerfile, compose)."""
        # As the Dev Containers CLI labels every container (features replace it with theirs and this).
        spec.labels[METADATA_LABEL] = config_metadata_label(self.config.data)
        spec.environment.update(self.string_map(data, "containerEnv"))
        if has_container_env(spec.environment):
            self.problem("${containerEnv:...} is only known inside the container: use it in remoteEnv",
                         "containerEnv")
        user = self.string(data, "containerUser")
        if user:
            spec.user = user
        spec.mounts.extend(self.mounts(data))
        if "appPort" in data:
            try:
                spec.ports.extend(parse_app_port(data["appPort"]))
            except PortError as err:
                self.problem(f"appPort: {err}: ignored", "appPort", severity="error")
        self.forward_ports(spec, data)
        for key, attribute in (("init", "init"), ("privileged", "privileged")):
            if data.get(key) is True:
                setattr(spec, attribute, True)
        spec.cap_add.extend(self.string_list(data, "capAdd"))
        spec.security_opt.extend(self.string_list(data, "securityOpt"))
        run_args = data.get("runArgs")
        if isinstance(run_args, list):
            for index, message in apply_run_args(spec, run_args, self.folder):
                self.problem(message, "runArgs", index)
        elif run_args is not None:
            self.problem("runArgs must be an array of strings: ignored", "runArgs", severity="error")

    def forward_ports(self, spec: ContainerSpec, data: dict) -> None:
        """forwardPorts: published on 127.0.0.1 at the same number, unless already published."""
        if "forwardPorts" not in data:
            return
        try:
            bindings, elsewhere = parse_forward_ports(data["forwardPorts"])
        except PortError as err:
            self.problem(f"{err}: ignored", "forwardPorts", severity="error")
            return
        published = {p.key: p for p in spec.ports}
        for binding in bindings:
            self.forwarded_ports.append(binding.container_port)
            existing = published.get(binding.key)
            if existing is None:
                spec.ports.append(binding)
                existing = binding
            if existing.host_port:  # else docker picks a port: known once the container runs
                self.forwarded.append(f"{existing.host_ip or '0.0.0.0'}:{existing.host_port}")
        if elsewhere:
            self.problem(f"forwardPorts {', '.join(elsewhere)}: ports of other hosts are not forwarded by dockerls "
                         "(publish them with the service's ports)", "forwardPorts", severity="info")

    def apply_plan_keys(self, plan: DevelopPlan, data: dict) -> None:
        """The keys that shape what happens around the container: users, remote env, commands."""
        plan.remote_user = self.string(data, "remoteUser") or self.string(data, "containerUser")
        plan.remote_env = self.string_map(data, "remoteEnv")
        plan.lifecycle = self.lifecycle(data)
        try:
            plan.initialize_command = parse_lifecycle("initializeCommand", data.get("initializeCommand"))
        except LifecycleError as err:
            self.problem(f"{err}: not run", "initializeCommand", severity="error")
        action = data.get("shutdownAction")
        if isinstance(action, str):
            plan.shutdown_action = action
        plan.forward_ports = list(self.forwarded)
        plan.forward_container_ports = list(self.forwarded_ports)
        self.spec_settings(plan, data)
        plan.config_file = self.config.path
        plan.watch_files = [self.config.path, *plan.watch_files]
        plan.problems.extend(self.problems)


    def spec_settings(self, plan: DevelopPlan, data: dict) -> None:
        """portsAttributes, otherPortsAttributes, userEnvProbe, waitFor, hostRequirements.  A value of
        the wrong kind is information here (develop says what it did instead): in `check` the
        schema's rule (DV006) reports it as a warning, once."""
        for key, attribute in (("portsAttributes", "ports_attributes"), ("otherPortsAttributes", "other_ports_attributes")):
            value = data.get(key)
            if isinstance(value, dict):
                setattr(plan, attribute, value)
            elif value is not None:
                self.problem(f"{key} must be an object: ignored", key, severity="info")
        probe = data.get("userEnvProbe", DEFAULT_PROBE)
        plan.user_env_probe = probe if probe in PROBES else DEFAULT_PROBE
        if probe not in PROBES:
            self.problem(f"userEnvProbe must be one of {', '.join(PROBES)}: {DEFAULT_PROBE} used", "userEnvProbe",
                         severity="info")
        wait_for = data.get("waitFor", DEFAULT_WAIT_FOR)
        plan.wait_for = wait_for if wait_for in WAIT_FOR_STEPS else DEFAULT_WAIT_FOR
        if wait_for not in WAIT_FOR_STEPS:
            self.problem(f"waitFor must be one of {', '.join(WAIT_FOR_STEPS)}: {DEFAULT_WAIT_FOR} used", "waitFor",
                         severity="info")
        requirements = data.get("hostRequirements")
        if isinstance(requirements, dict):
            plan.host_requirements = requirements
        elif requirements is not None:
            self.problem("hostRequirements must be an object: not checked", "hostRequirements", severity="info")

def host_ids() -> tuple[int, int] | None:
    """This user's UID and GID (None where there are none: Windows)."""
    getuid, getgid = getattr(os, "getuid", None), getattr(os, "getgid", None)
    return (getuid(), getgid()) if getuid is not None and getgid is not None else None


def plan_from_devcontainer(folder: str, config: DevcontainerConfig, options: DevelopOptions) -> DevelopPlan:
    folder = os.path.abspath(folder)
    reader = _Reader(folder, config, options)
    raw = config.data
    reader.check_keys(raw)
    if raw.get("dockerComposeFile"):
        from dockerls.develop.plan.compose import plan_from_devcontainer_compose

        return plan_from_devcontainer_compose(folder, reader, options)

    basename = os.path.basename(folder.rstrip("/")) or "workspace"
    workspace = reader.workspace_folder(substitute(raw, reader.variables), posixpath.join("/workspaces", basename))
    reader.variables.container_folder = workspace
    data = substitute(raw, reader.variables)

    build = None if options.image else reader.build_spec(data)
    image = options.image or (build.tag if build else reader.string(data, "image"))
    if not image:
        raise PlanError("devcontainer.json needs image, build.dockerfile or dockerComposeFile", config.path,
                        config.document.lines.range(0, 0))
    labels = {**reader.id_labels, LABEL_MANAGED: "true", LABEL_FLOW: "devcontainer"}
    spec = ContainerSpec(
        name=f"dockerls-{docker_name(basename)}-{folder_id(config.path)}",
        image=image,
        build=build,
        labels=dict(labels),
        id_labels={**reader.id_labels, LABEL_MANAGED: "true"},
        mounts=reader.workspace_mount(data, workspace),
        workdir=workspace,
    )
    if data.get("overrideCommand", True) is not False:
        spec.entrypoint, spec.command = list(KEEP_ALIVE_ENTRYPOINT), []
    reader.apply_container_keys(spec, data)
    # The features' code only for a configuration that has some (~3 ms of every start otherwise).
    with_features = data.get("features") not in (None, {})
    if with_features:
        from dockerls.develop.plan.features_apply import apply_features, finish_features

        features = apply_features(reader, spec, raw, data)
    spec.labels.update(labels)  # runArgs --label cannot take dockerls' own labels away
    spec.labels[LABEL_CONFIG_HASH] = spec.config_hash()
    plan = DevelopPlan(flow="devcontainer", folder=folder, containers=[spec], main=spec.name,
                       workspace_folder=workspace, watch_files=[build.dockerfile] if build else [])
    reader.apply_plan_keys(plan, data)
    plan.uid_update = plan_uid_update(data.get("updateRemoteUserUID"), plan.remote_user or spec.user,
                                      options.host_ids or host_ids(), sys.platform)
    if with_features:
        finish_features(reader, plan, features)
    plan.image_metadata = MetadataContext(config_metadata_entry(data), reader.variables, folder)
    return plan
