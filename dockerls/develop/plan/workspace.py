"""From a workspace folder to a :class:`~dockerls.develop.plan.model.DevelopPlan` (pure: reads files,
never talks to the engine).

Which configuration is used, first match wins:

1. ``--service`` or ``--compose-file`` given: the compose flow (or devcontainer.json when it names
   a ``dockerComposeFile``);
2. ``--config PATH``, ``.devcontainer/devcontainer.json``, ``.devcontainer.json`` or the one
   ``.devcontainer/<name>/devcontainer.json`` (several: an error that lists them);
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
    PlanError,
    PlanProblem,
)


def make_plan(folder: str, options: DevelopOptions | None = None) -> DevelopPlan:
    options = options or DevelopOptions()
    folder = os.path.abspath(folder)
    if not os.path.isdir(folder):
        raise PlanError(f"{folder} is not a folder")
    devcontainer = find_devcontainer(folder, options.config_file)
    config = read_devcontainer(devcontainer) if devcontainer else None
    if config is None or options.service or options.compose_file:
        # only here: a folder with a devcontainer.json needs none of it
        from dockerls.develop.plan.compose import find_compose_file, plan_from_compose
    if options.service or options.compose_file:
        if config is not None and config.data.get("dockerComposeFile") and not options.compose_file:
            plan = plan_from_devcontainer(folder, config, options)
        else:
            plan = plan_from_compose(folder, options)
    elif config is not None:
        plan = plan_from_devcontainer(folder, config, options)
    elif options.image or find_dockerfile(folder, options.dockerfile):
        plan = plan_from_dockerfile(folder, options)
        compose_file = None if options.image else find_compose_file(folder)
        if compose_file is not None and plan.config_file is not None:
            plan.problems.extend(_compose_alternative(compose_file, plan.config_file))
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


def _compose_alternative(compose_file: str, dockerfile: str) -> list[PlanProblem]:
    """When a compose file next to the Dockerfile has services that build it, say that develop
    chose the Dockerfile alone (without the other services and the compose environment) and how to
    choose the compose project instead."""
    import yaml

    try:
        with open(compose_file, encoding="utf-8") as fh:
            services = (yaml.safe_load(fh) or {}).get("services") or {}
    except (OSError, ValueError, yaml.YAMLError, AttributeError):
        return []
    if not isinstance(services, dict):
        return []
    base = os.path.dirname(compose_file)
    builders = []
    for name, service in services.items():
        build = service.get("build") if isinstance(service, dict) else None
        if isinstance(build, str):
            build = {"context": build}
        if not isinstance(build, dict):
            continue
        context = os.path.normpath(os.path.join(base, str(build.get("context") or ".")))
        path = os.path.normpath(os.path.join(context, str(build.get("dockerfile") or "Dockerfile")))
        if path == dockerfile:
            builders.append(str(name))
    if not builders:
        return []
    others = [str(n) for n in services if str(n) not in builders]
    without = f" (without {', '.join(others)} and the compose environment)" if others else \
        " (without the compose environment)"
    return [PlanProblem(
        f"develop used {os.path.basename(dockerfile)} alone{without}; {os.path.basename(compose_file)} has "
        f"service {', '.join(builders)} that builds it: `dockerls develop --service {builders[0]}` develops "
        "in the compose project instead", "info", dockerfile)]


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


__all__ = ["DevelopOptions", "DevelopPlan", "PlanError", "PlanProblem", "make_plan"]
