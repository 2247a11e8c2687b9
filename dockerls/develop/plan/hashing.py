"""Names and hashes that must be stable from one run to the next.

The config hash is how develop decides between reusing a container and recreating it: it covers
everything that goes into ``docker create`` (not the image id, which is compared separately, so
that the reason for a recreation can be told apart).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dockerls.develop.plan.model import BuildSpec, ContainerSpec

# Fields that do not change the container itself.
_NOT_HASHED = ("build", "id_labels", "depends_on", "service")


def container_config_hash(spec: ContainerSpec) -> str:
    from dockerls.develop.plan.model import LABEL_BUILD_HASH, LABEL_CONFIG_HASH

    data = {f.name: getattr(spec, f.name) for f in dataclasses.fields(spec) if f.name not in _NOT_HASHED}
    data["labels"] = {k: v for k, v in spec.labels.items() if k not in (LABEL_CONFIG_HASH, LABEL_BUILD_HASH)}
    text = json.dumps(_plain(data), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build_fingerprint(build: BuildSpec) -> str:
    """What decides whether the image must be built again: the Dockerfile's text, the build args,
    the target and the context folder.  The rest of the context (the source) is not in it on
    purpose: develop mounts the source, so editing it must not rebuild the image and recreate the
    container; ``--rebuild`` builds afresh when the copy in the image matters."""
    try:
        with open(build.dockerfile, "rb") as fh:
            dockerfile = hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        dockerfile = "unreadable"
    text = json.dumps([dockerfile, build.args, build.target, build.context, build.tag], sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(value):
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def folder_id(folder: str) -> str:
    """A short id of an absolute folder, so two projects with the same basename do not clash."""
    return hashlib.sha256(os.path.abspath(folder).encode("utf-8")).hexdigest()[:8]


def docker_name(text: str) -> str:
    """``text`` made into a valid container/image name part: lower case ``[a-z0-9_.-]``."""
    name = re.sub(r"[^a-z0-9_.-]+", "-", text.lower()).strip("-_.")
    return name or "workspace"


def compose_project_name(text: str) -> str:
    """Compose's normalisation of a project name: lower case letters, digits, ``-`` and ``_``,
    starting with a letter or digit."""
    name = re.sub(r"[^a-z0-9_-]", "", text.lower())
    return name.lstrip("-_") or "default"


def devcontainer_id(id_labels: dict[str, str]) -> str:
    """``${devcontainerId}`` as the Dev Containers CLI computes it: the SHA-256 of the id labels
    (JSON, keys sorted), written in base 32 and padded to 52 characters."""
    text = json.dumps(id_labels, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    number = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest(), "big")
    digits = "0123456789abcdefghijklmnopqrstuv"
    out = ""
    while number:
        number, rest = divmod(number, 32)
        out = digits[rest] + out
    return out.rjust(52, "0")
