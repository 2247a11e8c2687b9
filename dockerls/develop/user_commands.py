"""``dockerls run-user-commands``: run the lifecycle commands (onCreate ... postAttach) in the
folder's running container again, as the Dev Containers CLI's command of that name does."""

from __future__ import annotations

import threading

from dockerls.develop.plan.model import DevelopOptions
from dockerls.develop.plan.workspace import make_plan
from dockerls.develop.progress import NullProgress, Progress


def run_user_commands(folder: str, options: DevelopOptions | None = None, progress: Progress | None = None,
                      cancel_event: threading.Event | None = None, *, client=None):
    from dockerls.develop.service import DevelopResult, _expected_errors, _failure

    progress = progress or NullProgress()
    plan = None
    try:
        plan = make_plan(folder, options or DevelopOptions())
        from dockerls.engine.connect import connect
        from dockerls.engine.lifecycle import command_environment, run_lifecycle_command
        from dockerls.engine.up import find_main_container

        client = client or connect()
        attrs = find_main_container(client, plan)
        if attrs is None or not attrs.get("State", {}).get("Running"):
            return DevelopResult("error", f"no running container for {plan.folder}: run develop first", plan=plan,
                                 problems=plan.problems)
        from dockerls.develop.plan.image_metadata import apply_container_metadata

        apply_container_metadata(plan, attrs["Config"].get("Labels"))  # the image's own commands first
        progress.on_begin(f"Running the lifecycle commands in {attrs['Name'].lstrip('/')}")
        environment = command_environment(client.api, attrs["Id"], attrs, plan, progress)
        for i, command in enumerate(plan.lifecycle):
            progress.on_step(f"Running {command.step}", 100 * i // max(len(plan.lifecycle), 1))
            run_lifecycle_command(client.api, attrs["Id"], command, user=plan.remote_user,
                                  workdir=plan.workspace_folder, environment=environment, progress=progress,
                                  cancel=cancel_event)
        progress.on_end("Done")
    except _expected_errors() as err:
        return _failure(err, plan)
    ran = ", ".join(c.step for c in plan.lifecycle) or "no lifecycle command"
    return DevelopResult("success", f"ran {ran}", attrs["Id"], attrs["Name"].lstrip("/"), plan.remote_user,
                         plan.workspace_folder, problems=plan.problems, plan=plan)
