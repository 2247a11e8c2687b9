"""Published ports as docker and compose write them: ``8080``, ``8080:80``, ``127.0.0.1:8080:80``,
``8080:80/udp``, the long compose form, and devcontainer ``appPort`` numbers (bound to 127.0.0.1, as
the Dev Containers CLI binds them)."""

from __future__ import annotations

import re

from dockerls.develop.plan.model import PortBinding


class PortError(ValueError):
    pass


def parse_port(spec) -> list[PortBinding]:
    """One ``-p`` / compose ``ports`` entry (a range gives several bindings)."""
    if isinstance(spec, bool):
        raise PortError(f"port {spec!r} is not a port")
    if isinstance(spec, int):
        return [PortBinding(spec, "tcp", None, None)]
    if isinstance(spec, dict):
        return _long_form(spec)
    text = str(spec).strip()
    protocol = "tcp"
    if "/" in text:
        text, protocol = text.rsplit("/", 1)
    host_ip: str | None = None
    if text.startswith("["):  # [::1]:8080:80
        close = text.find("]")
        host_ip, text = text[1:close], text[close + 2 :]
    parts = text.split(":")
    if len(parts) == 3:
        host_ip, host, container = parts
    elif len(parts) == 2:
        host, container = parts
    elif len(parts) == 1:
        host, container = "", parts[0]
    else:
        raise PortError(f"port {spec!r}: expected [[IP:]HOST:]CONTAINER[/PROTOCOL]")
    containers = _range(container, spec)
    hosts = _range(host, spec) if host else [None] * len(containers)
    if len(hosts) != len(containers):
        raise PortError(f"port {spec!r}: the host and container ranges differ in size")
    return [PortBinding(c, protocol.lower(), h, host_ip or None) for h, c in zip(hosts, containers)]


def _long_form(spec: dict) -> list[PortBinding]:
    target = spec.get("target")
    if not isinstance(target, int):
        raise PortError(f"port {spec!r} has no target number")
    published = spec.get("published")
    host = int(published) if published not in (None, "") else None
    return [PortBinding(target, str(spec.get("protocol") or "tcp"), host, spec.get("host_ip") or None)]


def _range(text: str, spec) -> list[int]:
    try:
        if "-" in text:
            lo, hi = (int(x) for x in text.split("-", 1))
            return list(range(lo, hi + 1))
        return [int(text)]
    except ValueError:
        raise PortError(f"port {spec!r}: {text!r} is not a port number") from None


def parse_app_port(value) -> list[PortBinding]:
    """devcontainer ``appPort``: a number (published on 127.0.0.1), a ``-p`` string, or a list."""
    items = value if isinstance(value, list) else [value]
    out: list[PortBinding] = []
    for item in items:
        if isinstance(item, int) and not isinstance(item, bool):
            out.append(PortBinding(item, "tcp", item, "127.0.0.1"))
        else:
            out.extend(parse_port(item))
    return out


def parse_forward_ports(value) -> tuple[list[PortBinding], list[str]]:
    """devcontainer ``forwardPorts``: each port of the container is published on 127.0.0.1 at the
    same number (an editor would proxy it; publishing is what works without one).  ``"host:port"``
    entries name a port of another host (a compose service): those are returned as not forwarded."""
    if not isinstance(value, list):
        raise PortError("forwardPorts must be an array of ports or \"host:port\" strings")
    out: list[PortBinding] = []
    elsewhere: list[str] = []
    for item in value:
        text = str(item).strip()
        if isinstance(item, bool) or not isinstance(item, (int, str)) or not text:
            raise PortError(f"forwardPorts entry {item!r} is not a port")
        host, _, port = text.rpartition(":")
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise PortError(f"forwardPorts entry {item!r} is not a port")
        if host and host not in ("localhost", "127.0.0.1"):
            elsewhere.append(text)
            continue
        out.append(PortBinding(int(port), "tcp", int(port), "127.0.0.1"))
    return out, elsewhere


# -- portsAttributes ------------------------------------------------------------------------------


def attributes_of(port: int, ports_attributes: dict, other: dict | None = None) -> dict:
    """The ``portsAttributes`` entry of ``port`` (a key ``"3000"``, or a range ``"3000-3010"``),
    else ``otherPortsAttributes`` (else {}).  Keys that are not numbers or ranges (the spec also
    allows a regular expression of the process's command line, which only an editor sees) never
    match."""
    for key, value in ports_attributes.items():
        low, _, high = str(key).strip().partition("-")
        try:
            lo, hi = int(low), int(high or low)
        except ValueError:
            continue
        if lo <= port <= hi and isinstance(value, dict):
            return value
    return other if isinstance(other, dict) else {}


def forwarded_ports(container_ports: list[int], published: dict, ports_attributes: dict,
                    other: dict | None = None) -> list[dict]:
    """Where each forwarded container port is reachable (``published``: the container's
    ``NetworkSettings.Ports``), with its label: ``{"port", "host", "label"?}``."""
    out = []
    for port in container_ports:
        bindings = published.get(f"{port}/tcp") or []
        if not bindings:
            continue
        host = f"{bindings[0].get('HostIp') or '0.0.0.0'}:{bindings[0].get('HostPort')}"
        item: dict = {"port": port, "host": host}
        label = attributes_of(port, ports_attributes, other).get("label")
        if isinstance(label, str) and label:
            item["label"] = label
        out.append(item)
    return out


def describe_forwarded(item: dict) -> str:
    """``3000 (Web app) → 127.0.0.1:3000``."""
    label = f" ({item['label']})" if item.get("label") else ""
    return f"{item['port']}{label} → {item['host']}"


_BUSY = ("port is already allocated", "address already in use")


def busy_port(message: str, host_ports: list[int]) -> int | None:
    """The host port of ``host_ports`` an engine error says is taken (None: not such an error)."""
    if not any(text in message for text in _BUSY):
        return None
    for port in host_ports:
        if re.search(rf":{port}(?!\d)", message):
            return port
    return None
