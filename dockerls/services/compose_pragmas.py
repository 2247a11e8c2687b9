"""The edits that silence a Compose rule with an ignore pragma (read by
:mod:`dockerls.lint.compose_runner`): ``# dockerls ignore=CODE`` on the line right above the key or
list item a finding is on (the code is added to a pragma already there), and
``# dockerls global ignore=CODE`` for the whole file."""

from __future__ import annotations

from dockerls.finding import Edit
from dockerls.lint.suppression import PragmaLine, parse_pragma
from dockerls.text import LineIndex


def _add_code(lines: LineIndex, line_no: int, pragma: PragmaLine, code: str) -> Edit | None:
    if any(c.lower() == code.lower() for c, _, _ in pragma.codes):
        return None
    at = lines.line_starts[line_no] + pragma.codes_end
    return Edit(at, at, ("," if pragma.codes else "") + code)


def ignore_for_line(lines: LineIndex, line_no: int, code: str) -> Edit | None:
    """Silence ``code`` for the key or list item that starts line ``line_no``."""
    text = lines.line_text(line_no)
    if not text.strip() or text.lstrip().startswith("#"):
        return None
    if line_no > 0:
        above = parse_pragma(lines.line_text(line_no - 1))
        if above is not None and not above.is_global:
            return _add_code(lines, line_no - 1, above, code)
    indent = text[: len(text) - len(text.lstrip(" "))]
    start = lines.line_starts[line_no]
    return Edit(start, start, f"{indent}# dockerls ignore={code}{_newline(lines)}")


def ignore_for_file(lines: LineIndex, code: str) -> Edit:
    """Add ``code`` to the file's global pragma, or insert one on the first line."""
    for number in range(lines.line_count):
        pragma = parse_pragma(lines.line_text(number))
        if pragma is not None and pragma.is_global:
            return _add_code(lines, number, pragma, code) or Edit(0, 0, "")
    start = 1 if lines.text.startswith("\ufeff") else 0
    return Edit(start, start, f"# dockerls global ignore={code}{_newline(lines)}")


def _newline(lines: LineIndex) -> str:
    return "\r\n" if "\r\n" in lines.text[: lines.line_end(0) + 2] else "\n"
