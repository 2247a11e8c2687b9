"""``dockerls read-configuration``: the devcontainer.json in use, variables substituted, in the
shape of the Dev Containers CLI's ``read-configuration`` output::

    {"configuration": {...devcontainer.json..., "configFilePath": {"fsPath": ..., "path": ...,
                       "scheme": "file", "$mid": 1}},
     "workspace": {"workspaceFolder": ..., "workspaceMount": ..., "configFolderPath": ...,
                   "rootFolderPath": ...}}

Substitution follows the specification: ``${localWorkspaceFolder}``, ``${localEnv:...}``,
``${containerWorkspaceFolder}``, ``${devcontainerId}``... everywhere; ``${containerEnv:...}`` stays
as written (only the running container knows it).  Pure: reads files, never the engine.

With ``--include-merged-configuration``, ``mergedConfiguration`` too: devcontainer.json merged with
the image's own ``devcontainer.metadata`` entries (which the caller reads from the engine) and the
features', as :func:`dockerls.develop.plan.image_metadata.merged_configuration` merges them.
"""

from __future__ import annotations

import os

from dockerls.develop.plan.devcontainer_config import find_devcontainer, read_devcontainer
from dockerls.develop.plan.features_apply import METADATA_LABEL, metadata_entries
from dockerls.develop.plan.hashing import devcontainer_id
from dockerls.develop.plan.image_metadata import merged_configuration
from dockerls.develop.plan.model import LABEL_CONFIG_FILE, LABEL_LOCAL_FOLDER, DevelopOptions, DevelopPlan, PlanError
from dockerls.develop.plan.variables import Variables, substitute
from dockerls.develop.plan.workspace import make_plan


def read_configuration(folder: str, options: DevelopOptions | None = None) -> tuple[dict, DevelopPlan]:
    """The output (as a dict) and the plan it was read with (its problems go to the user)."""
    options = options or DevelopOptions()
    folder = os.path.abspath(folder)
    path = find_devcontainer(folder, options.config_file)
    if path is None:
        raise PlanError(f"no devcontainer.json in {folder} (.devcontainer/devcontainer.json, .devcontainer.json)")
    config = read_devcontainer(path)
    plan = make_plan(folder, options)
    environ = options.environ if options.environ is not None else dict(os.environ)
    ids = {LABEL_LOCAL_FOLDER: folder, LABEL_CONFIG_FILE: config.path}
    variables = Variables(folder, plan.workspace_folder, environ, devcontainer_id(ids))
    configuration = substitute(config.data, variables)
    configuration["configFilePath"] = {"$mid": 1, "fsPath": config.path, "path": config.path, "scheme": "file"}
    workspace: dict = {"workspaceFolder": plan.workspace_folder, "configFolderPath": folder, "rootFolderPath": folder}
    mount = _workspace_mount(plan)
    if mount:
        workspace["workspaceMount"] = mount
    return {"configuration": configuration, "workspace": workspace}, plan


def _workspace_mount(plan: DevelopPlan) -> str | None:
    """The mount that makes the folder the workspace, written as ``--mount`` takes it."""
    if plan.flow == "compose":
        return None  # the compose files mount it, as the Dev Containers CLI leaves it out too
    for mount in plan.main_container.mounts:
        if mount.type == "bind" and mount.source == plan.folder:
            return f"type=bind,source={mount.source},target={mount.target}" + (",readonly" if mount.read_only else "")
    return None


def with_merged_configuration(output: dict, plan: DevelopPlan, image_entries: list[dict]) -> dict:
    """``output`` with ``mergedConfiguration``: the image's entries (as its label has them), then the
    features' and devcontainer.json's, variables substituted, merged into the configuration."""
    own = metadata_entries(plan.main_container.labels.get(METADATA_LABEL) or "[]")
    entries = [*image_entries, *own]
    if plan.image_metadata is not None:
        entries = [substitute(e, plan.image_metadata.variables) for e in entries]
    return {**output, "mergedConfiguration": merged_configuration(output["configuration"], entries)}
