"""Formatting a Dockerfile without changing what it builds.

What changes: instruction keywords (and ``AS``) in upper case, no indentation before an
instruction and one space after its keyword, continuation lines indented by one unit, no trailing
whitespace, a final newline.  What never changes: parser directives, heredoc bodies and their
terminators, and the whitespace that is part of an argument: a continuation line that starts
inside a quoted string, or whose leading whitespace is the only thing separating it from the
previous line's last word (``foo\\`` + ``bar`` joins as ``foobar``), keeps its indentation.
Formatting formatted text changes nothing.
"""

from __future__ import annotations

from dockerls.finding import Edit
from dockerls.parse.dockerfile.model import Dockerfile, Instruction
from dockerls.parse.dockerfile.parser import INSTRUCTIONS

_KNOWN = frozenset(INSTRUCTIONS)


def format_dockerfile(df: Dockerfile, indent: str = "    ", first_line: int = 0,
                      last_line: int | None = None) -> list[Edit]:
    """Edits that format lines ``first_line..last_line`` (the whole file by default)."""
    if df.is_binary:
        return []
    lines = df.lines
    last_line = lines.line_count - 1 if last_line is None else min(last_line, lines.line_count - 1)
    new_lines: dict[int, str] = {}
    handled: set[int] = set(range(len(df.directives)))  # directive lines stay as written
    for ins in df.instructions:
        if ins.range.end.line < first_line or ins.range.start.line > last_line:
            handled.update(range(ins.range.start.line, ins.range.end.line + 1))
            continue
        head_end = _head_end_line(ins)
        handled.update(range(ins.range.start.line, ins.range.end.line + 1))
        _format_instruction(df, ins, head_end, indent, new_lines)
    for line in range(first_line, last_line + 1):
        if line not in handled:
            text = lines.line_text(line)
            new_lines[line] = text.strip() if text.lstrip().startswith("#") or not text.strip() else text.rstrip()
    edits = []
    for line, new in sorted(new_lines.items()):
        if first_line <= line <= last_line and new != lines.line_text(line):
            edits.append(Edit(lines.line_starts[line], lines.line_end(line), new))
    if last_line == lines.line_count - 1 and df.text and not df.text.endswith("\n") and df.text.strip():
        edits.append(Edit(len(df.text), len(df.text), "\r\n" if "\r\n" in df.text else "\n"))
    return edits


def _head_end_line(ins: Instruction) -> int:
    """The last line of the instruction itself, before any heredoc body."""
    if ins.heredocs:
        return ins.heredocs[0].body_range.start.line - 1
    return ins.range.end.line


def _format_instruction(df: Dockerfile, ins: Instruction, head_end: int, indent: str,
                        out: dict[int, str]) -> None:
    lines = df.lines
    first = ins.range.start.line
    out[first] = _first_line(df, ins)
    in_quote = _quote_state(lines.line_text(first), "", df.escape)
    previous = lines.line_text(first)
    for line in range(first + 1, head_end + 1):
        text = lines.line_text(line)
        stripped = text.strip(" \t")
        if not stripped:
            out[line] = ""
            continue
        if stripped.startswith("#") and not in_quote:
            out[line] = indent + stripped.rstrip()
            continue
        prev_content = previous.rstrip(" \t")[:-1]
        separated = text[:1] in (" ", "\t") or prev_content[-1:] in (" ", "\t") or not prev_content
        if in_quote or not separated:
            out[line] = text.rstrip() if not in_quote else text
        else:
            out[line] = indent + stripped.rstrip()
        in_quote = _quote_state(text, in_quote, df.escape)
        previous = text


def _first_line(df: Dockerfile, ins: Instruction) -> str:
    """The instruction's first line: no indentation, keywords in upper case, one space after them."""
    line_no = ins.range.start.line
    line_start = df.lines.line_starts[line_no]
    text = df.lines.line_text(line_no)
    replacements: list[tuple[int, int, str]] = []  # (start, end, new text), columns in ``text``
    for part in (ins, ins.inner):
        if part is None or part.keyword_range.start.line != line_no:
            continue
        s = part.keyword_range.start_offset - line_start
        e = part.keyword_range.end_offset - line_start
        replacements.append((s, e, part.keyword if part.keyword in _KNOWN else text[s:e]))
        gap_end = e
        while gap_end < len(text) and text[gap_end] in " \t":
            gap_end += 1
        replacements.append((e, gap_end, " " if gap_end < len(text) else ""))
    if ins.as_range is not None and ins.as_range.start.line == line_no:
        s = ins.as_range.start_offset - line_start
        replacements.append((s, s + 2, "AS"))
    result = text
    for s, e, new in sorted(replacements, reverse=True):
        result = result[:s] + new + result[e:]
    result = result.lstrip(" \t")
    return result if _quote_state(result, "", df.escape) else result.rstrip(" \t")


def _quote_state(text: str, quote: str, escape: str) -> str:
    """The open quote (``'``, ``"`` or ``""``) at the end of ``text``, starting in ``quote``."""
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if quote:
            if ch == quote:
                quote = ""
            elif ch == escape and quote == '"':
                i += 1
        elif ch in "'\"":
            quote = ch
        elif ch == escape:
            i += 1
        i += 1
    return quote
