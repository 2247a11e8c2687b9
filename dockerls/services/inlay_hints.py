"""Inlay hints: values that come from elsewhere, shown where they are used.

* Dockerfile: a FROM whose image is written with variables (``FROM python:${PY}``) shows the image
  its ARG defaults give (``= python:3.12``);
* Compose: each ``${VAR}`` shows the value it takes (from the environment and the ``.env`` file,
  as ``docker compose`` reads them); the value of a variable whose name says it is a secret
  (``DB_PASSWORD``, ``API_TOKEN``...) is not shown.
"""

from __future__ import annotations

import re

from dockerls.parse.compose.model import ComposeProject
from dockerls.parse.dockerfile.model import Dockerfile
from dockerls.services.results import InlayHint

MAX_LABEL = 48  # characters of a value shown; longer ones are cut with an ellipsis
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
    return sorted(out, key=lambda h: h.offset)
