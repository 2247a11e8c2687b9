"""Inlay hints: values that come from elsewhere, shown where they are used.

* Dockerfile: a FROM whose image is written with variables (``FROM python:${PY}``) shows the image
  its ARG defaults give (``= python:3.12``);
* Compose: each ``${VAR}`` shows the value it takes (from the environment and the ``.env`` file,
  as ``docker compose`` reads them); the value of a variable whose name says it is a secret
  (``DB_PASSWORD``, ``API_TOKEN``...) is not shown; a service using ``extends`` shows where it
  comes from and the keys it inherits (``from base.yaml: web · image, environment``), and each key
  it overrides says so (``overrides base.yaml: web``), as the keys inherited are written nowhere
  in the file.
"""

from __future__ import annotations

import os
import re

from dockerls.parse.compose.model import ComposeProject
from dockerls.parse.compose.values import text_of
from dockerls.parse.compose.yaml_tree import Mapping, Node
from dockerls.parse.dockerfile.model import Dockerfile
from dockerls.services.results import InlayHint

MAX_LABEL = 48  # characters of a value shown; longer ones are cut with an ellipsis
MAX_KEYS_SHOWN = 4  # inherited keys named in an extends hint (the tooltip has them all)
_SECRET = re.compile(r"pass|secret|token|key|credential|auth|pwd", re.IGNORECASE)


def _shown(value: str) -> str:
    value = value.replace("\n", "\u21b5")
    return value if len(value) <= MAX_LABEL else value[: MAX_LABEL - 1] + "\u2026"


def dockerfile_hints(df: Dockerfile, start: int = 0, end: int | None = None) -> list[InlayHint]:
    from dockerls.services.links import resolved_image

    out = []
    for stage in df.stages:
        ins = stage.from_instruction
        image = ins.image
        if image is None or not image.has_variables:
            continue
        at = image.range.end_offset
        if not start <= at <= (end if end is not None else at):
            continue
        value = resolved_image(df, ins)
        if value:
            out.append(InlayHint(at, f"= {_shown(value)}", f"`{image.raw}` is `{value}` with the ARG defaults"))
    return out


def compose_hints(project: ComposeProject, start: int = 0, end: int | None = None) -> list[InlayHint]:
    """Hints in the main file of ``project`` (offsets into its text)."""
    main = project.main
    out = []
    for ref in main.variables:
        use = ref.use
        if not use.evaluated or use.value is None or not start <= ref.end <= (end if end is not None else ref.end):
            continue
        if _SECRET.search(use.name):
            label, tooltip = "= \u2022\u2022\u2022", f"`{use.name}` is set (its value is not shown)"
        else:
            label, tooltip = f"= {_shown(use.value)}", f"`{use.name}` from the environment or the `.env` file"
        out.append(InlayHint(ref.end, label, tooltip))
    out.extend(h for h in _extends_hints(project) if start <= h.offset <= (end if end is not None else h.offset))
    return sorted(out, key=lambda h: h.offset)


def _extends_hints(project: ComposeProject) -> list[InlayHint]:
    main = project.main
    root = main.doc.root
    services = root.get("services") if type(root) is Mapping else None
    if type(services) is not Mapping:
        return []
    out = []
    for pair in services.pairs:
        own = pair.value
        ext = own.get("extends") if type(own) is Mapping and own.doc is main.doc else None
        if ext is None or type(own) is not Mapping:
            continue
        base, origin = _base_of(project, ext, services)
        if base is None:
            continue
        effective = project.services.get(pair.name)
        mine = {p.name for p in own.pairs} | {"extends"}
        inherited = [p.name for p in effective.node.pairs if p.name not in mine] if effective is not None else []
        shown = ", ".join(inherited[:MAX_KEYS_SHOWN]) + (f" +{len(inherited) - MAX_KEYS_SHOWN}"
                                                          if len(inherited) > MAX_KEYS_SHOWN else "")
        tooltip = f"`{pair.name}` extends `{origin}`" + (
            ": it inherits " + ", ".join(f"`{k}`" for k in inherited) if inherited else "")
        out.append(InlayHint(ext.end, f"from {origin}" + (f" \u00b7 {shown}" if shown else ""), tooltip))
        for key in own.pairs:
            if key.name != "extends" and not key.merged and key.key.doc is main.doc and base.get(key.name) is not None:
                out.append(InlayHint(key.key.end, f"overrides {origin}",
                                     f"`{key.name}` replaces or merges with the value of `{origin}`"))
    return out


def _base_of(project: ComposeProject, ext: Node, services: Mapping) -> tuple[Mapping | None, str]:
    """The service an ``extends`` names (as written, not merged) and how to call it."""
    if type(ext) is Mapping:
        target, file = text_of(ext.get("service")), text_of(ext.get("file"))
    else:
        target, file = text_of(ext), None
    if not target:
        return None, ""
    if not file:
        base = services.get(target)
        return (base if type(base) is Mapping else None), target
    folder = project.main.base_dir
    wanted = os.path.normpath(folder / file) if folder is not None else None
    for other in project.files:
        if other.path and wanted is not None and os.path.normpath(other.path) == wanted:
            others = other.root.get("services") if type(other.root) is Mapping else None
            base = others.get(target) if type(others) is Mapping else None
            return (base if type(base) is Mapping else None), f"{file}: {target}"
    return None, ""
