"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

    ::warning file=Dockerfile,line=1,col=13,endLine=1,endColumn=19,title=DL3007::Using latest ...

``error`` findings are ``::error``, ``warning`` ones ``::warning``, ``info`` and ``style`` ones
``::notice``.  Lines and columns are 1-based, columns in UTF-16 code units, the end column exclusive.
The message escapes ``%``, ``\\r`` and ``\\n`` (``%25``, ``%0D``, ``%0A``); property values also
escape ``:`` and ``,`` (``%3A``, ``%2C``), as the runner's parser expects.
"""

from __future__ import annotations

from typing import TextIO

from dockerls.finding import Severity
from dockerls.report._common import Located, display_path, span

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice", Severity.STYLE: "notice"}


def escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def render(results, out: TextIO, colour: bool = False) -> None:
    located = Located()
    for r in results:
        for f in r.findings:
            s = span(located.lines_of(r, f), f.range)
            props = {
                "file": display_path(located.file_of(r, f)),
                "line": s.start_line, "col": s.start_column, "endLine": s.end_line, "endColumn": s.end_column,
                "title": f.code,
            }
            rendered = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items())
            out.write(f"::{COMMANDS[f.severity]} {rendered}::{escape_data(f.message)}\n")
