"""One container of the plan: find the one develop made before, and reuse, start, recreate or
create it.

Reuse rules: a running container whose image id and config hash (label ``dockerls.config_hash``)
match the plan is reused as it is; a stopped one is started; when the image id or the config hash
differ the container is removed and created again, and the outcome says which of the two changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from dockerls.develop.plan.hashing import config_change, decode_parts
from dockerls.develop.plan.model import (
    LABEL_CONFIG_FILE,
    LABEL_CONFIG_HASH,
    LABEL_CONFIG_PARTS,
    LABEL_LOCAL_FOLDER,
    LABEL_MANAGED,
    ContainerSpec,
)
from dockerls.engine.container_config import container_config
from dockerls.engine.errors import EngineError, api_errors, explanation_of, status_of

STOP_TIMEOUT = 5  # seconds before SIGKILL; the keep-alive loop exits on SIGTERM at once


@dataclass(slots=True)
class ContainerOutcome:
    name: str
    id: str
    action: str  # "created", "recreated", "started" or "reused"
    reason: str = ""  # why it was recreated
    attrs: dict | None = None  # the inspect data, once running

    @property
    def created(self) -> bool:
        return self.action in ("created", "recreated")


def find_existing(api, spec: ContainerSpec) -> dict | None:
    """The inspect data of the container develop made for ``spec`` before (by its id labels), or
    the one the Dev Containers CLI made for the same folder and devcontainer.json; None when there
    is none.  A container that merely has the name is found when creating: see :func:`create`."""
    folder = spec.id_labels.get(LABEL_LOCAL_FOLDER)
    # One query for both: they carry the folder's label (the CLI finds containers by it, and by
    # the devcontainer.json's: dockerls' carry both, so each adopts the other's).
    query = [f"{LABEL_LOCAL_FOLDER}={folder}"] if folder else [f"{k}={v}" for k, v in spec.id_labels.items()]
    found = api.containers(all=True, filters={"label": query})
    ours = [c for c in found if _has_labels(c, spec.id_labels)]
    if spec.service is not None:  # compose: one-off containers (`docker compose run`) are not ours
        ours = [c for c in ours if (c.get("Labels") or {}).get("com.docker.compose.oneoff", "False") == "False"]
    for extra in ours[1:]:  # two for one plan (an interrupted run): keep the first
        remove(api, extra["Id"])
    if ours:
        return api.inspect_container(ours[0]["Id"])
    return _made_by_devcontainers_cli(api, spec, found)


def _has_labels(container: dict, labels: dict[str, str]) -> bool:
    have = container.get("Labels") or {}
    return all(have.get(k) == v for k, v in labels.items())


def _made_by_devcontainers_cli(api, spec: ContainerSpec, found: list[dict]) -> dict | None:
    """The container the Dev Containers CLI made for the same folder and devcontainer.json, among
    ``found`` (the folder's containers): it finds containers by these two labels (and adopts
    dockerls' ones, which carry them too)."""
    folder, config = spec.id_labels.get(LABEL_LOCAL_FOLDER), spec.id_labels.get(LABEL_CONFIG_FILE)
    if not folder or not config:
        return None
    for container in found:
        if _has_labels(container, {LABEL_LOCAL_FOLDER: folder, LABEL_CONFIG_FILE: config}) and \
                (container.get("Labels") or {}).get(LABEL_MANAGED) != "true":
            return api.inspect_container(container["Id"])
    return None


def adopted(attrs: dict) -> bool:
    """Made by the Dev Containers CLI, not by dockerls: used as it is (it has no config hash)."""
    return (attrs["Config"].get("Labels") or {}).get(LABEL_MANAGED) != "true"


def change_reason(attrs: dict, spec: ContainerSpec, image_id: str, image_reason: str = "") -> str | None:
    """Why the existing container no longer fits the plan, or None when it does.  ``image_reason``:
    why the image was built again (what changed in its inputs)."""
    if attrs.get("Image") != image_id:
        why = f": {image_reason}" if image_reason else ""
        return f"the image changed ({_short(attrs.get('Image'))} -> {_short(image_id)}){why}"
    labels = attrs["Config"].get("Labels") or {}
    if labels.get(LABEL_CONFIG_HASH) != spec.labels.get(LABEL_CONFIG_HASH):
        fields = config_change(decode_parts(labels.get(LABEL_CONFIG_PARTS)),
                               decode_parts(spec.labels.get(LABEL_CONFIG_PARTS)) or {})
        return f"the container configuration changed ({fields or 'made by an older dockerls'})"
    return None


def _short(image_id: str | None) -> str:
    return (image_id or "none").removeprefix("sha256:")[:12]


class NameTaken(EngineError):
    """A container has the name already (the create got 409 Conflict)."""


def create(api, spec: ContainerSpec) -> str:
    """Create (not start) the container; returns its id.  :class:`NameTaken` when a container has
    its name already (looked for only then: a lookup before every create would cost a call)."""
    try:
        # By name, so `docker ps` shows it; the id was resolved a moment ago and is compared later.
        created = api.create_container_from_config(container_config(spec), spec.name)
    except api_errors() as err:
        kind = NameTaken if status_of(err) == 409 else EngineError
        raise kind(f"cannot create the container {spec.name}: {explanation_of(err)}") from None
    return created["Id"]


def _named(api, spec: ContainerSpec) -> dict:
    """The container that has ``spec``'s name (after a :class:`NameTaken`): one develop made
    (labels from an older dockerls), else an error that says what to do."""
    try:
        attrs = api.inspect_container(spec.name)
    except api_errors() as err:
        raise EngineError(f"cannot create the container {spec.name}: a container has its name, and "
                          f"inspecting it failed: {explanation_of(err)}") from None
    if (attrs["Config"].get("Labels") or {}).get(LABEL_MANAGED) != "true":
        raise EngineError(f"a container named {spec.name} exists and was not made by dockerls: "
                          "remove or rename it, or set another name")
    return attrs


def start(api, container_id: str, name: str) -> None:
    try:
        api.start(container_id)
    except api_errors() as err:
        raise EngineError(f"cannot start the container {name}: {explanation_of(err)}") from None


def remove(api, container_id: str) -> None:
    """Stop and remove, quietly when it is gone already."""
    try:
        api.remove_container(container_id, force=True)
    except api_errors() as err:
        if status_of(err) not in (404, 409):  # gone already; removal already in progress
            raise EngineError(f"cannot remove the container {container_id[:12]}: {explanation_of(err)}") from None


_LOOK = object()


def ensure_container(api, spec: ContainerSpec, image_id: str, on_created, attrs=_LOOK,
                     image_reason: str = "") -> ContainerOutcome:
    """Reuse, start, recreate or create; ``on_created(id)`` is called as soon as a container exists,
    so that a cancel or a failure later on can remove it.  ``attrs``: the existing container
    (inspect data, or None for none) when the caller has looked already."""
    if attrs is _LOOK:
        try:
            attrs = find_existing(api, spec)
        except api_errors() as err:
            raise EngineError(f"cannot list containers: {err}") from None
    if attrs is not None and adopted(attrs):
        why = "made by the Dev Containers CLI for this folder: adopted as it is"
        if attrs["State"].get("Running"):
            return ContainerOutcome(spec.name, attrs["Id"], "reused", why, attrs=attrs)
        start(api, attrs["Id"], spec.name)
        return ContainerOutcome(spec.name, attrs["Id"], "started", why)
    reason = change_reason(attrs, spec, image_id, image_reason) if attrs is not None else None
    if attrs is not None and reason is None:
        if attrs["State"].get("Running"):
            return ContainerOutcome(spec.name, attrs["Id"], "reused", attrs=attrs)
        start(api, attrs["Id"], spec.name)
        return ContainerOutcome(spec.name, attrs["Id"], "started")
    if attrs is not None:
        remove(api, attrs["Id"])
    try:
        container_id = create(api, spec)
    except NameTaken:
        if attrs is not None:  # removed a moment ago: somebody else took the name
            raise
        return ensure_container(api, spec, image_id, on_created, _named(api, spec), image_reason)
    on_created(container_id)
    start(api, container_id, spec.name)
    return ContainerOutcome(spec.name, container_id, "recreated" if attrs is not None else "created", reason or "")
