"""Document links: each FROM image to its page on its registry.

Docker Hub images go to ``https://hub.docker.com/_/<name>`` (official images) or
``/r/<namespace>/<name>``; the few other registries with a public page per repository get theirs;
images from other registries and stage references get no link.  An image written with variables
(``FROM ${BASE}``) is linked when the ARG defaults resolve it to an image (the link covers the whole
reference).
"""

from __future__ import annotations

from dockerls.parse.dockerfile.image import parse_image_ref
from dockerls.parse.dockerfile.model import Dockerfile, ImageRef, Instruction
from dockerls.parse.dockerfile.scope import global_args
from dockerls.parse.dockerfile.variables import expand, is_too_long
from dockerls.text import LineIndex
from dockerls.services.results import Link

DOCKER_HUB = frozenset({"docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"})
_PAGES = {
    "quay.io": "https://quay.io/repository/{name}",
    "mcr.microsoft.com": "https://mcr.microsoft.com/artifact/mar/{name}",
    "public.ecr.aws": "https://gallery.ecr.aws/{name}",
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
    return page.format(name=name) if page else None


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
        if image.has_variables:
            out.extend(_resolved_link(df, ins, image))
            continue
        url = image_url(image)
        if url:
            end = image.tag_range.end_offset if image.tag_range else image.name_range.end_offset
            start = image.registry_range.start_offset if image.registry_range else image.name_range.start_offset
            out.append(Link(start, end, url, f"Open {image.full_name} on its registry"))
    return out


def _resolved_link(df: Dockerfile, ins: Instruction, image: ImageRef) -> list[Link]:
    """The link of ``FROM ${BASE}`` when BASE's default makes an image that is not a stage."""
    values = {k: v.value for k, v in global_args(df, ins).items()}
    resolved = expand(image.raw, values, df.escape)
    if not resolved or is_too_long(resolved) or "$" in resolved or any(c.isspace() for c in resolved):
        return []
    ref = parse_image_ref(resolved, 0, LineIndex(resolved))
    if not (ref.tag or ref.digest or ref.registry) and df.stage_by_name(ref.name) is not None:
        return []  # an earlier stage by its name
    url = image_url(ref)
    if not url:
        return []
    return [Link(image.range.start_offset, image.range.end_offset, url, f"Open {resolved} on its registry")]
