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
_NOT_HASHED = ("build", "id_labels", "service")


def container_config_hash(spec: ContainerSpec) -> str:
    text = json.dumps(_plain(_config_data(spec)), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _config_data(spec: ContainerSpec) -> dict:
    from dockerls.develop.plan.model import HASH_LABELS

    data = {f.name: getattr(spec, f.name) for f in dataclasses.fields(spec) if f.name not in _NOT_HASHED}
    data["labels"] = {k: v for k, v in spec.labels.items() if k not in HASH_LABELS}
    return data


def build_fingerprint(build: BuildSpec) -> str:
    """The Dockerfile's text, the build args, the target and the context folder, without the
    context's content: the plan's part of the image key (see :func:`build_inputs`)."""
    inputs = build_inputs(build, "")
    return _digest(inputs)


def build_inputs(build: BuildSpec, context_digest: str) -> dict[str, str]:
    """What decides whether the image must be built again, one short digest per part so that the
    reason for a rebuild can name the part that changed: the Dockerfile's text, the build args,
    the target, build.options' labels and platform, the context folder and tag, and the digest of the build context as the engine sees
    it (``.dockerignore`` applied; see :mod:`dockerls.develop.context_digest`)."""
    try:
        with open(build.dockerfile, "rb") as fh:
            dockerfile = hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        dockerfile = "unreadable"
    inputs = {
        "dockerfile": dockerfile[:16],
        "args": _digest(build.args)[:16],
        "target": build.target or "",
        "where": _digest([build.context, build.dockerfile, build.tag])[:16],
        "context": context_digest[:16],
    }
    # build.options' labels and platform change the image; its cache sources (build.cacheFrom,
    # --cache-from), network, hosts, --no-cache and --pull change how it is built, not what: they
    # are left out, so adding a cacheFrom does not build an up-to-date image again.  A part only
    # when there is one, so that the key of a build without options stays the one it was.
    options = build.options.image_key_part()
    if options:
        inputs["options"] = _digest(options)[:16]
    return inputs


def build_key(inputs: dict[str, str]) -> str:
    """The image key: a digest of :func:`build_inputs`."""
    return _digest(inputs)


def set_build_key(spec: ContainerSpec, inputs: dict[str, str]) -> None:
    """Key the container's build on ``inputs`` and label the container with the key and its parts."""
    from dockerls.develop.plan.model import LABEL_BUILD_HASH, LABEL_BUILD_INPUTS

    assert spec.build is not None
    spec.build.inputs = inputs
    spec.build.fingerprint = build_key(inputs)
    spec.labels[LABEL_BUILD_HASH] = spec.build.fingerprint
    spec.labels[LABEL_BUILD_INPUTS] = encode_parts(inputs)


_INPUT_WORDS = {"dockerfile": "the Dockerfile", "args": "the build args", "target": "the build target",
                "where": "the build context folder or the image tag", "context": "the build context",
                "options": "the build options (labels, platform)"}


def build_change(old: dict[str, str] | None, new: dict[str, str], changed_files: list[str] | None) -> str:
    """Why the image is built again, in words: which inputs differ from the ones the existing
    container's image was built from (``old``, None when unknown), with the changed files of the
    context when they are known."""
    if old is None:
        return "the image was built by an older dockerls (no record of its inputs)"
    parts = []
    for name, words in _INPUT_WORDS.items():
        if old.get(name) != new.get(name):
            if name == "context" and changed_files:
                from dockerls.develop.context_digest import describe_changes

                words = f"{describe_changes(changed_files)} in the build context"
            parts.append(words)
    return (" and ".join(parts) + " changed") if parts else ""


def encode_parts(parts: dict[str, str]) -> str:
    """A label value for short per-part digests: ``name=digest,...``."""
    return ",".join(f"{k}={v}" for k, v in sorted(parts.items()))


def decode_parts(text: str | None) -> dict[str, str] | None:
    if not text:
        return None
    out = {}
    for item in text.split(","):
        name, sep, value = item.partition("=")
        if sep:
            out[name] = value
    return out


def container_config_parts(spec: ContainerSpec) -> dict[str, str]:
    """A short digest per ``docker create`` field, so that a recreation can say which changed."""
    return {name: _digest(value)[:8] for name, value in _config_data(spec).items()}


def config_change(old: dict[str, str] | None, new: dict[str, str]) -> str:
    """``mounts, environment`` (the fields whose digests differ), or "" when unknown."""
    if old is None:
        return ""
    return ", ".join(sorted(name for name in set(old) | set(new) if old.get(name) != new.get(name)))


def _digest(value) -> str:
    text = json.dumps(_plain(value), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


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
