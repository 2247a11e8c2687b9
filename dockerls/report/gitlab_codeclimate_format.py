"""GitLab code quality as hadolint's ``gitlab_codeclimate`` writes it: dockerls' ``gitlab`` issues
with hadolint's ``type``, ``categories`` and severities (``blocker`` error, ``major`` warning,
``info`` info, ``minor`` style) and the line of the finding's instruction."""

from __future__ import annotations

from typing import TextIO

from dockerls.report._common import Located, write_json_array
from dockerls.report._hadolint import CODECLIMATE_SEVERITIES, HadolintLines
from dockerls.report.gitlab_format import issues


def render(results, out: TextIO, colour: bool = False) -> None:
    lines = HadolintLines(Located())
    found = [(r, f) for r in results for f in r.findings]
    items = []
    for (r, f), issue in zip(found, issues(results)):
        line = lines.line(r, f)
        issue["location"]["lines"] = {"begin": line, "end": line}
        items.append({"type": "issue", "categories": ["Bug Risk"], **issue,
                      "severity": CODECLIMATE_SEVERITIES[f.severity]})
    write_json_array(out, items)
