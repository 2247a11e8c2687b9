"""A JSON array, one object per finding (described by ``schemas/findings.schema.json``).

Ranges are 0-based with UTF-16 columns, as in LSP, so an editor can use them as they are.
"""

from __future__ import annotations

import json
from typing import TextIO


def finding_to_json(result, f) -> dict:
    lines = result.lines

    def rng(r):
        start, end = lines.range_to_client(r, "utf-16")
        return {"start": start.to_json(), "end": end.to_json()}

    fix = None
    if f.fix:
        fix = {
            "title": f.fix.title,
            "applicability": f.fix.applicability,
            "edits": [{"range": rng(lines.range(e.start, e.end)), "newText": e.new_text} for e in f.fix.edits],
        }
    return {
        "file": result.path,
        "code": f.code,
        "name": f.name,
        "severity": str(f.severity),
        "message": f.message,
        "range": rng(f.range),
        "fix": fix,
        "related": [{"range": rng(r.range), "message": r.message} for r in f.related],
    }


def render(results, out: TextIO, colour: bool = False) -> None:
    items = [finding_to_json(r, f) for r in results for f in r.findings]
    json.dump(items, out, indent=2, ensure_ascii=False)
    out.write("\n")
