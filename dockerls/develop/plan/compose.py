"""The plan for a compose project: one service and the services it ``depends_on`` (or, from
devcontainer.json, ``service`` and ``runServices``), started in dependency order on the project's
network, with their volumes, environment and ports.

Containers carry Compose's own labels (project, service, ``oneoff=False``, container number,
working dir, config files) so ``docker compose ps`` and ``docker compose down`` see them, and are
named as Compose names them (``<project>-<service>-1``).

The compose file is read with dockerls' compose model (:mod:`dockerls.parse.compose`): ``.env``,
interpolation, the override file, ``include`` and ``extends`` as ``docker compose`` reads them.
Service keys develop does not apply are reported at their position.
"""

from __future__ import annotations

import os
import posixpath
import re
import shlex
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Mapping

from dockerls.develop.plan.hashing import compose_project_name
from dockerls.lint.workspace_fs import PLAIN_FS, WorkspaceFS
from dockerls.develop.plan.model import (
    LABEL_COMPOSE_CONFIG_FILES,
    LABEL_COMPOSE_NETWORK,
    LABEL_COMPOSE_NUMBER,
    LABEL_COMPOSE_ONEOFF,
    LABEL_COMPOSE_PROJECT,
    LABEL_COMPOSE_SERVICE,
    LABEL_COMPOSE_VOLUME,
    LABEL_COMPOSE_WORKING_DIR,
    LABEL_CONFIG_HASH,
    LABEL_FLOW,
    LABEL_LOCAL_FOLDER,
    LABEL_MANAGED,
    BuildSpec,
    ContainerSpec,
    DevelopOptions,
    DevelopPlan,
    Healthcheck,
    Mount,
    NetworkSpec,
    PlanError,
    PlanProblem,
    VolumeSpec,
)
from dockerls.develop.plan.mounts import MountError, host_path, mount_from_fields, parse_volume_string
from dockerls.develop.plan.ports import PortError, parse_port

if TYPE_CHECKING:
    from dockerls.parse.compose.model import ComposeProject

STANDARD_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
DEFAULT_MOUNT_POINT = "/workspace"
CONDITIONS = ("service_started", "service_healthy", "service_completed_successfully")

SUPPORTED_SERVICE_KEYS = frozenset({
    "image", "build", "container_name", "labels", "environment", "env_file", "ports", "volumes",
    "working_dir", "user", "command", "entrypoint", "hostname", "extra_hosts", "cap_add", "privileged",
    "init", "security_opt", "tty", "stdin_open", "healthcheck", "depends_on", "networks", "network_mode",
})
INFORMATION_SERVICE_KEYS = {
    "restart": "restart is not applied: develop starts the containers and down removes them",
    "expose": None,  # containers on one network reach each other's ports anyway
    "stop_grace_period": "stop_grace_period is not applied",
    "pull_policy": "pull_policy is not applied: an image missing locally is pulled",
}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")
_DURATION_NS = {"ns": 1, "us": 1_000, "µs": 1_000, "ms": 1_000_000, "s": 1_000_000_000, "m": 60_000_000_000,
                "h": 3_600_000_000_000}


def find_compose_file(folder: str, explicit: str | None = None) -> str | None:
    if explicit:
        path = os.path.join(folder, explicit)
        return os.path.abspath(path) if os.path.isfile(path) else None
    for name in STANDARD_NAMES:
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            return os.path.abspath(path)
    return None


@dataclass
class _Context:
    folder: str  # the workspace folder (absolute)
    compose_file: str
    project: str
    project_dir: str
    network: str
    environ: Mapping[str, str]
    compose_project: ComposeProject
    problems: list[PlanProblem] = field(default_factory=list)
    volumes: dict[str, VolumeSpec] = field(default_factory=dict)
    fs: WorkspaceFS = PLAIN_FS

    def problem(self, message: str, service, key: str | None = None, severity: str = "warning") -> None:
        node = service.node.pair(key).key if key and service.node.pair(key) is not None else service.key
        self.problems.append(PlanProblem(message, severity, node.doc.path or self.compose_file, node.range,
                                         f"services.{service.name}" + (f".{key}" if key else "")))


def load_compose(compose_file: str, environ: Mapping[str, str], fs: WorkspaceFS = PLAIN_FS,
                 files: list[str] | None = None):
    """The compose project (dockerls' compose model), or PlanError when it cannot be read;
    ``files``: an explicit ``-f`` list (``compose_file`` its first)."""
    from dockerls.parse.compose.project import load_project

    try:
        source = fs.read_bytes(compose_file)
    except OSError as err:
        raise PlanError(f"cannot read the compose file: {err.strerror or err}", compose_file) from None
    project = load_project(source, compose_file, environ=environ, fs=fs, files=files)
    fatal = [p for p in project.problems if p.code in ("DC001", "DC002", "DC003", "DC008", "DC010")]
    if fatal:
        raise PlanError(fatal[0].message, fatal[0].file or compose_file, fatal[0].range)
    return project


def _project_name(compose_project, compose_file: str, environ: Mapping[str, str]) -> str:
    from dockerls.parse.compose.values import to_python

    written = environ.get("COMPOSE_PROJECT_NAME")
    if not written and compose_project.root is not None:
        written = to_python(compose_project.root.get("name"))
    return compose_project_name(str(written or os.path.basename(os.path.dirname(compose_file))))


def _closure(services: dict, wanted: list[str]) -> list[str]:
    """``wanted`` and everything they depend on, dependencies first (depth-first topological order)."""
    order: list[str] = []
    visiting: list[str] = []

    def visit(name: str) -> None:
        if name in order:
            return
        if name in visiting:
            cycle = " -> ".join(visiting[visiting.index(name):] + [name])
            raise PlanError(f"the services depend on each other in a cycle: {cycle}")
        if name not in services:
            raise PlanError(f"no service {name!r} in the compose file (services: {', '.join(services) or 'none'})")
        visiting.append(name)
        for dep in _depends_on(services[name]):
            visit(dep)
        visiting.pop()
        order.append(name)

    for name in wanted:
        visit(name)
    return order


def _depends_on(service: dict) -> dict[str, str]:
    value = service.get("depends_on") or {}
    if isinstance(value, list):
        return {str(v): "service_started" for v in value}
    return {str(k): str((v or {}).get("condition") or "service_started") for k, v in value.items()}


def _pairs(value, what: str) -> dict[str, str | None]:
    """Compose's list-or-mapping form (environment, labels, build args, extra_hosts...)."""
    if value is None:
        return {}
    if isinstance(value, dict):
        return {str(k): (None if v is None else _text(v)) for k, v in value.items()}
    out: dict[str, str | None] = {}
    for item in value:
        key, eq, val = str(item).partition("=" if what != "extra_hosts" else ":")
        if what == "extra_hosts" and not eq:
            key, eq, val = str(item).partition("=")
        out[key] = val if eq else None
    return out


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _argv(value) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return shlex.split(value)
    return [str(v) for v in value]


def duration_ns(value) -> int:
    if value is None:
        return 0
    if isinstance(value, (int, float)):
        return int(value * 1_000_000_000)
    total = 0
    for number, unit in _DURATION.findall(str(value)):
        total += int(float(number) * _DURATION_NS[unit])
    return total


def _healthcheck(value) -> Healthcheck | None:
    if not isinstance(value, dict):
        return None
    if value.get("disable"):
        return Healthcheck(["NONE"])
    test = value.get("test")
    if isinstance(test, str):
        test = ["CMD-SHELL", test]
    if not test:
        return None
    return Healthcheck([str(t) for t in test], duration_ns(value.get("interval")), duration_ns(value.get("timeout")),
                       int(value.get("retries") or 0), duration_ns(value.get("start_period")))


def _build_spec(ctx: _Context, name: str, build, image: str) -> BuildSpec:
    if isinstance(build, str):
        build = {"context": build}
    context = host_path(str(build.get("context") or "."), ctx.project_dir)
    dockerfile = str(build.get("dockerfile") or "Dockerfile")
    args = {k: v for k, v in _pairs(build.get("args"), "args").items() if v is not None}
    return BuildSpec(context=context, dockerfile=os.path.normpath(os.path.join(context, dockerfile)), tag=image,
                     target=build.get("target") or None, args=args)


def _volumes(ctx: _Context, service, value) -> list[Mount]:
    from dockerls.parse.compose.values import to_python

    mounts: list[Mount] = []
    for item in value or []:
        try:
            mount = parse_volume_string(item, ctx.project_dir) if isinstance(item, str) \
                else mount_from_fields(item, ctx.project_dir)
        except MountError as err:
            ctx.problem(f"{err}: ignored", service, "volumes", "error")
            continue
        if mount.type == "volume" and mount.source:
            declared = ctx.compose_project.resource("volumes", mount.source)
            settings = to_python(declared.node) if declared is not None else None
            settings = settings if isinstance(settings, dict) else {}
            if declared is None:
                ctx.problem(f"volume {mount.source!r} is not declared under the top-level volumes", service,
                            "volumes", "error")
            if declared is not None and declared.external:
                mount.source = str(settings.get("name") or mount.source)
            else:
                full = str(settings.get("name") or f"{ctx.project}_{mount.source}")
                ctx.volumes.setdefault(full, VolumeSpec(full, {
                    LABEL_COMPOSE_PROJECT: ctx.project, LABEL_COMPOSE_VOLUME: mount.source, LABEL_MANAGED: "true",
                    LABEL_LOCAL_FOLDER: ctx.folder}))
                mount.source = full
        mounts.append(mount)
    return mounts


def _environment(ctx: _Context, service, data: dict) -> dict[str, str]:
    from dockerls.parse.compose.envfile import parse_env_file

    env: dict[str, str] = {}
    files = data.get("env_file")
    for item in [files] if isinstance(files, (str, dict)) else files or []:
        path = item.get("path") if isinstance(item, dict) else item
        required = item.get("required", True) if isinstance(item, dict) else True
        full = host_path(str(path), ctx.project_dir)
        try:
            parsed = parse_env_file(ctx.fs.read_text(full), full, ctx.environ.get)
        except OSError:
            if required:
                ctx.problem(f"env_file {path} cannot be read: ignored", service, "env_file", "error")
            continue
        env.update(parsed.values)
    for key, value in _pairs(data.get("environment"), "environment").items():
        if value is None:
            value = ctx.environ.get(key)  # "- NAME" takes the host's value, or is left out
            if value is None:
                continue
        env[key] = value
    return env


def _service_spec(ctx: _Context, service, data: dict) -> ContainerSpec:
    name = service.name
    for key in data:
        if key in SUPPORTED_SERVICE_KEYS:
            continue
        if key in INFORMATION_SERVICE_KEYS:
            note = INFORMATION_SERVICE_KEYS[key]
            if note:
                ctx.problem(note, service, key, "info")
        else:
            ctx.problem(f"{key} is not supported yet: ignored", service, key)
    image = str(data.get("image") or f"{ctx.project}-{name}")
    build = _build_spec(ctx, name, data["build"], image) if data.get("build") else None
    if build is None and not data.get("image"):
        raise PlanError(f"service {name!r} has neither image nor build", service.file.path, service.key.range)
    labels = {k: v or "" for k, v in _pairs(data.get("labels"), "labels").items()}
    identity = {LABEL_COMPOSE_PROJECT: ctx.project, LABEL_COMPOSE_SERVICE: name, LABEL_MANAGED: "true"}
    labels.update(identity)
    labels.update({
        LABEL_COMPOSE_ONEOFF: "False", LABEL_COMPOSE_NUMBER: "1", LABEL_COMPOSE_WORKING_DIR: ctx.project_dir,
        LABEL_COMPOSE_CONFIG_FILES: ctx.compose_file, LABEL_LOCAL_FOLDER: ctx.folder, LABEL_FLOW: "compose"})
    spec = ContainerSpec(
        name=str(data.get("container_name") or f"{ctx.project}-{name}-1"),
        image=image, build=build, labels=labels, id_labels=identity,
        mounts=_volumes(ctx, service, data.get("volumes")),
        workdir=data.get("working_dir") or None,
        environment=_environment(ctx, service, data),
        user=str(data["user"]) if data.get("user") is not None else None,
        entrypoint=_argv(data.get("entrypoint")), command=_argv(data.get("command")),
        privileged=bool(data.get("privileged")), init=bool(data.get("init")),
        cap_add=[str(c) for c in data.get("cap_add") or []],
        security_opt=[str(s) for s in data.get("security_opt") or []],
        hostname=data.get("hostname") or None,
        extra_hosts={k: v or "" for k, v in _pairs(data.get("extra_hosts"), "extra_hosts").items()},
        tty=bool(data.get("tty")), stdin_open=bool(data.get("stdin_open")),
        healthcheck=_healthcheck(data.get("healthcheck")),
        service=name, depends_on=_depends_on(data),
    )
    for item in data.get("ports") or []:
        try:
            spec.ports.extend(parse_port(item))
        except PortError as err:
            ctx.problem(f"{err}: ignored", service, "ports", "error")
    mode = data.get("network_mode")
    if mode in ("host", "none"):
        spec.network = str(mode)
    else:
        if mode:
            ctx.problem(f"network_mode {mode!r} is not supported yet: the project network is used", service,
                        "network_mode")
        spec.network = ctx.network
        spec.network_aliases = [name]
        networks = data.get("networks")
        named = list(networks) if isinstance(networks, (list, dict)) else []
        if any(n != "default" for n in named):
            ctx.problem("networks other than the project's default network are not supported yet: "
                        f"{name} joins {ctx.network} only", service, "networks")
    for dep, condition in spec.depends_on.items():
        if condition not in CONDITIONS:
            ctx.problem(f"depends_on {dep}: condition {condition!r} is unknown; waiting for it to start",
                        service, "depends_on")
            spec.depends_on[dep] = "service_started"
    return spec


def _plan(folder: str, compose_file: str, wanted: list[str] | None, main_service: str | None,
          options: DevelopOptions) -> tuple[DevelopPlan, _Context, ContainerSpec]:
    from dockerls.parse.compose.values import to_python

    environ = options.environ if options.environ is not None else dict(os.environ)
    compose_project = load_compose(compose_file, environ, options.fs)
    services = {name: s for name, s in compose_project.services.items()}
    datas = {name: to_python(s.node) for name, s in services.items()}
    if not services:
        raise PlanError("the compose file defines no services", compose_file)
    if main_service is None:
        if len(services) != 1:
            raise PlanError(f"say which service to develop in (--service NAME): {', '.join(services)}", compose_file)
        main_service = next(iter(services))
    project = _project_name(compose_project, compose_file, environ)
    project_dir = str(compose_project.project_dir or os.path.dirname(compose_file))
    network = f"{project}_default"
    ctx = _Context(folder, compose_file, project, os.path.abspath(project_dir), network, environ, compose_project,
                   fs=options.fs)
    for p in compose_project.problems:
        ctx.problems.append(PlanProblem(p.message, "warning", p.file or compose_file, p.range))
    order = _closure(datas, [main_service] if wanted is None else [*wanted, main_service])
    containers = [_service_spec(ctx, services[name], datas[name]) for name in order]
    # A service depended on by one not started here is still started: the closure covers it.
    main = next(c for c in containers if c.service == main_service)
    uses_network = any(c.network == network for c in containers)
    plan = DevelopPlan(
        flow="compose", folder=folder, containers=containers, main=main.name, workspace_folder="/",
        config_file=compose_file, compose_project=project,
        watch_files=[compose_file, *[c.build.dockerfile for c in containers if c.build]],
        networks=[NetworkSpec(network, {LABEL_COMPOSE_PROJECT: project, LABEL_COMPOSE_NETWORK: "default",
                                        LABEL_MANAGED: "true", LABEL_LOCAL_FOLDER: folder})] if uses_network else [],
        volumes=list(ctx.volumes.values()),
    )
    return plan, ctx, main


def _finish(plan: DevelopPlan, ctx: _Context) -> DevelopPlan:
    for c in plan.containers:
        c.labels[LABEL_CONFIG_HASH] = c.config_hash()
    plan.problems = ctx.problems + plan.problems
    return plan


def plan_from_compose(folder: str, options: DevelopOptions, compose_file: str | None = None) -> DevelopPlan:
    """``dockerls develop --service NAME``: the service and its dependencies.  The folder is mounted
    where the service's volumes already mount it; else at ``-m`` (default ``/workspace``)."""
    folder = os.path.abspath(folder)
    compose_file = compose_file or find_compose_file(folder, options.compose_file)
    if compose_file is None:
        raise PlanError(f"no compose file in {folder}")
    plan, ctx, main = _plan(folder, compose_file, None, options.service, options)
    mounted = _mounted_at(main, folder)
    workspace = options.mount_point or mounted or DEFAULT_MOUNT_POINT
    if workspace != mounted:
        main.mounts.append(Mount("bind", folder, workspace))
    plan.workspace_folder = workspace
    main.workdir = main.workdir or workspace
    return _finish(plan, ctx)


def _mounted_at(spec: ContainerSpec, folder: str) -> str | None:
    """Where ``folder`` is visible in the container through a bind mount of it or of a parent."""
    for mount in spec.mounts:
        if mount.type != "bind":
            continue
        if folder == mount.source:
            return mount.target
        if folder.startswith(mount.source.rstrip("/") + "/"):
            return posixpath.join(mount.target, os.path.relpath(folder, mount.source))
    return None


def plan_from_devcontainer_compose(folder: str, reader, options: DevelopOptions) -> DevelopPlan:
    """devcontainer.json with ``dockerComposeFile``: Docker Compose brings the project up (see
    :mod:`dockerls.develop.plan.compose_cli`); the plan holds the dev container's service only,
    shaped by devcontainer.json, and what Compose is asked to do (``plan.compose``).

    As in the Dev Containers CLI: every file of ``dockerComposeFile`` in order, ``runServices`` (default:
    all services), ``overrideCommand`` false by default, the project named as the CLI names it.  The
    compose files are expected to mount the source; when none mounts the folder, the override mounts
    it at ``workspaceFolder`` (the CLI would leave the container without it)."""
    from dockerls.develop.plan.compose_cli import ComposeUp, compose_files, project_name
    from dockerls.develop.plan.variables import substitute
    from dockerls.parse.compose.values import to_python

    config = reader.config
    raw = config.data
    where = config.range_of("dockerComposeFile")
    try:
        files = compose_files(substitute(raw.get("dockerComposeFile"), reader.variables), config.folder)
    except ValueError as err:
        raise PlanError(str(err), config.path, where) from None
    for path in files:
        if not options.fs.is_file(path):
            raise PlanError(f"the compose file {path} does not exist", config.path, where)
    service = reader.string(raw, "service") or options.service
    if not service:
        raise PlanError("devcontainer.json with dockerComposeFile needs service", config.path, where)
    run_services = raw.get("runServices")
    if run_services is not None and not (isinstance(run_services, list) and all(isinstance(s, str) for s in run_services)):
        reader.problem("runServices must be an array of service names: ignored", "runServices", severity="error")
        run_services = None
    environ = options.environ if options.environ is not None else dict(os.environ)
    compose_project = load_compose(files[0], environ, options.fs, files=files)
    known = list(compose_project.services)
    if service not in known:
        raise PlanError(f"service {service!r} is not in the compose files (services: {', '.join(known) or 'none'})",
                        config.path, config.range_of("service") or where)
    wanted: list[str] = []
    for name in run_services or []:
        if name not in known:
            reader.problem(f"runServices: no service {name!r} in the compose files: ignored", "runServices",
                           severity="error")
        elif name not in wanted:
            wanted.append(name)
    if run_services is not None and service not in wanted:
        wanted.append(service)
    try:
        dot_env = options.fs.read_text(os.path.join(folder, ".env"))
    except OSError:
        dot_env = None
    project = project_name(folder, files, environ, dot_env)
    service_data = to_python(compose_project.services[service].node)
    service_data = service_data if isinstance(service_data, dict) else {}
    project_dir = str(compose_project.project_dir or os.path.dirname(files[0]))

    workspace = options.mount_point or reader.string(substitute(raw, reader.variables), "workspaceFolder") or "/"
    reader.variables.container_folder = workspace
    data = substitute(raw, reader.variables)
    labels = {**reader.id_labels, LABEL_MANAGED: "true", LABEL_FLOW: "compose"}
    spec = ContainerSpec(
        name=str(service_data.get("container_name") or f"{project}-{service}-1"),
        image=str(service_data.get("image") or f"{project}-{service}"), labels=dict(labels),
        id_labels={LABEL_COMPOSE_PROJECT: project, LABEL_COMPOSE_SERVICE: service, LABEL_COMPOSE_NUMBER: "1"},
        service=service)
    mounted = _mounted_at(ContainerSpec("", "", mounts=_service_mounts(service_data, project_dir)), folder)
    if mounted is None and workspace != "/":
        spec.mounts.append(Mount("bind", folder, workspace))
        reader.problem(f"no compose file mounts {folder}: dockerls mounts it at {workspace} (the Dev Containers "
                       "CLI would not)", "workspaceFolder", severity="info")
    elif mounted is None:
        reader.problem(f"no compose file mounts {folder} and workspaceFolder is not set: the container does not "
                       "see the workspace", "dockerComposeFile", severity="warning")
    reader.apply_container_keys(spec, data)
    spec.labels.update(labels)  # runArgs --label cannot take them away
    plan = DevelopPlan(
        flow="compose", folder=folder, containers=[spec], main=spec.name, workspace_folder=workspace,
        compose_project=project, watch_files=list(files),
        compose=ComposeUp(project, files, wanted, service=service, override_command=data.get("overrideCommand") is True))
    plan.problems = [PlanProblem(p.message, "warning", p.file or files[0], p.range) for p in compose_project.problems]
    reader.apply_plan_keys(plan, data)
    return plan


def _service_mounts(service_data: dict, project_dir: str) -> list[Mount]:
    """The service's volumes as mounts (the unreadable ones left out: Compose reports them)."""
    mounts = []
    for item in service_data.get("volumes") or []:
        try:
            mounts.append(parse_volume_string(item, project_dir) if isinstance(item, str)
                          else mount_from_fields(item, project_dir))
        except (MountError, AttributeError, TypeError):
            continue
    return mounts
