"""Checking files: read, classify, parse, lint, fix.  What ``dockerls check`` does for each file."""

from __future__ import annotations

from dataclasses import dataclass, field

from dockerls.config import Config
from dockerls.lint.finding import Finding
from dockerls.lint.fixes import FixResult, fix_text
from dockerls.lint.runner import lint_dockerfile
from dockerls.parse.dockerfile import parse_dockerfile
from dockerls.text import LineIndex


@dataclass
class FileResult:
    path: str  # as given / discovered ("-" or the --stdin-filename for stdin)
    kind: str
    text: str
    lines: LineIndex
    findings: list[Finding] = field(default_factory=list)
    fixed: FixResult | None = None


def lint_text(data: bytes | str, kind: str, config: Config, path: str | None) -> tuple[str, LineIndex, list[Finding]]:
    """Parse and lint one file's content; returns the decoded text, its line index and findings."""
    if kind == "compose":
        from dockerls.lint.compose_runner import lint_compose_text

        return lint_compose_text(data, config, path)
    if kind == "devcontainer":  # no devcontainer.json rules yet: read it, report nothing
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        return text, LineIndex(text), []
    df = parse_dockerfile(data, path)
    return df.text, df.lines, lint_dockerfile(df, config, path)


def check_file(path: str, kind: str, data: bytes, config: Config, *, fix: bool = False,
               unsafe_fixes: bool = False) -> FileResult:
    text, lines, findings = lint_text(data, kind, config, path)
    result = FileResult(path, kind, text, lines, findings)
    if fix and findings and any(f.fix for f in findings):
        fixed = fix_text(text, lambda t: lint_text(t, kind, config, path)[2], unsafe=unsafe_fixes)
        if fixed.changed:
            result.fixed = fixed
            result.findings = fixed.remaining
            result.text = fixed.text
            result.lines = LineIndex(fixed.text)
    if config.shellcheck and kind == "dockerfile":  # once, on the final text: a ShellCheck process per fix round costs too much
        from dockerls.lint.shellcheck import shellcheck_findings

        df = parse_dockerfile(result.text, path)
        result.findings = sorted([*result.findings, *shellcheck_findings(df, path, config)], key=Finding.sort_key)
    return result
