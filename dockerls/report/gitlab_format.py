"""GitLab code quality: a JSON array of Code Climate issues, the subset GitLab reads.

Each issue has ``description``, ``check_name`` (the rule code), ``fingerprint``, ``severity``
(``critical`` for error findings, ``major`` warning, ``minor`` info, ``info`` style) and
``location`` (``path`` relative to the working directory, ``lines.begin``).  The fingerprint is a
hash of the file, the rule and the content of the finding's line, not its number, so an issue keeps
its identity when lines above it are added or removed, and GitLab's merge request widget shows only
what a change introduced or fixed.

    code_quality:
      script: dockerls check --format gitlab:gl-code-quality-report.json .
      artifacts:
        reports:
          codequality: gl-code-quality-report.json
"""

from __future__ import annotations

from typing import TextIO

from dockerls.finding import Severity
from dockerls.report._common import Fingerprints, Located, display_path, line_text, span, write_json_array

SEVERITIES = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "minor", Severity.STYLE: "info"}


def issues(results, *, engine_fields: bool = False) -> list[dict]:
    """The issues; ``engine_fields`` adds what the full Code Climate engine spec has besides."""
    located = Located()
    fingerprint = Fingerprints()
    out = []
    for r in results:
        for f in r.findings:
            path = display_path(located.file_of(r, f))
            lines = located.lines_of(r, f)
            s = span(lines, f.range)
            issue = {
                "description": f"{f.code} {f.message}",
                "check_name": f.code,
                "fingerprint": fingerprint(path, f.code, line_text(lines, f.range.start.line)),
                "severity": SEVERITIES[f.severity],
                "location": {"path": path, "lines": {"begin": s.start_line, "end": s.end_line}},
            }
            if engine_fields:
                issue = {
                    "type": "issue",
                    **issue,
                    "categories": ["Bug Risk" if f.severity >= Severity.WARNING else "Style"],
                    "content": {"body": f"{f.message}\n\nSee https://dockerls.dev/rules/{f.code}"},
                    "location": {"path": path, "positions": {
                        "begin": {"line": s.start_line, "column": s.start_column},
                        "end": {"line": s.end_line, "column": s.end_column}}},
                }
            out.append(issue)
    return out


def render(results, out: TextIO, colour: bool = False) -> None:
    write_json_array(out, issues(results))
