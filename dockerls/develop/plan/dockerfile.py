"""The plan for a folder with a Dockerfile (and no devcontainer.json): build it, run it with the
folder mounted where the Dockerfile copies the build context.

Where the source goes: the destination of the first ``COPY``/``ADD`` of ``.`` (resolved against
WORKDIR) in the stage that is run and the stages it is built ``FROM``; else the last WORKDIR; else
``/workspace``.  So the mounted folder replaces the copy the image holds, and the tools in the
image find the files where they expect them.

The container's command is replaced by a small shell loop that keeps it alive (the Dev Containers
CLI's ``overrideCommand``): the image's own CMD (a server, a test run) would otherwise end, or
hold, the container; the developer starts it from a shell instead.  The loop exits at once on
SIGTERM, so stopping the container takes no grace period.
"""

from __future__ import annotations

import os
import posixpath
from typing import TYPE_CHECKING

from dockerls.develop.plan.hashing import docker_name, folder_id
from dockerls.develop.plan.model import (
    LABEL_CONFIG_HASH,
    LABEL_FLOW,
    LABEL_LOCAL_FOLDER,
    LABEL_MANAGED,
    BuildSpec,
    ContainerSpec,
    DevelopOptions,
    DevelopPlan,
    Mount,
    PlanError,
    PlanProblem,
)

if TYPE_CHECKING:  # the parser is imported when a Dockerfile is read: devcontainer.json needs none
    from dockerls.parse.dockerfile import Dockerfile, Stage

DEFAULT_MOUNT_POINT = "/workspace"
DOCKERFILE_NAMES = ("Dockerfile", "Containerfile")

# The Dev Containers CLI's keep-alive entrypoint: prints a line (so logs show the start), exits on
# SIGTERM, runs the original command when one is passed ("$@"), then sleeps in a loop that a
# signal interrupts (a plain `sleep infinity` as PID 1 would ignore SIGTERM).
KEEP_ALIVE_ENTRYPOINT = ["/bin/sh", "-c",
                         'echo Container started\ntrap "exit 0" 15\nexec "$@"\n'
                         "while sleep 1 & wait $!; do :; done", "-"]


def find_dockerfile(folder: str, explicit: str | None = None) -> str | None:
    if explicit:
        path = os.path.join(folder, explicit)
        return path if os.path.isfile(path) else None
    for name in DOCKERFILE_NAMES:
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            return path
    return None


def read_dockerfile(path: str) -> Dockerfile:
    from dockerls.parse.dockerfile import parse_dockerfile

    try:
        with open(path, "rb") as fh:
            return parse_dockerfile(fh.read(), path)
    except OSError as err:
        raise PlanError(f"cannot read the Dockerfile: {err.strerror or err}", path) from None


def stage_chain(df: Dockerfile, target: str | None = None) -> list[Stage]:
    """The stage that is run (``target`` or the last) and the stages it is built FROM, root first."""
    if not df.stages:
        return []
    stage = df.stage_by_name(target) if target else df.stages[-1]
    if stage is None:
        return []
    chain = [stage]
    while True:
        words = stage.from_instruction.words
        parent = df.stage_by_name(words[0].value) if words else None
        if parent is None or parent in chain or parent.index >= stage.index:
            break
        chain.append(parent)
        stage = parent
    return chain[::-1]


def source_mount_point(df: Dockerfile, target: str | None = None) -> str:
    """Where the Dockerfile puts the build context (see the module docstring)."""
    from dockerls.parse.dockerfile.variables import expand

    workdir = "/"
    last_workdir: str | None = None
    env: dict[str, str | None] = {}
    for stage in stage_chain(df, target):
        for ins in stage.instructions[1:]:
            if ins.keyword in ("ENV", "ARG"):
                for pair in ins.pairs:
                    if pair.value is not None:
                        env[pair.key] = expand(pair.value, env, df.escape)
                    else:
                        env.setdefault(pair.key, None)
            elif ins.keyword == "WORKDIR" and ins.args_text.strip():
                workdir = posixpath.normpath(posixpath.join(workdir, expand(ins.args_text.strip(), env, df.escape)))
                last_workdir = workdir
            elif ins.keyword in ("COPY", "ADD") and ins.flag("from") is None:
                values = ins.json if ins.json is not None else [w.value for w in ins.words]
                if len(values) >= 2 and any(posixpath.normpath(v) == "." for v in values[:-1]):
                    destination = expand(values[-1], env, df.escape)
                    return posixpath.normpath(posixpath.join(workdir, destination))
    return last_workdir or DEFAULT_MOUNT_POINT


def plan_from_dockerfile(folder: str, options: DevelopOptions) -> DevelopPlan:
    folder = os.path.abspath(folder)
    dockerfile = find_dockerfile(folder, options.dockerfile)
    if dockerfile is None and not options.image:
        wanted = options.dockerfile or " or ".join(DOCKERFILE_NAMES)
        raise PlanError(f"no {wanted} in {folder}, no .devcontainer/devcontainer.json and no compose file: "
                        "nothing to develop in (use -i IMAGE to run an existing image)")
    problems: list[PlanProblem] = []
    mount_point = options.mount_point
    if mount_point is None:
        mount_point = DEFAULT_MOUNT_POINT
        if dockerfile is not None:
            df = read_dockerfile(dockerfile)
            for p in df.problems:
                if p.severity == "error":
                    problems.append(PlanProblem(p.message, "warning", dockerfile, p.range))
            mount_point = source_mount_point(df)
    base = f"dockerls-{docker_name(os.path.basename(folder))}-{folder_id(folder)}"
    build = None
    image = options.image
    if image is None:
        assert dockerfile is not None  # without an image, the PlanError above said there is none
        build = BuildSpec(context=folder, dockerfile=dockerfile, tag=f"{base}:latest")
        image = build.tag
    flow = "image" if options.image else "dockerfile"
    container = ContainerSpec(
        name=base,
        image=image,
        build=build,
        labels={LABEL_LOCAL_FOLDER: folder, LABEL_MANAGED: "true", LABEL_FLOW: flow},
        id_labels={LABEL_LOCAL_FOLDER: folder, LABEL_MANAGED: "true", LABEL_FLOW: flow},
        mounts=[Mount("bind", folder, mount_point)],
        workdir=mount_point,
        entrypoint=list(KEEP_ALIVE_ENTRYPOINT),
        command=[],
    )
    container.labels[LABEL_CONFIG_HASH] = container.config_hash()
    return DevelopPlan(
        flow=flow, folder=folder, containers=[container], main=container.name, workspace_folder=mount_point,
        config_file=dockerfile, watch_files=[dockerfile] if dockerfile else [], problems=problems)
