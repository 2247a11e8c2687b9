"""The short forms inside Compose values: port mappings, volume mounts and image references."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dockerls.parse.compose.values import text_of
from dockerls.parse.compose.yaml_tree import Mapping, Node, Scalar

_PORT_RANGE = re.compile(r"(\d+)(?:-(\d+))?")


@dataclass(slots=True)
class PortSpec:
    """One published or exposed port mapping."""

    target: tuple[int, int] | None  # container port range (inclusive); None when unreadable
    published: tuple[int, int] | None  # host port range; None: not published / ephemeral
    host_ip: str  # "" for every interface
    protocol: str  # tcp, udp, sctp
    node: Node  # the list item

    @property
    def key(self) -> tuple:
        return (self.host_ip, self.target, self.published, self.protocol)


def _range(text: str) -> tuple[int, int] | None:
    m = _PORT_RANGE.fullmatch(text.strip())
    if not m or any(len(g.lstrip("0")) > 10 for g in m.groups() if g):
        return None  # no port; and int() refuses numbers of thousands of digits
    low = int(m.group(1))
    high = int(m.group(2)) if m.group(2) else low
    return (low, high) if low <= high else None


def parse_port(node: Node) -> PortSpec | None:
    """A ``ports`` item in short (``"127.0.0.1:8080:80/tcp"``, ``8080``) or long syntax; None when
    it cannot be read (the schema rule reports the shape)."""
    if type(node) is Mapping:
        target_text = text_of(node.get("target"))
        published_text = text_of(node.get("published"))
        return PortSpec(_range(target_text) if target_text else None,
                        _range(published_text) if published_text else None,
                        text_of(node.get("host_ip")) or "", (text_of(node.get("protocol")) or "tcp").lower(), node)
    if type(node) is not Scalar or node.value is None or isinstance(node.value, bool):
        return None
    text = str(node.value).strip()
    if isinstance(node.value, float):
        return None
    text, _, protocol = text.partition("/")
    host_ip = ""
    if text.startswith("["):  # [::1]:8080:80
        close = text.find("]")
        if close < 0:
            return None
        host_ip, text = text[1:close], text[close + 1 :].lstrip(":")
        parts = text.split(":")
        parts = parts if len(parts) == 2 else ["", *parts]
    else:
        parts = text.split(":")
        if len(parts) > 3:  # an IPv6 address without brackets: the last two are ports
            host_ip, parts = ":".join(parts[:-2]), parts[-2:]
        elif len(parts) == 3:
            host_ip, parts = parts[0], parts[1:]
    if len(parts) == 1:
        return PortSpec(_range(parts[0]), None, host_ip, (protocol or "tcp").lower(), node)
    published = _range(parts[0]) if parts[0] else None
    return PortSpec(_range(parts[1]), published, host_ip, (protocol or "tcp").lower(), node)


@dataclass(slots=True)
class Mount:
    """One ``volumes`` item of a service."""

    type: str  # volume, bind, tmpfs, npipe, cluster, image
    source: str | None
    target: str | None
    node: Node  # the list item
    source_start: int  # document offsets of the source text (the item's own range when unknown)
    source_end: int
    create_host_path: bool = True  # a missing bind source is created (short syntax) or an error


def _is_path(source: str) -> bool:
    return source.startswith((".", "/", "~")) or bool(re.match(r"[A-Za-z]:[\\/]", source)) or source.startswith("\\\\")


def parse_mount(node: Node) -> Mount | None:
    if type(node) is Mapping:
        kind = text_of(node.get("type")) or "volume"
        source_node = node.get("source")
        source = text_of(source_node)
        bind = node.get("bind")
        create = True
        if type(bind) is Mapping and bind.get("create_host_path") is not None:
            create = getattr(bind.get("create_host_path"), "value", True) is not False
        elif kind == "bind":
            create = False  # the long syntax does not create a missing host path unless asked to
        where = source_node if source_node is not None else node
        return Mount(kind, source, text_of(node.get("target")), node, where.start, where.end, create)
    text = text_of(node)
    if text is None:
        return None
    parts = _split_volume(text)
    if len(parts) == 1:
        return Mount("volume", None, parts[0], node, node.start, node.end)
    source, target = parts[0], parts[1]
    start, end = node.start, node.end
    if type(node) is Scalar and not node.interpolated:
        begin = node.content_start()
        if node.doc.text.startswith(source, begin):
            start, end = begin, begin + len(source)
    return Mount("bind" if _is_path(source) else "volume", source, target, node, start, end)


def _split_volume(text: str) -> list[str]:
    """``SOURCE:TARGET:MODE`` split on colons, keeping a Windows drive (``C:\\``) whole."""
    parts: list[str] = []
    current = ""
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == ":" and not (len(current) == 1 and current.isalpha() and text[i + 1 : i + 2] in ("\\", "/")):
            parts.append(current)
            current = ""
        else:
            current += ch
        i += 1
    parts.append(current)
    return parts


@dataclass(slots=True)
class ImageName:
    """``[registry/]repository[:tag][@digest]``; offsets are into the string."""

    repository: str
    tag: str | None
    digest: str | None
    tag_start: int  # where ``:tag`` starts (the colon), or the end of the name


def parse_image(text: str) -> ImageName:
    name, at, digest = text.partition("@")
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > slash:
        return ImageName(name[:colon], name[colon + 1 :], digest if at else None, colon)
    return ImageName(name, None, digest if at else None, len(name))
