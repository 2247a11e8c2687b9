"""What the formats named after hadolint's share: a finding's line as hadolint gives it (the first
line of the instruction the finding is in: hadolint reports every rule on that line, and baselines
key on it) and hadolint's severity names in the systems it reports to."""

from __future__ import annotations

from dockerls.finding import Finding, Severity
from dockerls.report._common import Located


class HadolintLines:
    """1-based lines as hadolint reports them; a Dockerfile is parsed once per result."""

    def __init__(self, located: Located | None = None) -> None:
        self.located = located or Located()
        self._parsed: dict[int, object] = {}

    def line(self, result, f: Finding) -> int:
        own = f.range.start.line
        if result.kind != "dockerfile" or self.located.file_of(result, f) != result.path:
            return own + 1
        key = id(result)
        if key not in self._parsed:
            from dockerls.parse.dockerfile import parse_dockerfile

            self._parsed[key] = parse_dockerfile(result.text, result.path)
        ins = self._parsed[key].instruction_at_line(own)  # type: ignore[attr-defined]
        return (ins.range.start.line if ins is not None else own) + 1


# Code Climate (and GitLab code quality) severities as hadolint writes them
CODECLIMATE_SEVERITIES = {Severity.ERROR: "blocker", Severity.WARNING: "major", Severity.INFO: "info",
                          Severity.STYLE: "minor"}
