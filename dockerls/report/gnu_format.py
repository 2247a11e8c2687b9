"""The GNU error format, as hadolint's ``gnu``: ``dockerls:file:line: CODE level: message`` (the
line is the first line of the finding's instruction, as hadolint gives it)."""

from __future__ import annotations

from typing import TextIO

from dockerls.report._common import Located
from dockerls.report._hadolint import HadolintLines


def render(results, out: TextIO, colour: bool = False) -> None:
    located = Located()
    lines = HadolintLines(located)
    for r in results:
        for f in r.findings:
            message = " ".join(f.message.splitlines())
            out.write(f"dockerls:{located.file_of(r, f)}:{lines.line(r, f)}: {f.code} {f.severity}: {message}\n")
