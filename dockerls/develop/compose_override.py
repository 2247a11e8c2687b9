"""Where the generated Compose override file of a devcontainer.json lives: dockerls' cache folder
(``$XDG_CACHE_HOME/dockerls/compose/<project>-<hash of devcontainer.json's path>/``), never the
user's tree (a folder there would land in build contexts and commits).  The file is replaced
whole (:func:`dockerls.writing.replace_file`), so a link in its place is never written through;
Compose records its path on the containers (``com.docker.compose.project.config_files``), so the
path stays the same from one develop to the next."""

from __future__ import annotations

import hashlib
import os

from dockerls.develop.plan.compose_cli import OVERRIDE_NAME, override_text, plan_override
from dockerls.develop.plan.dockerfile import KEEP_ALIVE_ENTRYPOINT
from dockerls.develop.plan.model import DevelopPlan


def override_folder(plan: DevelopPlan) -> str:
    from dockerls.cache import user_cache_home

    assert plan.compose is not None
    key = hashlib.sha256((plan.config_file or plan.folder).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return os.path.join(user_cache_home(), "dockerls", "compose", f"{plan.compose.project}-{key}")


def write_override(plan: DevelopPlan) -> str:
    """Write the plan's override file (only when its content changed); its path."""
    from dockerls.writing import replace_file

    folder = override_folder(plan)
    os.makedirs(folder, mode=0o700, exist_ok=True)
    path = os.path.join(folder, OVERRIDE_NAME)
    data = override_text(plan_override(plan, KEEP_ALIVE_ENTRYPOINT)).encode()
    try:
        if not os.path.islink(path):
            with open(path, "rb") as fh:
                if fh.read() == data:
                    return path
    except OSError:
        pass
    replace_file(path, data)
    return path
