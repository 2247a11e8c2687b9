"""hadolint's default output, line for line: ``file:line CODE level: message``.

The line is the first line of the finding's instruction, as hadolint gives it, so problem matchers
written for hadolint (hadolint-action's) read it.  Coloured as hadolint colours it, unless
``--no-color``, ``no-color: true``, ``NO_COLOR`` or ``--color never``.
"""

from __future__ import annotations

from typing import TextIO

from dockerls.finding import Severity
from dockerls.report._common import Located
from dockerls.report._hadolint import HadolintLines

_COLOURS = {Severity.ERROR: "\033[1m\033[91m", Severity.WARNING: "\033[1m\033[93m", Severity.INFO: "\033[92m",
            Severity.STYLE: "\033[96m"}
_RESET = "\033[0m"


def render(results, out: TextIO, colour: bool = False) -> None:
    located = Located()
    lines = HadolintLines(located)
    for r in results:
        for f in r.findings:
            level = f"{_COLOURS[f.severity]}{f.severity}{_RESET}" if colour else str(f.severity)
            message = " ".join(f.message.splitlines())
            out.write(f"{located.file_of(r, f)}:{lines.line(r, f)} {f.code} {level}: {message}\n")
