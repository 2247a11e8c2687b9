"""What Compose's loader refuses beyond the JSON Schema, each at the node that is wrong.

The schema lets many fields be "a number or a string" so that ``${VAR}`` can stand there; Compose
then converts the string and refuses the file when it cannot (``replicas: "two"``, ``cpus: abc``,
``mem_limit: lots``, ``interval: 10 seconds``).  It also parses the short forms (``ports``,
``volumes``), needs string keys, and refuses some combinations (``network_mode`` with
``networks``, an ``external`` volume with a ``driver``...).  These checks read one (interpolated)
document; what needs the whole project (names of other services) is in the rules.

Every check was compared with ``docker compose config -q`` (tests/agreement/compose_cases.yaml).
"""

from __future__ import annotations

import ipaddress
import re
from typing import Callable, Iterator

from dockerls.parse.compose.values import format_path
from dockerls.parse.compose.yaml_tree import Mapping, Node, Scalar, Sequence

Error = tuple[Node, str]

_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?(?:inf|infinity|nan)", re.I)
_BYTES = re.compile(r"[0-9]+(?:\.[0-9]+)* ?(?:[kmgtp]i?b?|b)?", re.I)  # docker's size units
_DURATION = re.compile(r"[-+]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h|d|w))+|[-+]?0")
_BOOLEANS = frozenset({"y", "yes", "true", "on", "n", "no", "false", "off"})
_PROTOCOLS = frozenset({"tcp", "udp", "sctp"})


def _int(text: str) -> bool:
    return _INT.fullmatch(text.strip()) is not None


def _float(text: str) -> bool:
    return _FLOAT.fullmatch(text.strip()) is not None


def _bytes(text: str) -> bool:
    return _BYTES.fullmatch(text.strip()) is not None


def _duration(text: str) -> bool:
    return _DURATION.fullmatch(text.strip()) is not None


def _bool(text: str) -> bool:
    return text.strip().lower() in _BOOLEANS


_KINDS: dict[str, tuple[Callable[[str], bool], str]] = {
    "int": (_int, "a whole number"),
    "float": (_float, "a number"),
    "bytes": (_bytes, "a size such as `512m` or `1g`"),
    "duration": (_duration, "a duration such as `30s` or `1m30s`"),
    "bool": (_bool, "`true` or `false`"),
}

# Paths under a service (``*``: any key; ``[]``: any list item) and what Compose converts the string to.
_SERVICE_CASTS: dict[tuple[str, ...], str] = {
    ("deploy", "replicas"): "int", ("scale",): "int",
    ("deploy", "update_config", "parallelism"): "int", ("deploy", "rollback_config", "parallelism"): "int",
    ("deploy", "update_config", "max_failure_ratio"): "float",
    ("deploy", "rollback_config", "max_failure_ratio"): "float",
    ("deploy", "restart_policy", "max_attempts"): "int", ("deploy", "placement", "max_replicas_per_node"): "int",
    ("deploy", "resources", "limits", "cpus"): "float", ("deploy", "resources", "reservations", "cpus"): "float",
    ("deploy", "resources", "limits", "pids"): "int",
    ("deploy", "resources", "limits", "memory"): "bytes", ("deploy", "resources", "reservations", "memory"): "bytes",
    ("deploy", "update_config", "delay"): "duration", ("deploy", "update_config", "monitor"): "duration",
    ("deploy", "rollback_config", "delay"): "duration", ("deploy", "rollback_config", "monitor"): "duration",
    ("deploy", "restart_policy", "delay"): "duration", ("deploy", "restart_policy", "window"): "duration",
    ("healthcheck", "retries"): "int", ("healthcheck", "disable"): "bool",
    ("healthcheck", "interval"): "duration", ("healthcheck", "timeout"): "duration",
    ("healthcheck", "start_period"): "duration", ("healthcheck", "start_interval"): "duration",
    ("stop_grace_period",): "duration",
    ("cpu_count",): "int", ("cpu_percent",): "float", ("cpus",): "float", ("cpu_shares",): "int",
    ("cpu_period",): "int", ("cpu_quota",): "int", ("cpu_rt_period",): "int", ("cpu_rt_runtime",): "int",
    ("oom_score_adj",): "int", ("pids_limit",): "int", ("blkio_config", "weight"): "int",
    ("mem_limit",): "bytes", ("mem_reservation",): "bytes", ("memswap_limit",): "bytes",
    ("mem_swappiness",): "bytes", ("shm_size",): "bytes", ("build", "shm_size"): "bytes",
    ("init",): "bool", ("oom_kill_disable",): "bool", ("privileged",): "bool", ("read_only",): "bool",
    ("stdin_open",): "bool", ("tty",): "bool",
    ("ulimits", "*"): "int", ("ulimits", "*", "hard"): "int", ("ulimits", "*", "soft"): "int",
    ("volumes", "[]", "read_only"): "bool", ("volumes", "[]", "volume", "nocopy"): "bool",
    ("volumes", "[]", "tmpfs", "size"): "bytes",
    ("configs", "[]", "mode"): "int", ("secrets", "[]", "mode"): "int",
}
_RESOURCE_CASTS: dict[tuple[str, ...], str] = {("external",): "bool", ("internal",): "bool", ("attachable",): "bool"}


def loader_errors(root: Node | None) -> list[Error]:
    """What Compose would refuse in this document after the schema accepted its shape."""
    out: list[Error] = []
    if type(root) is not Mapping:
        return out
    _string_keys(root, (), out, set())
    services = root.get("services")
    if type(services) is Mapping:
        for pair in services.pairs:
            if type(pair.value) is Mapping:
                _service(pair.name, pair.value, out)
    for kind in ("volumes", "networks", "secrets", "configs"):
        section = root.get(kind)
        if type(section) is Mapping:
            for pair in section.pairs:
                if type(pair.value) is Mapping:
                    _resource(kind, pair.name, pair.value, out)
    return out


def _string_keys(node: Node, path: tuple, out: list[Error], seen: set[int]) -> None:
    """go-yaml reads ``123:``, ``true:``, ``1.5:``, ``~:`` as non-strings, and Compose refuses them."""
    if id(node) in seen:
        return
    seen.add(id(node))
    if type(node) is Mapping:
        for pair in node.pairs:
            key = pair.key
            if type(key) is Scalar and key.value is not None and type(key.value) is not str or \
                    type(key) is Scalar and key.value is None and not key.style:
                what = "null" if key.value is None else ("a boolean" if type(key.value) is bool else "a number")
                out.append((key, f"`{format_path(path) if path else 'The top level'}` has the key `{key.text}`, "
                                 f"which YAML reads as {what}: Compose needs string keys; quote it (`\"{key.text}\"`)"))
            _string_keys(pair.value, path + (pair.name,), out, seen)
    elif type(node) is Sequence:
        for i, item in enumerate(node.items):
            _string_keys(item, path + (i,), out, seen)


def _walk(node: Node | None, pattern: tuple[str, ...]) -> Iterator[tuple[Node, tuple]]:
    """The nodes at a path pattern (``*`` any key, ``[]`` any item), with their concrete paths."""
    if node is None:
        return
    if not pattern:
        yield node, ()
        return
    head, rest = pattern[0], pattern[1:]
    if head == "[]":
        if type(node) is Sequence:
            for i, item in enumerate(node.items):
                for found, sub in _walk(item, rest):
                    yield found, (i, *sub)
    elif type(node) is Mapping:
        if head == "*":
            for pair in node.pairs:
                for found, sub in _walk(pair.value, rest):
                    yield found, (pair.name, *sub)
        else:
            for found, sub in _walk(node.get(head), rest):
                yield found, (head, *sub)


def _casts(node: Mapping, casts: dict[tuple[str, ...], str], base: tuple, out: list[Error]) -> None:
    for pattern, kind in casts.items():
        for found, sub in _walk(node, pattern):
            if type(found) is Scalar and type(found.value) is str:
                ok, wanted = _KINDS[kind]
                if not ok(found.value):
                    out.append((found, f"`{format_path(base + sub)}` must be {wanted}: Compose cannot read "
                                       f"`{found.value}`"))


def _service(name: str, service: Mapping, out: list[Error]) -> None:
    base = ("services", name)
    _casts(service, _SERVICE_CASTS, base, out)
    if service.get("network_mode") is not None and service.get("networks") is not None:
        key = service.pair("networks")
        assert key is not None
        out.append((key.key, f"`{format_path(base)}` sets both `network_mode` and `networks`: Compose "
                             "refuses the combination; keep one"))
    ports = service.get("ports")
    if type(ports) is Sequence:
        for i, item in enumerate(ports.items):
            if type(item) is Scalar and type(item.value) in (str, int):
                message = port_error(str(item.value))
                if message:
                    out.append((item, f"`{format_path(base + ('ports', i))}`: {message}"))
    volumes = service.get("volumes")
    if type(volumes) is Sequence:
        for i, item in enumerate(volumes.items):
            where = format_path(base + ("volumes", i))
            if type(item) is Scalar and type(item.value) is str:
                message = volume_spec_error(item.value)
                if message:
                    out.append((item, f"`{where}`: {message}"))
            elif type(item) is Mapping:
                kind = item.get("type")
                if item.get("target") is None:
                    out.append((item, f"`{where}` has no `target`: Compose needs the path in the container"))
                if type(kind) is Scalar and kind.value == "bind" and not _text(item.get("source")):
                    out.append((kind, f"`{where}` is a bind mount without `source`: Compose needs the host path"))
    for devices, sub in _walk(service, ("deploy", "resources", "reservations", "devices")):
        if type(devices) is not Sequence:
            continue
        for i, device in enumerate(devices.items):
            if type(device) is not Mapping:
                continue
            count = device.get("count")
            where = format_path(base + sub + (i,))
            if type(count) is Scalar and type(count.value) is str and count.value != "all" and not _int(count.value):
                out.append((count, f"`{where}.count` must be a whole number or `all`, not `{count.value}`"))
            if count is not None and device.get("device_ids") is not None:
                out.append((count, f"`{where}` sets both `count` and `device_ids`: Compose allows only one"))


def _resource(kind: str, name: str, node: Mapping, out: list[Error]) -> None:
    base = (kind, name)
    _casts(node, _RESOURCE_CASTS, base, out)
    external = node.get("external")
    is_external = type(external) is Mapping or (
        type(external) is Scalar and (external.value is True or str(external.value).lower() in ("true", "yes", "y", "on")))
    if kind == "volumes" and is_external:
        for key in ("driver", "driver_opts", "labels"):
            pair = node.pair(key)
            if pair is not None:
                out.append((pair.key, f"`{format_path(base)}` is `external` and also sets `{key}`: an external "
                                      "volume is created elsewhere, so Compose refuses settings for its creation"))
    if type(external) is Mapping and external.get("name") is not None and node.get("name") is not None:
        pair = external.pair("name")
        assert pair is not None
        out.append((pair.key, f"`{format_path(base)}` sets both `name` and `external.name`: keep `name` only"))
    if kind in ("secrets", "configs") and not is_external:
        sources = ("file", "environment") if kind == "secrets" else ("file", "environment", "content")
        if not any(node.get(s) is not None for s in sources):
            wanted = " or ".join(f"`{s}`" for s in sources)
            out.append((node, f"`{format_path(base)}` needs {wanted} (or `external: true`)"))


def _text(node: Node | None) -> str:
    return str(node.value) if type(node) is Scalar and node.value is not None else ""


# -- the short forms ------------------------------------------------------------------------------

def _port_range(text: str) -> tuple[int, int] | None:
    low, dash, high = text.partition("-")
    if not low.isdigit() or (dash and not high.isdigit()) or len(low) > 6 or len(high) > 6:
        return None
    start, end = int(low), int(high) if dash else int(low)
    return (start, end) if start <= end <= 65535 else None


def port_error(spec: str) -> str | None:
    """Why Compose refuses a short ``ports`` item (``[IP:][HOST:]CONTAINER[/PROTOCOL]``), or None."""
    text, slash, protocol = spec.strip().rpartition("/")
    if not slash:
        text, protocol = protocol, "tcp"
    if protocol.lower() not in _PROTOCOLS:
        return f"unknown protocol `{protocol}`: use tcp, udp or sctp"
    parts = text.split(":")  # as Docker does: an IPv6 address keeps its colons in the leading parts
    container = parts[-1]
    host = parts[-2] if len(parts) >= 2 else ""
    if len(parts) >= 3:
        ip = ":".join(parts[:-2])
        if not _is_ip(ip.strip("[]")):
            return f"`{ip}` is not an IP address (the form is `[IP:][HOST:]CONTAINER`)"
    if container == "":
        return "no container port"
    target = _port_range(container)
    if target is None:
        return f"the container port `{container}` is not a port or range between 0 and 65535"
    if target == (0, 0):
        return "the container port cannot be 0"
    if host:
        published = _port_range(host)
        if published is None:
            return f"the host port `{host}` is not a port or range between 0 and 65535"
        if target[1] != target[0] and published[1] - published[0] != target[1] - target[0]:
            return f"the host range `{host}` and the container range `{container}` differ in size"
    return None


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def volume_spec_error(spec: str) -> str | None:
    """Why Compose refuses a short ``volumes`` item (``[SOURCE:]TARGET[:MODE]``), or None."""
    if spec == "":
        return "an empty volume"
    if len(spec) <= 2:
        return None
    sections: list[str] = []
    current = ""
    depth = 0
    for i, ch in enumerate(spec):
        if ch == "$" and spec[i + 1:i + 2] == "{":
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
        elif ch == ":" and not depth and not (len(current) == 1 and current.isalpha()):
            sections.append(current)
            current = ""
            continue
        current += ch
    sections.append(current)
    if any(s == "" for s in sections):
        return f"`{spec}` has an empty section between colons"
    if len(sections) > 3:
        return f"`{spec}` has too many colons (the form is `SOURCE:TARGET:MODE`)"
    return None
