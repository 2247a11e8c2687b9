"""From a workspace folder to a :class:`~dockerls.develop.plan.model.DevelopPlan` (pure: reads files,
never talks to the engine).

Which configuration is used, first match wins:

1. ``--service`` or ``--compose-file`` given: the compose flow (or devcontainer.json when it names
   a ``dockerComposeFile``);
2. ``.devcontainer/devcontainer.json`` or ``.devcontainer.json``;
3. a ``Dockerfile`` (or ``Containerfile``), or ``-i IMAGE``;
4. a compose file (``compose.yaml``, ``docker-compose.yml``, ...).
"""

from __future__ import annotations

import os

from dockerls.develop.plan.devcontainer import plan_from_devcontainer
from dockerls.develop.plan.devcontainer_config import find_devcontainer, read_devcontainer
from dockerls.develop.plan.dockerfile import find_dockerfile, plan_from_dockerfile
from dockerls.develop.plan.hashing import build_inputs, container_config_parts, encode_parts, set_build_key
from dockerls.develop.plan.model import (
    LABEL_CONFIG_PARTS,
    LABEL_CONFIG_HASH,
    DevelopOptions,
    DevelopPlan,
    NetworkSpec,
    PlanError,
    PlanProblem,
    VolumeSpec,
)


def make_plan(folder: str, options: DevelopOptions | None = None) -> DevelopPlan:
    options = options or DevelopOptions()
    folder = os.path.abspath(folder)
    if not os.path.isdir(folder):
        raise PlanError(f"{folder} is not a folder")
    from dockerls.develop.plan.compose import find_compose_file, plan_from_compose  # here: most folders need none

    devcontainer = find_devcontainer(folder)
    config = read_devcontainer(devcontainer) if devcontainer else None
    if options.service or options.compose_file:
        if config is not None and config.data.get("dockerComposeFile") and not options.compose_file:
            plan = plan_from_devcontainer(folder, config, options)
        else:
            plan = plan_from_compose(folder, options)
    elif config is not None:
        plan = plan_from_devcontainer(folder, config, options)
    elif options.image or find_dockerfile(folder, options.dockerfile):
        plan = plan_from_dockerfile(folder, options)
    elif find_compose_file(folder):
        plan = plan_from_compose(folder, options)
    else:
        plan = plan_from_dockerfile(folder, options)  # raises with the message that says what is missing
    _finish(plan, options.labels)
    if plan.initialize_command is not None and not options.allow_host_commands:
        plan.problems.append(PlanProblem(
            "initializeCommand was not run: it runs on this machine, not in the container "
            "(allow it with --allow-host-commands)", "warning", plan.config_file, None, "initializeCommand"))
    return plan


def _finish(plan: DevelopPlan, labels: dict[str, str]) -> None:
    """The caller's extra labels, the build fingerprints and the config hashes (last: they cover
    the labels)."""
    for container in plan.containers:
        container.labels.update(labels)
        if container.build is not None:
            # The context's content is not read here (the plan is computed for `check` and the
            # editor too): the develop service adds its digest (dockerls.develop.service.key_builds).
            set_build_key(container, build_inputs(container.build, ""))
        container.labels[LABEL_CONFIG_HASH] = container.config_hash()
        container.labels[LABEL_CONFIG_PARTS] = encode_parts(container_config_parts(container))
    resources: list[NetworkSpec | VolumeSpec] = [*plan.networks, *plan.volumes]
    for resource in resources:
        resource.labels.update(labels)


__all__ = ["DevelopOptions", "DevelopPlan", "PlanError", "PlanProblem", "make_plan"]
