"""Formatting as one types: a line continued with the escape character gets its next line indented.

As the peer language server does it: typing the escape character at the end of a line (nothing but
blanks after it) indents the line below, or trims it when it is blank.  Pressing Enter after such a
line indents the new line too.  Comments, parser directives and heredoc bodies are left alone.
"""

from __future__ import annotations

from dockerls.finding import Edit
from dockerls.parse.dockerfile.model import Dockerfile

NEWLINE = "\n"


def on_type_edits(df: Dockerfile, offset: int, ch: str, indent: str) -> list[Edit]:
    """Edits after ``ch`` was typed, the cursor being at ``offset`` (just after what was typed)."""
    lines = df.lines
    line = lines.position(offset).line
    if ch == NEWLINE:
        continued, target = line - 1, line
    elif ch == df.escape:
        if lines.line_text(line)[offset - lines.line_starts[line] :].strip():
            return []  # the escape character does not end the line: it escapes something else
        continued, target = line, line + 1
    else:
        return []
    if continued < 0 or target >= len(lines.line_starts) or not _continues(df, continued):
        return []
    start = lines.line_starts[target]
    text = lines.line_text(target)
    blanks = len(text) - len(text.lstrip(" \t"))
    if blanks == len(text):  # a blank line: ready to type on after Enter, trimmed otherwise
        new_text = indent if ch == NEWLINE else ""
    else:
        new_text = indent
    if text[:blanks] == new_text:
        return []
    return [Edit(start, start + blanks, new_text)]


def _continues(df: Dockerfile, line: int) -> bool:
    """Whether ``line`` of an instruction ends with the escape character (a line continuation)."""
    text = df.lines.line_text(line).rstrip(" \t")
    if not text.endswith(df.escape) or text.lstrip().startswith("#"):
        return False
    if any(d.range.start.line == line for d in df.directives):
        return False
    offset = df.lines.line_starts[line]
    return not any(h.body_range.start_offset <= offset < h.body_range.end_offset
                   for ins in df.walk() for h in ins.heredocs)
