"""SonarQube's generic issue import format, as hadolint's ``sonarqube``: ``{"issues": [...]}``, each
with ``engineId``, ``ruleId``, ``severity`` (``CRITICAL`` error, ``MAJOR`` warning, ``MINOR``
info, ``INFO`` style), ``type`` (``BUG`` for errors, else ``CODE_SMELL``) and a
``primaryLocation`` whose ``textRange`` is the finding's exact place (1-based lines, 0-based
columns, as SonarQube counts them).

    sonar-scanner -Dsonar.externalIssuesReportPaths=dockerls-sonar.json
"""

from __future__ import annotations

from typing import TextIO

from dockerls.finding import Severity
from dockerls.report._common import Located, display_path, span, write_json_document

SEVERITIES = {Severity.ERROR: "CRITICAL", Severity.WARNING: "MAJOR", Severity.INFO: "MINOR", Severity.STYLE: "INFO"}


def render(results, out: TextIO, colour: bool = False) -> None:
    located = Located()
    issues = []
    for r in results:
        for f in r.findings:
            s = span(located.lines_of(r, f), f.range)
            issues.append({
                "engineId": "dockerls",
                "ruleId": f.code,
                "severity": SEVERITIES[f.severity],
                "type": "BUG" if f.severity is Severity.ERROR else "CODE_SMELL",
                "primaryLocation": {
                    "message": f.message,
                    "filePath": display_path(located.file_of(r, f)),
                    "textRange": {"startLine": s.start_line, "startColumn": s.start_column - 1,
                                  "endLine": s.end_line, "endColumn": s.end_column - 1},
                },
            })
    write_json_document(out, {"issues": issues}, ("issues",))
