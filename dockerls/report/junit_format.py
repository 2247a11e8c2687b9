"""JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure, CircleCI...).

A ``<testsuite>`` per checked file; in it a failing ``<testcase>`` per finding (named after the
rule and the position, the failure's ``type`` is the severity) or, for a clean file, one passing
testcase.  Text is escaped and characters XML cannot carry are replaced by U+FFFD.
"""

from __future__ import annotations

from typing import TextIO

from dockerls.report._common import Located, display_path, span, xml_attr, xml_body


def render(results, out: TextIO, colour: bool = False) -> None:
    located = Located()
    suites = []
    total = failures = 0
    for r in results:
        path = display_path(r.path)
        cases = []
        for f in r.findings:
            where = display_path(located.file_of(r, f))
            s = span(located.lines_of(r, f), f.range)
            position = f"{s.start_line}:{s.start_column}"
            if where != path:
                position = f"{where}:{position}"
            text = f"{where}:{s.start_line}:{s.start_column}: {f.code} [{f.severity}] {f.message}"
            cases.append(
                f"    <testcase name={xml_attr(f'{f.code} {f.name} ({position})')} classname={xml_attr(path)} "
                f"file={xml_attr(where)} line=\"{s.start_line}\">\n"
                f"      <failure message={xml_attr(f.message)} type={xml_attr(str(f.severity))}>"
                f"{xml_body(text)}</failure>\n"
                "    </testcase>\n")
        if not cases:
            cases.append(f"    <testcase name=\"dockerls\" classname={xml_attr(path)} file={xml_attr(path)}/>\n")
        tests, failed = len(cases), len(r.findings)
        total += tests
        failures += failed
        suites.append(f"  <testsuite name={xml_attr(path)} tests=\"{tests}\" failures=\"{failed}\" errors=\"0\" "
                      f"skipped=\"0\">\n{''.join(cases)}  </testsuite>\n")
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(f'<testsuites name="dockerls" tests="{total}" failures="{failures}" errors="0">\n')
    out.writelines(suites)
    out.write("</testsuites>\n")
