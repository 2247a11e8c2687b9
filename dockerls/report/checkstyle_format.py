"""Checkstyle XML, as Jenkins (warnings-ng), reviewdog and most CI dashboards read it.

Every checked file has a ``<file>`` element (empty when the file is clean); each finding is an
``<error line column severity message source>``.  Severities: ``error``, ``warning``, ``info``
(``info`` and ``style`` findings).  Columns are 1-based UTF-16 code units.  Text is escaped and
characters XML cannot carry are replaced by U+FFFD.
"""

from __future__ import annotations

from typing import TextIO

from dockerls.finding import Severity
from dockerls.report._common import Located, display_path, span, xml_attr

SEVERITIES = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info", Severity.STYLE: "info"}


def render(results, out: TextIO, colour: bool = False) -> None:
    located = Located()
    by_file: dict[str, list[str]] = {}
    for r in results:
        by_file.setdefault(display_path(r.path), [])
        for f in r.findings:
            s = span(located.lines_of(r, f), f.range)
            by_file.setdefault(display_path(located.file_of(r, f)), []).append(
                f"    <error line=\"{s.start_line}\" column=\"{s.start_column}\" severity=\"{SEVERITIES[f.severity]}\" "
                f"message={xml_attr(f.message)} source={xml_attr(f.code)}/>\n")
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<checkstyle version="4.3">\n')
    for path, errors in by_file.items():
        if errors:
            out.write(f"  <file name={xml_attr(path)}>\n")
            out.writelines(errors)
            out.write("  </file>\n")
        else:
            out.write(f"  <file name={xml_attr(path)}/>\n")
    out.write("</checkstyle>\n")
