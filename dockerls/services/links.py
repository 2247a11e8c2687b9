"""Document links: each FROM image to its page on its registry.

Docker Hub images go to ``https://hub.docker.com/_/<name>`` (official images) or
``/r/<namespace>/<name>``; the registries with a public page per repository (GitHub's ghcr.io,
quay.io, Microsoft's mcr, Amazon's public gallery) get theirs; an image built from variables
(``FROM ${BASE}:${TAG}``) links to the page of the image its ARG defaults give; images from other
registries and stage references get no link.
"""

from __future__ import annotations

from dockerls.parse.dockerfile.model import Dockerfile, ImageRef, Instruction
from dockerls.services.results import Link

DOCKER_HUB = frozenset({"docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"})
_PAGES = {
    "quay.io": "https://quay.io/repository/{name}",
    "mcr.microsoft.com": "https://mcr.microsoft.com/artifact/mar/{name}",
    "public.ecr.aws": "https://gallery.ecr.aws/{name}",
    "ghcr.io": "https://github.com/users/{owner}/packages/container/package/{package}",
}


def image_url(image: ImageRef) -> str | None:
    if image.has_variables or not image.name or image.name == "scratch":
        return None
    name = image.name.lower()
    registry = (image.registry or "docker.io").lower()
    if registry in DOCKER_HUB:
        if name.startswith("library/"):
            name = name[len("library/"):]
        return f"https://hub.docker.com/_/{name}" if "/" not in name else f"https://hub.docker.com/r/{name}"
    page = _PAGES.get(registry)
    if page is None:
        return None
    owner, _, package = name.partition("/")
    if "{owner}" in page and not package:
        return None
    return page.format(name=name, owner=owner, package=package.replace("/", "%2F"))


def image_page(raw: str) -> str | None:
    """The registry page of the image reference ``raw`` (``ghcr.io/org/app:1``), if it has one."""
    from dockerls.parse.dockerfile.image import parse_image_ref
    from dockerls.text import LineIndex

    if not raw or "$" in raw or any(ch.isspace() for ch in raw):
        return None
    return image_url(parse_image_ref(raw, 0, LineIndex(raw)))


def resolved_image(df: Dockerfile, ins: Instruction) -> str | None:
    """The image a FROM written with variables names once its ARGs' defaults are applied; None
    when it has no variables or they do not resolve to a name."""
    from dockerls.parse.dockerfile.scope import resolve
    from dockerls.parse.dockerfile.variables import is_too_long

    image = ins.image
    if image is None or not image.has_variables:
        return None
    value = resolve(df, ins, image.raw)
    if not value or "$" in value or is_too_long(value) or value.startswith((":", "@", "/")) or value.endswith(":"):
        return None
    return value


def document_links(df: Dockerfile) -> list[Link]:
    out = []
    for stage in df.stages:
        ins = stage.from_instruction
        image = ins.image
        if image is None:
            continue
        earlier = df.stage_by_name(image.name)
        if not (image.tag or image.digest or image.registry) and earlier is not None and earlier.index < stage.index:
            continue  # FROM an earlier stage
        resolved = resolved_image(df, ins) if image.has_variables else None
        if resolved and df.stage_by_name(resolved) is not None:
            continue  # FROM ${BASE} whose default names a stage
        url = image_page(resolved) if resolved else image_url(image)
        if url:
            end = image.tag_range.end_offset if image.tag_range else image.name_range.end_offset
            start = image.registry_range.start_offset if image.registry_range else image.name_range.start_offset
            out.append(Link(start, end, url, f"Open {resolved or image.full_name} on its registry"))
    return out
