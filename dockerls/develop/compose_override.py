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
from dockerls.develop.plan.model import LABEL_COMPOSE_INPUTS, DevelopPlan

BUILDS_NAME = "builds.digest"  # beside the override: the builds' digest when Compose last ran


def override_folder(plan: DevelopPlan) -> str:
    assert plan.compose is not None
    key = hashlib.sha256((plan.config_file or plan.folder).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return os.path.join(_user_cache_home(), "dockerls", "compose", f"{plan.compose.project}-{key}")


def _user_cache_home() -> str:
    """``$XDG_CACHE_HOME``, else ``~/.cache`` (as :func:`dockerls.cache.user_cache_home`, whose module
    imports the checker: 40 ms of every start)."""
    xdg = os.environ.get("XDG_CACHE_HOME")
    return xdg if xdg and os.path.isabs(xdg) else os.path.join(os.path.expanduser("~"), ".cache")


def inputs_digest(plan: DevelopPlan, document: dict) -> str:
    """A digest of what Compose reads: the compose files, the ``.env`` beside the first one, and
    the override.  The running container carries it (label ``dockerls.compose_inputs``): when it is
    the same (and the builds are too, see :func:`builds_changed`), develop has nothing to ask Compose
    (a re-up costs no Compose run); when a file changed, the label changes too, so Compose
    recreates the container."""
    assert plan.compose is not None
    digest = hashlib.sha256(override_text(document).encode())
    for path in [*plan.compose.files, os.path.join(os.path.dirname(plan.compose.files[0]), ".env")]:
        digest.update(_file_part(path))
    return digest.hexdigest()[:32]


def builds_digest(plan: DevelopPlan) -> str:
    """A digest of the Dockerfiles and build contexts of the services Compose builds ("" when it
    builds none); the contexts' digests use a stat cache.  Not on the container: a changed source
    file must not recreate it unless the image it builds changes (Compose decides that)."""
    assert plan.compose is not None
    if not plan.compose.builds:
        return ""
    from dockerls.develop.context_digest import context_digest

    digest = hashlib.sha256()
    for context, dockerfile in plan.compose.builds:
        digest.update(_file_part(dockerfile))
        digest.update(f"\0{context}\0{context_digest(context).digest}".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()[:32]


def _file_part(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        data = b"\0missing"
    return f"\0{path}\0{len(data)}\0".encode("utf-8", "surrogateescape") + data


def builds_changed(plan: DevelopPlan, digest: str) -> bool:
    """Whether the builds differ from those of the last develop that ran Compose to the end."""
    try:
        with open(os.path.join(override_folder(plan), BUILDS_NAME), encoding="utf-8") as fh:
            return fh.read().strip() != digest
    except OSError:
        return bool(digest)


def record_builds(plan: DevelopPlan, digest: str) -> None:
    from dockerls.writing import replace_file

    replace_file(os.path.join(override_folder(plan), BUILDS_NAME), (digest + "\n").encode())


def prepare_override(plan: DevelopPlan, image_config: tuple[list[str], list[str]] | None = None) -> tuple[str, str]:
    """The override's document with its inputs label, written (only when its content changed);
    its path and the inputs digest.  ``image_config``: the service image's ``Entrypoint`` and
    ``Cmd`` (see :func:`dockerls.develop.plan.compose_cli.needs_image_config`)."""
    document = plan_override(plan, *(image_config or (None, None)))
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
    data = override_text(document if document is not None else plan_override(plan)).encode()
    try:
        if not os.path.islink(path):
            with open(path, "rb") as fh:
                if fh.read() == data:
                    return path
    except OSError:
        pass
    replace_file(path, data)
    return path
