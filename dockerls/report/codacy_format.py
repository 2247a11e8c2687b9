"""Codacy's tool result format, as hadolint's ``codacy``: one JSON object per finding and line,
``{"filename", "line", "message", "patternId"}`` (the line as hadolint gives it)."""

from __future__ import annotations

from typing import TextIO

from dockerls.report._common import Located, dumps
from dockerls.report._hadolint import HadolintLines


def render(results, out: TextIO, colour: bool = False) -> None:
    located = Located()
    lines = HadolintLines(located)
    for r in results:
        for f in r.findings:
            out.write(dumps({"filename": located.file_of(r, f), "line": lines.line(r, f), "message": f.message,
                             "patternId": f.code}))
            out.write("\n")
