"""Document links of a Compose file: ``build`` (the Dockerfile), ``env_file``, ``extends.file`` and
``include`` to the files they name, when those exist, and ``image`` to the image's page on its
registry (as a FROM in a Dockerfile: :mod:`dockerls.services.links`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dockerls.parse.compose.model import ComposeProject
from dockerls.services.results import Link


def document_links(project: ComposeProject, path: str | None) -> list[Link]:
    """Links in the main file of ``project`` (the file at ``path``)."""
    main = getattr(project, "main", None)
    if main is None or main.doc.root is None or not path:
        return []
    from dockerls.services.links import image_page

    base = Path(path).parent
    out: list[Link | None] = []
    root: Any = main.doc.root
    include = root.get("include") if hasattr(root, "get") else None
    for item in _items(include):
        target = item.get("path") if hasattr(item, "get") else item
        for one in _items(target):
            if _scalar(one, main):
                out.append(_file_link(base / one.value, one))
    for service in project.services.values():
        node: Any = service.node  # YAML nodes, their shapes checked as they are read
        image = node.get("image")
        if _scalar(image, main):
            url = image_page(image.value)  # interpolated: ``${REGISTRY}/app`` as Compose reads it
            if url:
                out.append(Link(image.start, image.end, url, f"Open {image.value} on its registry"))
        build = node.get("build")
        if _scalar(build, main):
            out.append(_file_link(base / build.value / "Dockerfile", build))
        elif build is not None and hasattr(build, "get"):
            context = build.get("context")
            folder = base / context.value if _scalar(context, main) or _scalar(context, None) else base
            dockerfile = build.get("dockerfile")
            if _scalar(dockerfile, main):
                out.append(_file_link(folder / dockerfile.value, dockerfile))
        env_file = node.get("env_file")
        for item in _items(env_file):
            target = item.get("path") if hasattr(item, "get") else item
            if _scalar(target, main):
                out.append(_file_link(base / target.value, target))
        extends = node.get("extends")
        file: Any = extends.get("file") if extends is not None and hasattr(extends, "get") else None
        if _scalar(file, main):
            out.append(_file_link(base / file.value, file))
    return [link for link in out if link is not None]


def _scalar(node, main) -> bool:
    return bool(node is not None and isinstance(getattr(node, "value", None), str) and node.value
                and (main is None or node.doc is main.doc))


def _items(node) -> list:
    if node is None:
        return []
    return list(node.items) if hasattr(node, "items") and not hasattr(node, "get") else [node]


def _file_link(path: Path, node) -> Link | None:
    if not path.is_file():
        return None
    return Link(node.start, node.end, path.resolve().as_uri(), f"Open {path.name}")
