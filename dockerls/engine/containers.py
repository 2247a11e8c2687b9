"""One container of the plan: find the one develop made before, and reuse, start, recreate or
create it.

Reuse rules: a running container whose image id and config hash (label ``dockerls.config_hash``)
match the plan is reused as it is; a stopped one is started; when the image id or the config hash
differ the container is removed and created again, and the outcome says which of the two changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from docker.errors import APIError, DockerException, NotFound
from docker.types import Mount as DockerMount

from dockerls.develop.plan.hashing import config_change, decode_parts
from dockerls.develop.plan.model import (
    LABEL_CONFIG_FILE,
    LABEL_CONFIG_HASH,
    LABEL_CONFIG_PARTS,
    LABEL_LOCAL_FOLDER,
    LABEL_MANAGED,
    ContainerSpec,
)
from dockerls.engine.errors import EngineError

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
    """The inspect data of the container develop made for ``spec`` before: by its id labels, else
    by its name (a name taken by a container develop did not make is an error)."""
    filters = {"label": [f"{k}={v}" for k, v in spec.id_labels.items()]}
    found = api.containers(all=True, filters=filters)
    if spec.service is not None:  # compose: one-off containers (`docker compose run`) are not ours
        found = [c for c in found if (c.get("Labels") or {}).get("com.docker.compose.oneoff", "False") == "False"]
    for extra in found[1:]:  # two for one plan (an interrupted run): keep the first
        remove(api, extra["Id"])
    if found:
        return api.inspect_container(found[0]["Id"])
    adopted = _made_by_devcontainers_cli(api, spec, filters)
    if adopted is not None:
        return adopted
    try:
        attrs = api.inspect_container(spec.name)
    except NotFound:
        return None
    if (attrs["Config"].get("Labels") or {}).get(LABEL_MANAGED) != "true":
        raise EngineError(f"a container named {spec.name} exists and was not made by dockerls: "
                          "remove or rename it, or set another name")
    return attrs


def _made_by_devcontainers_cli(api, spec: ContainerSpec, searched: dict) -> dict | None:
    """The container the Dev Containers CLI made for the same folder and devcontainer.json: it
    finds containers by these two labels (and adopts dockerls' ones, which carry them too).
    ``searched``: the filters already asked for without a match (the same query is not sent twice)."""
    folder, config = spec.id_labels.get(LABEL_LOCAL_FOLDER), spec.id_labels.get(LABEL_CONFIG_FILE)
    if not folder or not config:
        return None
    filters = {"label": [f"{LABEL_LOCAL_FOLDER}={folder}", f"{LABEL_CONFIG_FILE}={config}"]}
    if sorted(filters["label"]) == sorted(searched.get("label", [])):
        return None
    found = api.containers(all=True, filters=filters)
    for container in found:
        if (container.get("Labels") or {}).get(LABEL_MANAGED) != "true":
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


def create(api, spec: ContainerSpec) -> str:
    """Create (not start) the container; returns its id."""
    port_bindings: dict[str, list] = {}
    for p in spec.ports:
        binding = (p.host_ip, p.host_port) if p.host_ip and p.host_port else (p.host_ip,) if p.host_ip else p.host_port
        port_bindings.setdefault(p.key, []).append(binding)
    network_mode = spec.network or None
    host_config = api.create_host_config(
        mounts=[DockerMount(m.target, m.source or None, type=m.type,  # type: ignore[arg-type]  # bind/volume/tmpfs
                            read_only=m.read_only) for m in spec.mounts],
        port_bindings={k: v if len(v) > 1 else v[0] for k, v in port_bindings.items()} or None,
        privileged=spec.privileged, init=spec.init or None, cap_add=spec.cap_add or None,
        security_opt=spec.security_opt or None, extra_hosts=spec.extra_hosts or None, network_mode=network_mode,
    )
    networking = None
    if spec.network and spec.network not in ("host", "none", "bridge", "default"):
        networking = api.create_networking_config(
            {spec.network: api.create_endpoint_config(aliases=spec.network_aliases or None)})
    healthcheck = None
    if spec.healthcheck is not None:
        h = spec.healthcheck
        healthcheck = {"test": h.test, "interval": h.interval_ns, "timeout": h.timeout_ns, "retries": h.retries,
                       "start_period": h.start_period_ns}
    try:
        # By name, so `docker ps` shows it; the id was resolved a moment ago and is compared later.
        created = api.create_container(
            spec.image, command=spec.command, entrypoint=spec.entrypoint, name=spec.name, user=spec.user,
            environment=spec.environment or None, working_dir=spec.workdir, labels=spec.labels,
            ports=[(p.container_port, p.protocol) for p in spec.ports] or None, hostname=spec.hostname,
            tty=spec.tty, stdin_open=spec.stdin_open, detach=True, healthcheck=healthcheck,
            host_config=host_config, networking_config=networking)
    except APIError as err:
        raise EngineError(f"cannot create the container {spec.name}: {err.explanation or err}") from None
    return created["Id"]


def start(api, container_id: str, name: str) -> None:
    try:
        api.start(container_id)
    except APIError as err:
        raise EngineError(f"cannot start the container {name}: {err.explanation or err}") from None


def remove(api, container_id: str) -> None:
    """Stop and remove, quietly when it is gone already."""
    try:
        api.remove_container(container_id, force=True)
    except NotFound:
        pass
    except APIError as err:
        if err.status_code != 409:  # removal already in progress
            raise EngineError(f"cannot remove the container {container_id[:12]}: {err.explanation or err}") from None


_LOOK = object()


def ensure_container(api, spec: ContainerSpec, image_id: str, on_created, attrs=_LOOK,
                     image_reason: str = "") -> ContainerOutcome:
    """Reuse, start, recreate or create; ``on_created(id)`` is called as soon as a container exists,
    so that a cancel or a failure later on can remove it.  ``attrs``: the existing container
    (inspect data, or None for none) when the caller has looked already."""
    if attrs is _LOOK:
        try:
            attrs = find_existing(api, spec)
        except DockerException as err:
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
    container_id = create(api, spec)
    on_created(container_id)
    start(api, container_id, spec.name)
    return ContainerOutcome(spec.name, container_id, "recreated" if attrs is not None else "created", reason or "")
