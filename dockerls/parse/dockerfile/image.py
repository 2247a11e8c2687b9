"""Splitting an image reference (``registry/name:tag@digest``) into ranged parts."""

from __future__ import annotations

from dockerls.parse.dockerfile.model import ImageRef
from dockerls.text import LineIndex


def _is_registry(component: str) -> bool:
    # Docker's rule: the first path component is a registry when it has a dot or a port, or is
    # "localhost".  "library/ubuntu" and "ubuntu" are Docker Hub names.
    return "." in component or ":" in component or component == "localhost"


def parse_image_ref(raw: str, start: int, lines: LineIndex) -> ImageRef:
    """Parse ``raw``, which starts at document offset ``start``."""
    end = start + len(raw)
    rest, digest = raw, None
    at = raw.find("@")
    if at != -1:
        rest, digest = raw[:at], raw[at + 1 :]
    registry = None
    name_start = 0
    slash = rest.find("/")
    if slash != -1 and _is_registry(rest[:slash]):
        registry = rest[:slash]
        name_start = slash + 1
    path = rest[name_start:]
    tag = None
    colon = path.rfind(":")
    if colon != -1 and "/" not in path[colon:]:
        tag = path[colon + 1 :]
        path = path[:colon]
    name_end = name_start + len(path)

    def rng(a: int, b: int):
        return lines.range(start + a, start + b)

    return ImageRef(
        raw=raw,
        range=lines.range(start, end),
        registry=registry,
        name=path,
        tag=tag,
        digest=digest,
        registry_range=rng(0, len(registry)) if registry is not None else None,
        name_range=rng(name_start, name_end),
        tag_range=rng(name_end + 1, name_end + 1 + len(tag)) if tag is not None else None,
        digest_range=rng(at + 1, len(raw)) if digest is not None else None,
        has_variables="$" in raw,
    )
