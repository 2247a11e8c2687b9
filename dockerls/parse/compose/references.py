"""Where a service names another service, a volume, a network, a secret or a config.

Used by the rules (undeclared or unused resources, dependency cycles) and by the language services
(definition, references, completion).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from dockerls.parse.compose.syntax import parse_mount
from dockerls.parse.compose.values import text_of
from dockerls.parse.compose.yaml_tree import Mapping, Node, Scalar, Sequence


@dataclass(slots=True)
class Reference:
    kind: str  # "services", "volumes", "networks", "secrets", "configs"
    name: str
    node: Node  # the scalar or key holding the name
    start: int  # document offsets of the name itself
    end: int
    via: str  # depends_on, links, volumes_from, network_mode, ipc, pid, extends, networks, volumes, secrets, configs,
    #           build.secrets
    required: bool = True  # ``depends_on: {x: {required: false}}``


def name_span(node: Node, name: str, at: int = 0) -> tuple[int, int]:
    """Document offsets of ``name`` found at ``at`` in a scalar's text (exact when the scalar is
    written as it reads, else the whole node)."""
    if type(node) is Scalar and not node.interpolated:
        begin = node.content_start()
        if node.doc.text.startswith(node.text, begin) and node.text[at : at + len(name)] == name:
            return begin + at, begin + at + len(name)
    return node.start, node.end


def _ref(kind: str, name: str, node: Node, via: str, at: int = 0, required: bool = True) -> Reference:
    start, end = name_span(node, name, at)
    return Reference(kind, name, node, start, end, via, required)


def service_references(service: Mapping) -> Iterator[Reference]:
    """Every name a service definition refers to."""
    yield from _depends_on(service.get("depends_on"))
    for item in _items(service.get("links")):
        text = text_of(item)
        if text:
            yield _ref("services", text.split(":", 1)[0], item, "links")
    for item in _items(service.get("volumes_from")):
        text = text_of(item)
        if text and not text.startswith("container:"):
            yield _ref("services", text.split(":", 1)[0], item, "volumes_from")
    for key in ("network_mode", "ipc", "pid"):
        mode = service.get(key)
        text = text_of(mode)
        if mode is not None and text and text.startswith("service:"):
            yield _ref("services", text[len("service:") :], mode, key, at=len("service:"))
    ext = service.get("extends")
    if type(ext) is Scalar and (name := text_of(ext)):
        yield _ref("services", name, ext, "extends")
    elif type(ext) is Mapping and ext.get("file") is None and (target := ext.get("service")) is not None \
            and (name := text_of(target)):
        yield _ref("services", name, target, "extends")
    networks = service.get("networks")
    if type(networks) is Mapping:
        for pair in networks.pairs:
            yield _ref("networks", pair.name, pair.key, "networks")
    else:
        for item in _items(networks):
            if name := text_of(item):
                yield _ref("networks", name, item, "networks")
    for item in _items(service.get("volumes")):
        mount = parse_mount(item)
        if mount is not None and mount.type == "volume" and mount.source:
            yield Reference("volumes", mount.source, item, mount.source_start, mount.source_end, "volumes")
    for kind in ("secrets", "configs"):
        yield from _named_sources(kind, service.get(kind), kind)
    build = service.get("build")
    if type(build) is Mapping:
        yield from _named_sources("secrets", build.get("secrets"), "build.secrets")


def _items(node: Node | None) -> list[Node]:
    return node.items if type(node) is Sequence else []


def _depends_on(node: Node | None) -> Iterator[Reference]:
    if type(node) is Mapping:
        for pair in node.pairs:
            required = True
            if type(pair.value) is Mapping:
                flag = pair.value.get("required")
                required = not (type(flag) is Scalar and flag.value in (False, "false"))
            yield _ref("services", pair.name, pair.key, "depends_on", required=required)
    else:
        for item in _items(node):
            if name := text_of(item):
                yield _ref("services", name, item, "depends_on")


def _named_sources(kind: str, node: Node | None, via: str) -> Iterator[Reference]:
    for item in _items(node):
        if type(item) is Mapping:
            source = item.get("source")
            if source is not None and (name := text_of(source)):
                yield _ref(kind, name, source, via)
        elif name := text_of(item):
            yield _ref(kind, name, item, via)
