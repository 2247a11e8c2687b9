"""``file:line:col: CODE [severity] message``, 1-based, coloured on a terminal."""

from __future__ import annotations

from typing import TextIO

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m", "style": "\033[35m"}
_RESET, _BOLD, _DIM = "\033[0m", "\033[1m", "\033[2m"


def render(results, out: TextIO, colour: bool = False) -> None:
    count = 0
    for r in results:
        for f in r.findings:
            count += 1
            sev = str(f.severity)
            path = f.file if f.file and f.file != r.path and r.path != "-" else r.path
            loc = f"{path}:{f.range.start.line + 1}:{f.range.start.character + 1}:"
            fixable = " [*]" if f.fix else ""
            if colour:
                out.write(f"{_BOLD}{loc}{_RESET} {_COLOURS[sev]}{f.code}{_RESET} [{sev}] {f.message}"
                          f"{_DIM}{fixable}{_RESET}\n")
            else:
                out.write(f"{loc} {f.code} [{sev}] {f.message}{fixable}\n")
    fixable_count = sum(1 for r in results for f in r.findings if f.fix)
    if count and fixable_count:
        out.write(f"{count} finding{'s' if count != 1 else ''}, {fixable_count} with a fix ([*]): "
                  "run with --fix (safe fixes) or --fix --unsafe-fixes\n")
