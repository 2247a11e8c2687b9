"""Develop as a service: the operations the CLI and the language server share.

Every function takes a workspace folder, runs to completion on the calling thread (the language
server calls them from a worker thread), reports through a :class:`~dockerls.develop.progress.Progress`,
stops early when ``cancel_event`` is set, and never raises for a user-level failure: the
:class:`DevelopResult` says ``success``, ``error`` or ``cancelled``.  ``docker`` is imported only
when an operation runs, so importing this module costs nothing.

====================  ==============================================================
``develop``           build (cached) or find the image, reuse/start/recreate/create the
                      container(s), run the lifecycle commands due
``build_only``        build (or pull) the images, start nothing
``rebuild``           build without the cache and recreate the container(s)
``down``              stop and remove what develop started for the folder
``logs``              the main container's output, line by line
``exec_in``           a command (a shell by default) in the main container
``status``            the folder's containers: state, image, mounts, ports
``key_builds``        key the images on their build context's digest (before a build)
====================  ==============================================================
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Callable

from dockerls.develop.plan.model import DevelopOptions, DevelopPlan, PlanError, PlanProblem
from dockerls.develop.plan.workspace import make_plan
from dockerls.develop.progress import NullProgress, Progress


@dataclass
class DevelopResult:
    outcome: str  # "success", "error" or "cancelled"
    message: str = ""
    container_id: str | None = None
    container_name: str | None = None
    remote_user: str | None = None
    remote_workspace_folder: str | None = None
    action: str | None = None  # created, recreated, started, reused (develop); removed (down)
    reason: str = ""  # why the container was recreated
    containers: list[dict] = field(default_factory=list)  # {name, id, action, reason}
    problems: list[PlanProblem] = field(default_factory=list)
    plan: DevelopPlan | None = field(default=None, repr=False)
    failed_step: dict | None = None  # a failed build: {file, line, instruction, reason, exitCode, logTail}
    forwarded_ports: list[dict] = field(default_factory=list)  # forwardPorts: {port, host, label?}

    @property
    def ok(self) -> bool:
        return self.outcome == "success"

    def to_json(self) -> dict:
        """The Dev Containers CLI's result line (``outcome``, ``containerId``, ``remoteUser``,
        ``remoteWorkspaceFolder``; ``message`` on error) plus dockerls' own fields."""
        if self.outcome != "success":
            out: dict = {"outcome": self.outcome, "message": self.message}
        else:
            out = {"outcome": "success", "containerId": self.container_id, "remoteUser": self.remote_user,
                   "remoteWorkspaceFolder": self.remote_workspace_folder}
            if self.message:
                out["message"] = self.message
        if self.container_name:
            out["containerName"] = self.container_name
        if self.action:
            out["action"] = self.action
        if self.reason:
            out["reason"] = self.reason
        if self.containers:
            out["containers"] = self.containers
        if self.problems:
            out["problems"] = [p.to_json() for p in self.problems]
        if self.failed_step:
            out["failedStep"] = self.failed_step
        if self.forwarded_ports:
            out["forwardedPorts"] = self.forwarded_ports
        return out


def _failure(err: BaseException, plan: DevelopPlan | None = None) -> DevelopResult:
    from dockerls.engine.errors import Cancelled

    if isinstance(err, (Cancelled, KeyboardInterrupt)):
        return DevelopResult("cancelled", "cancelled: nothing was left behind", plan=plan,
                             problems=plan.problems if plan else [])
    step = getattr(err, "step", None)  # a BuildFailed: where in the Dockerfile
    return DevelopResult("error", str(err), plan=plan, problems=plan.problems if plan else [],
                         failed_step=step.to_json() if step is not None else None)


def _expected_errors() -> tuple:
    from dockerls.develop.host_commands import HostCommandError
    from dockerls.engine.errors import EngineError

    return (PlanError, EngineError, HostCommandError, KeyboardInterrupt)


def develop(folder: str, options: DevelopOptions | None = None, progress: Progress | None = None,
            cancel_event: threading.Event | None = None, *, client=None, no_cache: bool = False,
            recreate: bool = False, compose_search_path: str | None = None) -> DevelopResult:
    """Bring the folder's development container(s) up; see the module docstring.
    ``compose_search_path``: where Docker Compose is looked for (default: ``PATH`` and this
    Python's scripts folder)."""
    progress = progress or NullProgress()
    options = options or DevelopOptions()
    plan = None
    try:
        plan = _plan(folder, options, progress)
        from dockerls.engine.connect import connect_quick
        from dockerls.engine.up import up

        if plan.initialize_command is not None and options.allow_host_commands:
            from dockerls.develop.host_commands import run_host_command

            run_host_command(plan.initialize_command, plan.folder, progress, cancel_event)
        client = client or connect_quick()  # docker-py only when the start needs more than a container
        warnings = _host_warnings(client, plan, progress)
        if plan.compose is not None:
            result = _compose_up(client, plan, progress, cancel_event, no_cache, recreate, compose_search_path)
        else:
            key_builds(plan, options.labels)
            if recreate:
                _remove_plan_containers(client, plan)
            result = up(client, plan, progress, cancel_event, no_cache=no_cache)
        forwarded = _forwarded_ports(client, plan, result.container_id, progress)
    except _expected_errors() as err:
        return _failure(err, plan)
    return DevelopResult(
        "success", "; ".join([result.summary(), *warnings]), result.container_id, result.container_name, result.remote_user,
        result.remote_workspace_folder, result.action, result.reason,
        [{"name": c.name, "id": c.id, "action": c.action, **({"reason": c.reason} if c.reason else {})}
         for c in result.containers],
        plan.problems, plan, forwarded_ports=forwarded)


def _forwarded_ports(client, plan: DevelopPlan, container_id: str, progress: Progress) -> list[dict]:
    """Where forwardPorts are reachable (a port may have gone to another local one when its own
    was taken), with portsAttributes' labels; said in the progress too."""
    if not plan.forward_container_ports:
        return []
    from dockerls.develop.plan.ports import describe_forwarded, forwarded_ports
    from dockerls.engine.connect import quick_api
    from dockerls.engine.errors import api_errors

    try:
        published = (quick_api(client).inspect_container(container_id).get("NetworkSettings") or {}).get("Ports") or {}
    except api_errors():  # the container runs: only its report is missing
        return []
    found = forwarded_ports(plan.forward_container_ports, published, plan.ports_attributes,
                            plan.other_ports_attributes)
    for item in found:
        progress.on_log(f"Forwarded: {describe_forwarded(item)}")
    return found


def _host_warnings(client, plan: DevelopPlan, progress: Progress) -> list[str]:
    """hostRequirements the engine's machine does not meet: warnings (logged), never a failure."""
    if not plan.host_requirements:
        return []
    from dockerls.develop.plan.host_requirements import requirement_problems
    from dockerls.engine.host_info import host_resources

    warnings = [f"warning: {w}" for w in requirement_problems(plan.host_requirements, host_resources(client))]
    for warning in warnings:
        progress.on_log(warning)
    return warnings


def rebuild(folder: str, options: DevelopOptions | None = None, progress: Progress | None = None,
            cancel_event: threading.Event | None = None, *, client=None,
            compose_search_path: str | None = None) -> DevelopResult:
    """Build without the cache and create the container(s) afresh (lifecycle commands run again)."""
    return develop(folder, options, progress, cancel_event, client=client, no_cache=True, recreate=True,
                   compose_search_path=compose_search_path)


def _compose_up(client, plan: DevelopPlan, progress: Progress, cancel_event: threading.Event | None,
                no_cache: bool, recreate: bool, search_path: str | None):
    """A compose project (devcontainer.json with dockerComposeFile, or --service): Docker Compose
    brings it up.  Compose is looked for only when it has something to do (not on a re-up that
    changes nothing), once."""
    import functools

    import sys

    from dockerls.develop.compose_override import builds_changed, builds_digest, prepare_override, record_builds
    from dockerls.develop.plan.compose_cli import apply_service_image, needs_image_config
    from dockerls.engine.compose_cli import compose_environment, find_compose
    from dockerls.engine.compose_up import compose_up, service_image_config

    env = compose_environment()
    program = functools.cache(lambda: find_compose(search_path, env))
    # The service's image before the override: its devcontainer.metadata label shapes the override
    # (devcontainer.json), and the keep-alive entrypoint runs its Entrypoint/Cmd.
    config = service_image_config(client, plan, program, progress, cancel_event, env,
                                  required=needs_image_config(plan) or plan.main_container.features is not None) \
        if plan.image_metadata is not None or needs_image_config(plan) else None
    if config is not None and plan.image_metadata is not None:
        apply_service_image(plan, config.get("Labels"), config.get("User") or "", sys.platform.startswith("linux"))
    image_config = (list(config.get("Entrypoint") or []), list(config.get("Cmd") or [])) \
        if config is not None and needs_image_config(plan) else None
    override, digest = prepare_override(plan, image_config)
    builds = builds_digest(plan)
    rebuild = builds_changed(plan, builds)  # a Dockerfile or context changed: Compose builds (and decides)
    result = compose_up(client, plan, program, override, progress, cancel_event,
                        no_cache=no_cache, recreate=recreate, env=env, inputs="" if rebuild else digest)
    if rebuild:
        record_builds(plan, builds)
    return result


def _plan(folder: str, options: DevelopOptions, progress: Progress) -> DevelopPlan:
    """The plan; with features to download first, the plan made again once they are there (only
    then is the download code, and its HTTP client, imported: ~30 ms of every start)."""
    plan = make_plan(folder, options)
    if not plan.missing_features:
        return plan
    from dockerls.develop.features_fetch import plan_with_features

    return plan_with_features(folder, options, progress)


def build_only(folder: str, options: DevelopOptions | None = None, progress: Progress | None = None,
               cancel_event: threading.Event | None = None, *, client=None, no_cache: bool = False) -> DevelopResult:
    progress = progress or NullProgress()
    plan = None
    try:
        plan = _plan(folder, options or DevelopOptions(), progress)
        from dockerls.engine.connect import connect
        from dockerls.engine.up import build_images

        client = client or connect()
        if plan.compose is not None:
            return _compose_build(client, plan, progress, cancel_event, no_cache)
        key_builds(plan, (options or DevelopOptions()).labels)
        progress.on_begin(f"Building the images of {plan.folder}")
        try:
            ids = build_images(client, plan, progress, cancel_event, no_cache)
        except BaseException as err:
            progress.on_end("Cancelled" if type(err).__name__ == "Cancelled" else f"Failed: {err}")
            raise
        progress.on_end("Built")
    except _expected_errors() as err:
        return _failure(err, plan)
    return DevelopResult("success", f"built {len(set(ids.values()))} image(s)", problems=plan.problems, plan=plan,
                         containers=[{"name": name, "image": image} for name, image in ids.items()])


def _compose_build(client, plan: DevelopPlan, progress: Progress, cancel_event: threading.Event | None,
                   no_cache: bool) -> DevelopResult:
    from dockerls.develop.compose_override import write_override
    from dockerls.engine.compose_cli import compose_environment, find_compose
    from dockerls.engine.compose_up import compose_build

    assert plan.compose is not None
    env = compose_environment()
    program = find_compose(None, env)
    compose_build(client, plan, program, write_override(plan), progress, cancel_event, no_cache=no_cache, env=env)
    return DevelopResult("success", f"built the images of the compose project {plan.compose.project}",
                         problems=plan.problems, plan=plan)


def down(folder: str, progress: Progress | None = None, *, client=None, remove_volumes: bool = False,
         remove_images: bool = False, compose_search_path: str | None = None) -> DevelopResult:
    """Stop and remove the containers (and the network) develop started for ``folder``; with
    ``remove_volumes`` its named volumes, with ``remove_images`` the images develop built for it.
    A compose project is removed by Docker Compose (``down``: every service of the project), or,
    with ``shutdownAction: none``, only the dev container's service (``rm``)."""
    import os

    images: list[str] = []
    try:
        from dockerls.engine.connect import connect
        from dockerls.engine.up import down as engine_down

        client = client or connect()
        folder = os.path.abspath(folder)
        names = engine_down(client, folder, progress, remove_volumes=remove_volumes,
                            remove_images=remove_images, removed_images=images,
                            compose_down=_compose_remover(folder, remove_volumes, remove_images, compose_search_path))
    except _expected_errors() as err:
        return _failure(err)
    message = f"removed {len(names)} container(s)" + (f" and {len(images)} image(s)" if remove_images else "")
    return DevelopResult("success", message, action="removed",
                         containers=[{"name": n, "action": "removed"} for n in names]
                         + [{"image": i, "action": "removed"} for i in images])


def _compose_remover(folder: str, volumes: bool, images: bool, search_path: str | None):
    """What removes one compose project of ``folder`` (called by the engine's ``down`` for each)."""

    def remove(project: str, progress: Progress) -> list[str]:
        from dockerls.engine.compose_cli import compose_environment, find_compose
        from dockerls.engine.compose_up import compose_down, compose_rm

        env = compose_environment()
        program = find_compose(search_path, env)
        plan = _plan_or_none(folder)
        ours = plan is not None and plan.compose is not None and plan.compose.project == project
        if ours and plan is not None and plan.shutdown_action == "none":
            return compose_rm(program, plan, progress, env=env)
        # --rmi local as Compose reads the user's files (the images it built under its own names);
        # the images develop built on them (features, UID update) go by their label afterwards.
        files = plan.compose.files if images and ours and plan is not None and plan.compose is not None else None
        return compose_down(program, project, progress, volumes=volumes, images=images, env=env, files=files)

    return remove


def _plan_or_none(folder: str) -> DevelopPlan | None:
    try:
        return make_plan(folder)
    except PlanError:
        return None


def logs(folder: str, options: DevelopOptions | None, on_line: Callable[[str], None],
         cancel_event: threading.Event | None = None, *, client=None, follow: bool = True,
         tail: int | str = 200) -> DevelopResult:
    """Send the main container's output to ``on_line`` (following it until it stops or the cancel)."""
    plan = None
    try:
        plan = make_plan(folder, options or DevelopOptions())
        from dockerls.engine.connect import connect
        from dockerls.engine.logs import stream_logs
        from dockerls.engine.up import find_main_container

        client = client or connect()
        attrs = find_main_container(client, plan)
        if attrs is None:
            return DevelopResult("error", f"no container for {plan.folder}: run develop first", plan=plan)
        stream_logs(client, attrs["Id"], on_line, follow=follow, tail=tail, cancel=cancel_event)
    except _expected_errors() as err:
        return _failure(err, plan)
    return DevelopResult("success", "", attrs["Id"], attrs["Name"].lstrip("/"), plan=plan)


def key_builds(plan: DevelopPlan, labels: dict[str, str] | None = None, cache_folder: str | None = None) -> None:
    """Key each image to build on its build context's content too (the plan keys it on the
    Dockerfile, args and target only): a changed ``requirements.txt`` that the Dockerfile copies
    must build the image again.  The digest applies ``.dockerignore`` and uses a stat cache."""
    if all(spec.build is None for spec in plan.containers):
        return  # nothing to build: not even the digest's imports (an image's start stays quick)
    from dockerls.develop.context_digest import ContextDigest, context_digest
    from dockerls.develop.plan.hashing import build_inputs, set_build_key
    from dockerls.develop.plan.model import LABEL_IMAGE_OF

    digests: dict[str, ContextDigest] = {}
    for spec in plan.containers:
        build = spec.build
        if build is None:
            continue
        if build.context not in digests:
            digests[build.context] = context_digest(build.context, cache_folder)
        digest = digests[build.context]
        set_build_key(spec, build_inputs(build, digest.digest))
        # Not the container's labels: a container run from the image inherits them, and would look
        # like one develop made.
        build.labels = {**(labels or {}), LABEL_IMAGE_OF: plan.folder}
        build.context_changes_since = digest.previous_digest
        build.context_changes = digest.changed


def exec_in(folder: str, options: DevelopOptions | None, command: list[str] | None, *, tty: bool,
            client=None) -> tuple[DevelopResult, int]:
    """Run ``command`` (a shell when None) in the folder's main container, as the remote user in
    the workspace folder; the result and the command's exit code."""
    plan = None
    try:
        plan = make_plan(folder, options or DevelopOptions())
        from dockerls.engine.connect import connect
        from dockerls.engine.exec import DEFAULT_SHELL, run_in_container
        from dockerls.engine.up import find_main_container

        client = client or connect()
        attrs = find_main_container(client, plan)
        if attrs is None or not attrs["State"].get("Running"):
            state = "no container" if attrs is None else "its container is not running"
            return DevelopResult("error", f"{plan.folder} has {state}: run `dockerls develop` first",
                                 plan=plan), 1
        from dockerls.develop.plan.image_metadata import apply_container_metadata

        apply_container_metadata(plan, attrs["Config"].get("Labels"))  # the image's remoteUser, remoteEnv
        from dockerls.engine.lifecycle import command_environment

        code = run_in_container(client, attrs["Id"], command or DEFAULT_SHELL, tty=tty,
                                user=plan.remote_user, workdir=plan.workspace_folder,
                                environment=command_environment(client.api, attrs["Id"], attrs, plan))
    except _expected_errors() as err:
        return _failure(err, plan), 1
    return DevelopResult("success", "", attrs["Id"], attrs["Name"].lstrip("/"), plan=plan), code


def status(folder: str, *, client=None) -> DevelopResult:
    """The containers develop made for ``folder`` (with the other services of a compose project):
    name, state, image, mounts, ports."""
    import os

    try:
        from dockerls.engine.connect import connect
        from dockerls.engine.exec import folder_containers, with_compose_projects
        from dockerls.engine.up import managed_filters

        client = client or connect()
        found = with_compose_projects(client, folder_containers(client, managed_filters(os.path.abspath(folder))))
    except _expected_errors() as err:
        return _failure(err)
    return DevelopResult("success", f"{len(found)} container(s)", containers=found)


def _remove_plan_containers(client, plan: DevelopPlan) -> None:
    from dockerls.engine.containers import find_existing, remove

    for spec in reversed(plan.containers):
        attrs = find_existing(client.api, spec)
        if attrs is not None:
            remove(client.api, attrs["Id"])
