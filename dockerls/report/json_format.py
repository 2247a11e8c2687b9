"""A JSON array, one object per finding (described by ``schemas/findings.schema.json``).

Ranges are 0-based with UTF-16 columns, as in LSP, so an editor can use them as they are.  Each
item also has hadolint's fields as ``hadolint -f json`` writes them (``code``, ``column``, ``file``,
``level``, ``line``, ``message``; the line is the 1-based first line of the finding's instruction,
the column 1), so a script written for hadolint's JSON reads it.
"""

from __future__ import annotations

from typing import TextIO

from dockerls.report._common import Located, write_json_array
from dockerls.report._hadolint import HadolintLines


def finding_to_json(result, f, located: Located | None = None, hadolint_lines: HadolintLines | None = None) -> dict:
    located = located or Located()
    hadolint_lines = hadolint_lines or HadolintLines(located)
    lines = located.lines_of(result, f)

    def rng(r):
        s, e = lines.range_to_client(r, "utf-16")
        return {"start": {"line": s.line, "character": s.character}, "end": {"line": e.line, "character": e.character}}

    fix = None
    if f.fix:
        fix = {
            "title": f.fix.title,
            "applicability": f.fix.applicability,
            "edits": [{"range": rng(lines.range(e.start, e.end)), "newText": e.new_text} for e in f.fix.edits],
        }
    return {
        "file": located.file_of(result, f),
        "code": f.code,
        "name": f.name,
        "severity": str(f.severity),
        "message": f.message,
        "range": rng(f.range),
        "fix": fix,
        "related": [{"range": rng(r.range), "message": r.message} for r in f.related],
        "level": str(f.severity),
        "line": hadolint_lines.line(result, f),
        "column": 1,
    }


def render(results, out: TextIO, colour: bool = False) -> None:
    located = Located()
    lines = HadolintLines(located)
    items = [finding_to_json(r, f, located, lines) for r in results for f in r.findings]
    write_json_array(out, items)
