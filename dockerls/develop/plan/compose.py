"""The plan for a compose project, which Docker Compose itself brings up (see
:mod:`dockerls.develop.plan.compose_cli` and :mod:`dockerls.engine.compose_up`): the plan holds
the container develop works in (one service, shaped by devcontainer.json when there is one) and
what Compose is asked to do (``plan.compose``: the files, the project, the services to start).
Compose starts the services it depends on, waits for their conditions (``service_healthy``...),
and applies every key of the files (profiles, include, extends, networks, secrets...).

The compose files are read with dockerls' compose model (:mod:`dockerls.parse.compose`) only to
check what develop relies on before anything runs: the service exists, the ``depends_on`` graph has
no cycle, and where the workspace folder is mounted.
"""

from __future__ import annotations

import os
import posixpath
import sys
from typing import Mapping

from dockerls.develop.plan.hashing import compose_project_name
from dockerls.lint.workspace_fs import PLAIN_FS, WorkspaceFS
from dockerls.develop.plan.model import (
    LABEL_COMPOSE_NUMBER,
    LABEL_COMPOSE_PROJECT,
    LABEL_COMPOSE_SERVICE,
    LABEL_FLOW,
    LABEL_LOCAL_FOLDER,
    LABEL_MANAGED,
    ContainerSpec,
    DevelopOptions,
    DevelopPlan,
    MetadataContext,
    Mount,
    PlanError,
    PlanProblem,
)
from dockerls.develop.plan.mounts import MountError, mount_from_fields, parse_volume_string

STANDARD_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
DEFAULT_MOUNT_POINT = "/workspace"


def find_compose_file(folder: str, explicit: str | None = None) -> str | None:
    if explicit:
        path = os.path.join(folder, explicit)
        return os.path.abspath(path) if os.path.isfile(path) else None
    for name in STANDARD_NAMES:
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            return os.path.abspath(path)
    return None


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
    """Compose's own name for a project run without ``-p``: ``COMPOSE_PROJECT_NAME``, the ``name:``
    of the files, else the first file's folder."""
    from dockerls.parse.compose.values import to_python

    written = environ.get("COMPOSE_PROJECT_NAME")
    if not written and compose_project.root is not None:
        written = to_python(compose_project.root.get("name"))
    return compose_project_name(str(written or os.path.basename(os.path.dirname(compose_file))))


def check_dependencies(services: dict, wanted: list[str]) -> None:
    """PlanError when a wanted service, or one it ``depends_on``, is missing, or when they depend on
    each other in a cycle (said here, at the file, rather than by Compose once it runs)."""
    done: list[str] = []
    visiting: list[str] = []

    def visit(name: str) -> None:
        if name in done:
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
        done.append(name)

    for name in wanted:
        visit(name)


def _depends_on(service) -> list[str]:
    value = (service.get("depends_on") if isinstance(service, dict) else None) or {}
    return [str(v) for v in value] if isinstance(value, (list, dict)) else []


def _service_data(compose_project) -> dict[str, dict]:
    from dockerls.parse.compose.values import to_python

    out = {}
    for name, service in compose_project.services.items():
        data = to_python(service.node)
        out[name] = data if isinstance(data, dict) else {}
    return out


def _argv(value) -> list[str] | None:
    """An entrypoint or command as Compose reads it: a list, or a string split as a shell would."""
    if value is None:
        return None
    if isinstance(value, str):
        import shlex

        try:
            return shlex.split(value)
        except ValueError:
            return value.split()
    return [str(v) for v in value] if isinstance(value, list) else None


def _problems(compose_project, first: str) -> list[PlanProblem]:
    return [PlanProblem(p.message, "warning", p.file or first, p.range) for p in compose_project.problems]


def _main_spec(project: str, service: str, data: dict, labels: dict[str, str]) -> ContainerSpec:
    """The dev container as develop finds it again: by Compose's labels (project, service, first
    replica); ``labels`` go on it through the override."""
    return ContainerSpec(
        name=str(data.get("container_name") or f"{project}-{service}-1"),
        image=str(data.get("image") or f"{project}-{service}"), labels=dict(labels),
        id_labels={LABEL_COMPOSE_PROJECT: project, LABEL_COMPOSE_SERVICE: service, LABEL_COMPOSE_NUMBER: "1"},
        service=service)


def plan_from_compose(folder: str, options: DevelopOptions, compose_file: str | None = None) -> DevelopPlan:
    """``dockerls develop --service NAME``: Compose starts the service (and what it depends on) from
    the files Compose itself would read (the file with its ``compose.override.yaml``, ``COMPOSE_FILE``;
    only the named file with ``--compose-file``).  The folder is mounted where the service's volumes
    already mount it; else the override mounts it at ``-m`` (default ``/workspace``)."""
    from dockerls.develop.plan.compose_cli import ComposeUp, built_services, service_builds
    from dockerls.parse.compose.selection import project_files

    folder = os.path.abspath(folder)
    compose_file = compose_file or find_compose_file(folder, options.compose_file)
    if compose_file is None:
        raise PlanError(f"no compose file in {folder}")
    environ = options.environ if options.environ is not None else dict(os.environ)
    files = [compose_file] if options.compose_file else \
        [os.path.abspath(str(f)) for f in project_files(compose_file, options.fs)] or [compose_file]
    compose_project = load_compose(files[0], environ, options.fs, files=files)
    services = _service_data(compose_project)
    if not services:
        raise PlanError("the compose file defines no services", compose_file)
    service = options.service
    if service is None:
        if len(services) != 1:
            raise PlanError(f"say which service to develop in (--service NAME): {', '.join(services)}", compose_file)
        service = next(iter(services))
    check_dependencies(services, [service])
    project = _project_name(compose_project, files[0], environ)
    project_dir = str(compose_project.project_dir or os.path.dirname(files[0]))
    spec = _main_spec(project, service, services[service],
                      {LABEL_MANAGED: "true", LABEL_LOCAL_FOLDER: folder, LABEL_FLOW: "compose"})
    mounted = _mounted_at(_service_mounts(services[service], project_dir), folder)
    workspace = options.mount_point or mounted or DEFAULT_MOUNT_POINT
    if workspace != mounted:
        spec.mounts.append(Mount("bind", folder, workspace))
    builds = service_builds(services, [service], project_dir)
    plan = DevelopPlan(flow="compose", folder=folder, containers=[spec], main=spec.name, workspace_folder=workspace,
                       config_file=compose_file, compose_project=project,
                       watch_files=[*files, *[dockerfile for _, dockerfile in builds]],
                       compose=ComposeUp(project, files, [service], service=service, builds=builds,
                                         built_services=built_services(services, [service])))
    plan.problems = _problems(compose_project, files[0])
    return plan


def _mounted_at(mounts: list[Mount], folder: str) -> str | None:
    """Where ``folder`` is visible in the container through a bind mount of it or of a parent."""
    for mount in mounts:
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
    from dockerls.develop.plan.compose_cli import ComposeUp, built_services, compose_files, project_name, service_builds
    from dockerls.develop.plan.devcontainer import host_ids
    from dockerls.develop.plan.dockerfile import KEEP_ALIVE_ENTRYPOINT
    from dockerls.develop.plan.features_apply import apply_features, config_metadata_entry, finish_features
    from dockerls.develop.plan.uid_update import plan_uid_update
    from dockerls.develop.plan.variables import substitute

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
    services = _service_data(compose_project)
    known = list(services)
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
    check_dependencies(services, wanted or known)
    try:
        dot_env = options.fs.read_text(os.path.join(folder, ".env"))
    except OSError:
        dot_env = None
    project = project_name(folder, files, environ, dot_env)
    service_data = services[service]
    project_dir = str(compose_project.project_dir or os.path.dirname(files[0]))

    workspace = options.mount_point or reader.string(substitute(raw, reader.variables), "workspaceFolder") or "/"
    reader.variables.container_folder = workspace
    data = substitute(raw, reader.variables)
    labels = {**reader.id_labels, LABEL_MANAGED: "true", LABEL_FLOW: "compose"}
    spec = _main_spec(project, service, service_data, labels)
    mounted = _mounted_at(_service_mounts(service_data, project_dir), folder)
    if mounted is None and workspace != "/":
        spec.mounts.append(Mount("bind", folder, workspace))
        reader.problem(f"no compose file mounts {folder}: dockerls mounts it at {workspace} (the Dev Containers "
                       "CLI would not)", "workspaceFolder", severity="info")
    elif mounted is None:
        reader.problem(f"no compose file mounts {folder} and workspaceFolder is not set: the container does not "
                       "see the workspace", "dockerComposeFile", severity="info")  # valid for the CLI: no failing check
    reader.apply_container_keys(spec, data)
    override_command = data.get("overrideCommand") is True
    spec.entrypoint = list(KEEP_ALIVE_ENTRYPOINT)  # always, as the CLI's override: see ComposeUp.wrap
    features = apply_features(reader, spec, raw, data)  # installed on the service's image, as the CLI does
    spec.labels.update(labels)  # runArgs --label cannot take them away
    started = wanted or known
    builds = service_builds(services, started, project_dir)
    plan = DevelopPlan(
        flow="compose", folder=folder, containers=[spec], main=spec.name, workspace_folder=workspace,
        compose_project=project, watch_files=[*files, *[dockerfile for _, dockerfile in builds]],
        compose=ComposeUp(project, files, wanted, service=service, override_command=override_command, builds=builds,
                          built_services=built_services(services, started), wrap=True,
                          service_entrypoint=_argv(service_data.get("entrypoint")),
                          service_command=_argv(service_data.get("command")),
                          service_user=_user(service_data.get("user"))))
    plan.problems = _problems(compose_project, files[0])
    reader.apply_plan_keys(plan, data)
    finish_features(reader, plan, features)
    # As the CLI's updateRemoteUserUID for compose: the remote user is remoteUser, else containerUser,
    # else the service's user, else the image's (known once the engine has the image).
    plan.uid_update = plan_uid_update(data.get("updateRemoteUserUID"),
                                      plan.remote_user or spec.user or _user(service_data.get("user")),
                                      options.host_ids or host_ids(), sys.platform)
    # The service image's own devcontainer.metadata label, merged once the engine has the image.
    plan.image_metadata = MetadataContext(config_metadata_entry(data), reader.variables, folder)
    return plan


def _user(value) -> str | None:
    return str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value) else None


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
