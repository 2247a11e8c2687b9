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
from dockerls.develop.plan.model import LABEL_COMPOSE_INPUTS, DevelopPlan


def override_folder(plan: DevelopPlan) -> str:
    from dockerls.cache import user_cache_home

    assert plan.compose is not None
    key = hashlib.sha256((plan.config_file or plan.folder).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return os.path.join(user_cache_home(), "dockerls", "compose", f"{plan.compose.project}-{key}")


def inputs_digest(plan: DevelopPlan, document: dict) -> str:
    """A digest of what Compose reads: the compose files, the ``.env`` beside the first one, and the
    override.  The running container carries it (label ``dockerls.compose_inputs``): when it is the
    same, develop has nothing to ask Compose (a re-up costs no Compose run); when a file changed,
    the label changes too, so Compose recreates the container."""
    assert plan.compose is not None
    digest = hashlib.sha256(override_text(document).encode())
    files = [*plan.compose.files, os.path.join(os.path.dirname(plan.compose.files[0]), ".env")]
    for path in files:
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError:
            data = b"\0missing"
        digest.update(f"\0{path}\0{len(data)}\0".encode("utf-8", "surrogateescape") + data)
    return digest.hexdigest()[:32]


def prepare_override(plan: DevelopPlan) -> tuple[str, str]:
    """The override's document with its inputs label, written (only when its content changed);
    its path and the inputs digest."""
    document = plan_override(plan, KEEP_ALIVE_ENTRYPOINT)
    digest = inputs_digest(plan, document)
    labels = document["services"][plan.compose.service if plan.compose else ""].setdefault("labels", {})
    labels[LABEL_COMPOSE_INPUTS] = digest
    return write_override(plan, document), digest


def write_override(plan: DevelopPlan, document: dict | None = None) -> str:
    """Write the plan's override file (only when its content changed); its path."""
    from dockerls.writing import replace_file

    folder = override_folder(plan)
    os.makedirs(folder, mode=0o700, exist_ok=True)
    path = os.path.join(folder, OVERRIDE_NAME)
    data = override_text(document if document is not None else plan_override(plan, KEEP_ALIVE_ENTRYPOINT)).encode()
    try:
        if not os.path.islink(path):
            with open(path, "rb") as fh:
                if fh.read() == data:
                    return path
    except OSError:
        pass
    replace_file(path, data)
    return path
