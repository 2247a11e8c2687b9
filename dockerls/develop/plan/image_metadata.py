"""The base image's own ``devcontainer.metadata`` label, merged as the Dev Containers CLI merges it.

Images made for dev containers (``mcr.microsoft.com/devcontainers/...``, or any image the CLI or
dockerls built with features) carry configuration in that label: a JSON array of entries, or one
object.  The specification's "image metadata" merge treats those entries as if they came first:
the image's entries, then each feature's (install order), then devcontainer.json's own entry.
What each key becomes (:func:`merged_configuration`, the CLI's ``mergeConfiguration``):

==============================================  ==================================================
lifecycle commands                              all of them, in entry order (one command per entry)
``entrypoint``                                  every entry's script, in order (``entrypoints``)
``mounts``                                      all, in order; for one target the last one wins
``capAdd``, ``securityOpt``, ``forwardPorts``   the union, in order
``init``, ``privileged``                        true when any entry says so
``containerEnv``, ``remoteEnv``,                one object, the last entry winning per name
``portsAttributes``
``customizations``                              per tool, the list of every entry's value
``remoteUser``, ``containerUser``,              the last entry's that has one
``waitFor``, ``userEnvProbe``,
``otherPortsAttributes``, ``shutdownAction``
``overrideCommand``, ``updateRemoteUserUID``    the last boolean
``hostRequirements``                            the largest of each
==============================================  ==================================================

The plan is made from devcontainer.json (and the features) without the engine; once the engine
knows the image the container is made from (the image, the built Dockerfile, or the base image
before the features), :func:`apply_image_metadata` folds the image's entries into the plan.  Pure.
"""

from __future__ import annotations

import json
import re
from typing import Any, Mapping

from dockerls.develop.plan.features_apply import METADATA_LABEL, metadata_entries
from dockerls.develop.plan.lifecycle import LifecycleError, parse_lifecycle
from dockerls.develop.plan.model import (
    LABEL_CONFIG_HASH,
    LIFECYCLE_STEPS,
    ContainerSpec,
    DevelopPlan,
    MetadataContext,
    Mount,
    PlanProblem,
)
from dockerls.develop.plan.mounts import MountError, mount_from_fields, parse_mount_string
from dockerls.develop.plan.ports import PortError, parse_forward_ports
from dockerls.develop.plan.variables import substitute

KEEP_ALIVE_TRAP = 'trap "exit 0" 15\n'  # the entrypoint scripts run right after it (the CLI's order)


def label_entries(labels: Mapping[str, str] | None) -> tuple[list[dict[str, Any]], str | None]:
    """The entries of an image's label (none when it has no label) and what is wrong with it."""
    text = (labels or {}).get(METADATA_LABEL)
    if not text:
        return [], None
    try:
        value = json.loads(text)
    except ValueError as err:
        return [], f"the image's {METADATA_LABEL} label is not JSON ({err}): ignored"
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        return [], f"the image's {METADATA_LABEL} label is neither an array nor an object: ignored"
    return [e for e in value if isinstance(e, dict) and e], None


# -- the merge of entries (the CLI's mergeConfiguration) --------------------------------------------

def _last(entries: list[dict], key: str, kind: type | None = None) -> Any:
    for entry in reversed(entries):
        value = entry.get(key)
        if (isinstance(value, kind) if kind else value):
            return value
    return None


def _list(entry: dict, key: str) -> list:
    value = entry.get(key)
    return value if isinstance(value, list) else []


def _union(entries: list[dict], key: str) -> list:
    out: list = []
    for entry in entries:
        for item in _list(entry, key):
            if item not in out:
                out.append(item)
    return out


def _objects(entries: list[dict], key: str) -> dict:
    out: dict = {}
    for entry in entries:
        value = entry.get(key)
        if isinstance(value, dict):
            out.update(value)
    return out


def mount_target(mount: Any) -> str | None:
    if isinstance(mount, dict):
        return mount.get("target")
    if isinstance(mount, str):
        for part in mount.split(","):
            name, _, value = part.partition("=")
            if name.strip() in ("target", "dst", "destination"):
                return value.strip()
    return None


def merge_mounts(entries: list[dict]) -> list:
    """Every entry's mounts in order, the last one for a target winning (in its place)."""
    mounts = [m for entry in entries for m in _list(entry, "mounts")]
    out: list = []
    seen: set = set()
    for mount in reversed(mounts):
        target = mount_target(mount)
        if target not in seen:
            seen.add(target)
            out.append(mount)
    return out[::-1]


def merge_forward_ports(entries: list[dict]) -> list:
    """The union; ``3000`` and ``"localhost:3000"`` are one port (written as the number)."""
    out: list = []
    for port in (p for entry in entries for p in _list(entry, "forwardPorts")):
        key = f"localhost:{port}" if isinstance(port, int) and not isinstance(port, bool) else port
        if key not in out:
            out.append(key)
    return [int(p[len("localhost:"):]) if isinstance(p, str) and p[len("localhost:"):].isdigit()
            and p.startswith("localhost:") else p for p in out]


_BYTES = re.compile(r"^(\d+)([tgmk]b)?$")
_UNITS = {"t": 2 ** 40, "g": 2 ** 30, "m": 2 ** 20, "k": 2 ** 10}


def _bytes(text: Any) -> int:
    match = _BYTES.match(text) if isinstance(text, str) else None
    return int(match.group(1)) * (_UNITS[match.group(2)[0]] if match.group(2) else 1) if match else 0


def _gpu(a: Any, b: Any) -> Any:
    if a is None or a is False:
        return b
    if b is None or b is False:
        return a
    if a == "optional" and b == "optional":
        return "optional"
    a, b = (x if isinstance(x, dict) else {} for x in (a, b))
    cores = max(a.get("cores") or 0, b.get("cores") or 0)
    memory = max(_bytes(a.get("memory") or "0"), _bytes(b.get("memory") or "0"))
    return {k: v for k, v in (("cores", cores or None), ("memory", str(memory) if memory else None)) if v}


def merge_host_requirements(entries: list[dict]) -> dict | None:
    """The largest of each requirement (memory and storage in bytes), as the CLI merges them."""
    wanted = [e["hostRequirements"] for e in entries if isinstance(e.get("hostRequirements"), dict)]
    cpus = max([w.get("cpus") or 0 for w in wanted], default=0)
    memory = max([_bytes(w.get("memory") or "0") for w in wanted], default=0)
    storage = max([_bytes(w.get("storage") or "0") for w in wanted], default=0)
    gpu = None
    for w in wanted:
        gpu = _gpu(gpu, w.get("gpu"))
    if not (cpus or memory or storage or isinstance(gpu, dict) or gpu):  # an empty object counts (JavaScript)
        return None
    out: dict[str, Any] = {"cpus": cpus}
    out.update({k: v for k, v in (("memory", str(memory) if memory else None),
                                  ("storage", str(storage) if storage else None), ("gpu", gpu)) if v is not None})
    return out


def merged_configuration(config: dict[str, Any], entries: list[dict[str, Any]]) -> dict[str, Any]:
    """devcontainer.json merged with the metadata ``entries`` (the image's, the features' and its own,
    in that order), in the shape of the CLI's ``mergedConfiguration``: the lifecycle commands become
    lists (``onCreateCommands``...), ``entrypoint`` becomes ``entrypoints``."""
    out = {k: v for k, v in config.items()
           if k not in ("customizations", "entrypoint", *LIFECYCLE_STEPS, "shutdownAction")}
    customizations: dict[str, list] = {}
    for entry in entries:
        for tool, value in _objects([entry], "customizations").items():
            customizations.setdefault(tool, []).append(value)
    merged: dict[str, Any] = {
        "init": any(e.get("init") is True for e in entries),
        "privileged": any(e.get("privileged") is True for e in entries),
        "capAdd": _union(entries, "capAdd") or None,
        "securityOpt": _union(entries, "securityOpt") or None,
        "entrypoints": [e["entrypoint"] for e in entries if e.get("entrypoint")] or None,
        "mounts": merge_mounts(entries) or None,
        "customizations": customizations or None,
        **{f"{step}s": [e[step] for e in entries if e.get(step)] for step in LIFECYCLE_STEPS},
        "waitFor": _last(entries, "waitFor"),
        "remoteUser": _last(entries, "remoteUser"),
        "containerUser": _last(entries, "containerUser"),
        "userEnvProbe": _last(entries, "userEnvProbe"),
        "remoteEnv": _objects(entries, "remoteEnv"),
        "containerEnv": _objects(entries, "containerEnv"),
        "overrideCommand": _last(entries, "overrideCommand", bool),
        "portsAttributes": _objects(entries, "portsAttributes"),
        "otherPortsAttributes": _last(entries, "otherPortsAttributes"),
        "forwardPorts": merge_forward_ports(entries) or None,
        "shutdownAction": _last(entries, "shutdownAction"),
        "updateRemoteUserUID": _last(entries, "updateRemoteUserUID", bool),
        "hostRequirements": merge_host_requirements(entries),
    }
    out.update({k: v for k, v in merged.items() if v is not None})
    return out


# -- the image's entries into a plan ---------------------------------------------------------------

def apply_image_metadata(plan: DevelopPlan, spec: ContainerSpec, labels: Mapping[str, str] | None,
                         image_user: str, host_linux: bool = True) -> None:
    """Fold the ``devcontainer.metadata`` entries of the image ``spec`` is made from (its ``labels``;
    with features, the base image's) into the plan, as if written before the features and
    devcontainer.json; then the container's ``Config.User`` as the CLI leaves it.  ``image_user``:
    that image's ``Config.User``.  Once per plan; nothing for a plan without ``plan.image_metadata``."""
    context = plan.image_metadata
    if context is None or context.applied:
        return
    context.applied = True
    raw, trouble = label_entries(labels)
    if trouble:
        _problem(plan, trouble)
    entries = [substitute(e, context.variables) for e in raw]
    if entries:
        _apply_entries(plan, spec, context, entries)
        _label(spec, raw)
    _config_user(plan, spec, context, entries, image_user, host_linux)
    spec.labels[LABEL_CONFIG_HASH] = spec.config_hash()


def _problem(plan: DevelopPlan, message: str, severity: str = "warning") -> None:
    plan.problems.append(PlanProblem(message, severity, plan.config_file, key=METADATA_LABEL))


def _apply_entries(plan: DevelopPlan, spec: ContainerSpec, context: MetadataContext, entries: list[dict]) -> None:
    own = context.own
    _lifecycle(plan, entries)
    _environment(plan, spec, own, entries)
    _users(plan, spec, own, entries)
    spec.init = spec.init or any(e.get("init") is True for e in entries)
    spec.privileged = spec.privileged or any(e.get("privileged") is True for e in entries)
    spec.cap_add = [*dict.fromkeys([*_union(entries, "capAdd"), *spec.cap_add])]
    spec.security_opt = [*dict.fromkeys([*_union(entries, "securityOpt"), *spec.security_opt])]
    spec.mounts = _mounts(plan, spec, context, entries)
    _entrypoint(plan, spec, own, entries)
    if not own.get("shutdownAction") and _last(entries, "shutdownAction", str):
        plan.shutdown_action = _last(entries, "shutdownAction", str)
    _forward_ports(plan, spec, entries)
    _spec_keys(plan, own, entries)


def _spec_keys(plan: DevelopPlan, own: dict, entries: list[dict]) -> None:
    """waitFor, userEnvProbe, portsAttributes, otherPortsAttributes and updateRemoteUserUID from the
    image where devcontainer.json does not say (it was planned with its own value or the default)."""
    from dockerls.develop.plan.lifecycle import WAIT_FOR_STEPS
    from dockerls.develop.plan.user_env import PROBES

    wait_for, probe = _last(entries, "waitFor", str), _last(entries, "userEnvProbe", str)
    if "waitFor" not in own and wait_for in WAIT_FOR_STEPS:
        plan.wait_for = wait_for
    if "userEnvProbe" not in own and probe in PROBES:
        plan.user_env_probe = probe
    plan.ports_attributes = {**_objects(entries, "portsAttributes"), **plan.ports_attributes}
    if "otherPortsAttributes" not in own and _last(entries, "otherPortsAttributes", dict):
        plan.other_ports_attributes = _last(entries, "otherPortsAttributes", dict)
    if plan.uid_update is None:
        return
    remote = (plan.remote_user or "").split(":", 1)[0]
    if remote:  # the image may name the remote user
        plan.uid_update.remote_user = remote
    if (not isinstance(own.get("updateRemoteUserUID"), bool) and _last(entries, "updateRemoteUserUID", bool) is False) \
            or remote == "root" or remote.isdigit():
        plan.uid_update = None


def _environment(plan: DevelopPlan, spec: ContainerSpec, own: dict, entries: list[dict]) -> None:
    """The image's variables first, devcontainer.json's (and runArgs') over them; in remoteEnv a
    null (anywhere it is last) leaves the variable out."""
    image_env = {k: str(v) for k, v in _objects(entries, "containerEnv").items() if v is not None}
    spec.environment = {**image_env, **spec.environment}
    remote_env = _objects([*entries, own], "remoteEnv")
    plan.remote_env = {k: str(v) for k, v in {**remote_env, **plan.remote_env}.items()
                       if remote_env.get(k, v) is not None}


def _users(plan: DevelopPlan, spec: ContainerSpec, own: dict, entries: list[dict]) -> None:
    own_container_user = _last([own], "containerUser", str)
    container_user = own_container_user or _last(entries, "containerUser", str)
    if not own_container_user and container_user and spec.user is None:
        spec.user = container_user  # runArgs' --user, when given, wins as it does in the CLI
    own_remote_user = _last([own], "remoteUser", str)
    if not own_remote_user:
        plan.remote_user = _last(entries, "remoteUser", str) or container_user or plan.remote_user
    if spec.features is not None:  # the features' _CONTAINER_USER and _REMOTE_USER
        spec.features.container_user = container_user or spec.features.container_user
        spec.features.remote_user = own_remote_user or _last(entries, "remoteUser", str) or \
            spec.features.remote_user


def _entrypoint(plan: DevelopPlan, spec: ContainerSpec, own: dict, entries: list[dict]) -> None:
    """overrideCommand false in the image (devcontainer.json silent): the image's own entrypoint
    and command; the image's entrypoint scripts run first in the keep-alive entrypoint.  For a
    compose service the keep-alive entrypoint stays (the CLI's override always has it): the
    image's overrideCommand decides whether the service's own entrypoint and command run in it."""
    image_override = _last(entries, "overrideCommand", bool)
    if not isinstance(own.get("overrideCommand"), bool) and image_override is not None:
        if plan.compose is not None:
            plan.compose.override_command = image_override
        elif image_override is False:
            spec.entrypoint, spec.command = None, None
    scripts = [e["entrypoint"] for e in entries if isinstance(e.get("entrypoint"), str) and e["entrypoint"]]
    if not scripts:
        return
    if spec.entrypoint is not None and len(spec.entrypoint) == 4 and KEEP_ALIVE_TRAP in spec.entrypoint[2]:
        body = spec.entrypoint[2].replace(KEEP_ALIVE_TRAP, KEEP_ALIVE_TRAP + "\n".join(scripts) + "\n", 1)
        spec.entrypoint = [*spec.entrypoint[:2], body, spec.entrypoint[3]]
    else:
        _problem(plan, "the image's entrypoint scripts run only when overrideCommand is not false")


def _lifecycle(plan: DevelopPlan, entries: list[dict]) -> None:
    """Each step's commands from the image's entries first, then the plan's (features', own)."""
    out = []
    for step in LIFECYCLE_STEPS:
        for entry in entries:
            try:
                command = parse_lifecycle(step, entry.get(step))
            except LifecycleError as err:
                _problem(plan, f"the image's {METADATA_LABEL} label: {err}: not run", "error")
                continue
            if command is not None:
                out.append(command)
        out.extend(c for c in plan.lifecycle if c.step == step)
    plan.lifecycle = out


def _mounts(plan: DevelopPlan, spec: ContainerSpec, context: MetadataContext, entries: list[dict]) -> list[Mount]:
    mounts: list[Mount] = []
    for item in (m for e in entries for m in _list(e, "mounts")):
        try:
            if isinstance(item, str):
                mounts.append(parse_mount_string(item, context.folder))
            elif isinstance(item, dict):
                mounts.append(mount_from_fields(item, context.folder))
        except MountError as err:
            _problem(plan, f"the image's {METADATA_LABEL} label: mount {item!r}: {err}: ignored", "error")
    merged = [*mounts, *spec.mounts]  # for one target the last written wins
    return [m for i, m in enumerate(merged) if all(later.target != m.target for later in merged[i + 1:])]


def _forward_ports(plan: DevelopPlan, spec: ContainerSpec, entries: list[dict]) -> None:
    try:
        bindings, _elsewhere = parse_forward_ports(merge_forward_ports(entries))
    except PortError as err:
        _problem(plan, f"the image's {METADATA_LABEL} label: {err}: ignored", "error")
        return
    published = {p.key for p in spec.ports}
    for binding in bindings:
        if binding.key not in published:
            spec.ports.append(binding)
            plan.forward_container_ports.append(binding.container_port)
            if binding.host_port:
                plan.forward_ports.append(f"{binding.host_ip or '0.0.0.0'}:{binding.host_port}")


def _label(spec: ContainerSpec, raw: list[dict]) -> None:
    """The container's label (and with features the extended image's): the image's entries as
    written in its label, then the ones the plan has (the features', devcontainer.json's)."""
    entries = [*raw, *metadata_entries(spec.labels.get(METADATA_LABEL) or "[]")]
    if spec.features is not None:
        texts = [json.dumps(e, separators=(",", ":"), ensure_ascii=False) for e in entries]
        spec.features.metadata = texts[0] if len(texts) == 1 else "[ " + ", ".join(texts) + " ]"
        spec.labels[METADATA_LABEL] = spec.features.metadata
    else:
        spec.labels[METADATA_LABEL] = json.dumps(entries, separators=(",", ":"), ensure_ascii=False)


def _config_user(plan: DevelopPlan, spec: ContainerSpec, context: MetadataContext, entries: list[dict],
                 image_user: str, host_linux: bool) -> None:
    """The CLI builds a ``-uid`` image on the container's image (to give the remote user the local
    user's UID) whenever the remote user is not root, ending in ``USER <image user or root>``; so
    without a containerUser the container's ``Config.User`` is the image's user, or ``root``.
    (dockerls builds that image too, when the local user is not root: :mod:`dockerls.engine.uid_update`.)
    With features the extended image already ends that way.  (Compose: the same for a service
    without ``user:``, on the service's image.)"""
    if spec.user is not None or spec.features is not None or not host_linux:
        return
    if plan.compose is not None and plan.compose.service_user:
        return  # the service's user: is the container's (the override names none)
    own_update = context.own.get("updateRemoteUserUID")
    update = own_update if isinstance(own_update, bool) else _last(entries, "updateRemoteUserUID", bool)
    if update is False:
        return
    remote = plan.remote_user or image_user or "root"
    if remote != "root" and not remote.isdigit():
        spec.user = image_user or "root"


def container_image_entries(plan: DevelopPlan, container_labels: Mapping[str, str] | None) -> list[dict] | None:
    """The image's entries in the label of a container develop (or the CLI) made for the plan: the
    ones before those the plan writes itself (the features', devcontainer.json's).  None when the
    label does not end with them: the configuration changed since the container was made."""
    own = metadata_entries(plan.main_container.labels.get(METADATA_LABEL) or "[]")
    held, _trouble = label_entries(container_labels)
    if len(held) < len(own) or held[len(held) - len(own):] != own:
        return None
    return held[:len(held) - len(own)]


def apply_container_metadata(plan: DevelopPlan, container_labels: Mapping[str, str] | None) -> None:
    """For a container that exists (exec, run-user-commands): merge the image's entries its label
    holds (see :func:`container_image_entries`); when it holds none that can be told apart, the plan
    stays as devcontainer.json says (develop would make the container again)."""
    image = container_image_entries(plan, container_labels)
    if image is not None:
        spec = plan.main_container
        apply_image_metadata(plan, spec, {METADATA_LABEL: json.dumps(image)}, spec.user or "")
