"""Ignore pragmas (``# dockerls ignore=CODE``, ``# hadolint global ignore=...``) as text: finding the
codes in one, and the edits that add a code to the pragma above an instruction or to the file's.
"""

from __future__ import annotations

from dockerls.finding import Edit
from dockerls.lint.suppression import PragmaLine, parse_pragma
from dockerls.parse.dockerfile.model import Dockerfile, Instruction

__all__ = ["PragmaLine", "parse_pragma", "code_at"]


def code_at(line: str, column: int) -> str | None:
    """The rule code under ``column`` in a pragma line, if the line is one."""
    pragma = parse_pragma(line)
    if pragma is None:
        return None
    return next((code for code, s, e in pragma.codes if s <= column <= e), None)


def _add_code(df: Dockerfile, line_no: int, pragma: PragmaLine, code: str) -> Edit | None:
    if any(c.lower() == code.lower() for c, _, _ in pragma.codes):
        return None
    at = df.lines.line_starts[line_no] + pragma.codes_end
    return Edit(at, at, ("," if pragma.codes else "") + code)


def ignore_for_instruction(df: Dockerfile, ins: Instruction, code: str) -> Edit | None:
    """Add ``code`` to the ignore pragma right above ``ins``, or insert one there."""
    line_no = ins.range.start.line
    if line_no > 0:
        above = parse_pragma(df.lines.line_text(line_no - 1))
        if above is not None and not above.is_global:
            return _add_code(df, line_no - 1, above, code)
    line_start = df.lines.line_starts[line_no]
    indent = df.text[line_start : ins.range.start_offset]
    return Edit(line_start, line_start, f"{indent}# dockerls ignore={code}\n")


def ignore_for_file(df: Dockerfile, code: str) -> Edit | None:
    """Add ``code`` to the file's global ignore pragma, or insert one after the parser directives."""
    for comment in df.comments:
        line_no = comment.range.start.line
        pragma = parse_pragma(df.lines.line_text(line_no))
        if pragma is not None and pragma.is_global:
            return _add_code(df, line_no, pragma, code)
    line_no = (df.directives[-1].range.end.line + 1) if df.directives else 0
    at = df.lines.line_starts[line_no] if line_no < df.lines.line_count else len(df.text)
    prefix = "\n" if at == len(df.text) and df.text and not df.text.endswith("\n") else ""
    return Edit(at, at, f"{prefix}# dockerls global ignore={code}\n")
