"""From physical lines to logical lines: directives, comments, continuations and heredoc bodies.

This follows BuildKit's parser (frontend/dockerfile/parser) rule by rule, because BuildKit is what
decides what a Dockerfile means:

* parser directives (``# syntax=``, ``# escape=``, ``# check=``) count only in the unbroken run of
  ``# key=value`` lines at the very top; the first other line (a blank one included) ends the run;
* a line ends in a continuation when it ends with an odd number of escape characters (trailing
  spaces and tabs allowed); the escape character and what follows it are dropped and the next line
  is appended as it is (its leading whitespace kept);
* inside a continuation, comment lines are skipped and blank lines are skipped (and remembered,
  for the NoEmptyContinuation check);
* a RUN, COPY or ADD whose line holds ``<<NAME`` words reads heredoc bodies from the lines after it.

dockerfile-parse (the card's library) cannot serve here: it reports no columns and treats heredoc
bodies as instructions, so positions come from this lexer instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dockerls.text import LineIndex, map_offset

HEREDOC_INSTRUCTIONS = frozenset({"RUN", "COPY", "ADD"})
KNOWN_DIRECTIVES = frozenset({"syntax", "escape", "check"})

_DIRECTIVE_RE = re.compile(r"#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*$")
# A heredoc marker word: optional fd number, <<, optional '-', then the (maybe quoted) name.
_HEREDOC_RE = re.compile(r"""(\d*)<<(-?)(["']?)([^\s"'<>|;&()]+)\3""")


@dataclass(slots=True)
class RawDirective:
    name: str
    value: str
    line: int
    name_start: int  # offsets
    name_end: int
    value_start: int
    value_end: int


@dataclass(slots=True)
class RawHeredoc:
    name: str
    strip_tabs: bool
    quoted: bool
    marker_start: int  # offset of "<<" in the document
    marker_end: int
    body_start: int
    body_end: int
    terminator: tuple[int, int] | None  # offsets of the terminator line's content


@dataclass(slots=True)
class LogicalLine:
    """One instruction's text with the map from the joined text back to document offsets."""

    text: str  # continuations joined
    segments: list[tuple[int, int, int]]  # (joined offset, document offset, length)
    first_line: int
    last_line: int  # last physical line of the instruction (before heredoc bodies)
    start: int  # document offset of the first non-blank character
    end: int  # document offset just after the last character
    comment_lines: list[int] = field(default_factory=list)
    empty_continuation_lines: list[int] = field(default_factory=list)
    heredocs: list[RawHeredoc] = field(default_factory=list)
    continuations: list[int] = field(default_factory=list)  # offsets of the line-continuation escapes

    def doc_offset(self, i: int) -> int:
        return map_offset(self.segments, i, self.start)


@dataclass(slots=True)
class Lexed:
    directives: list[RawDirective]
    duplicate_directives: list[RawDirective]
    escape: str
    logical_lines: list[LogicalLine]
    comment_lines: list[int]  # comment lines outside instructions
    stopped_at: int | None = None  # the line of ``stop_lines`` where lexing stopped


def _is_comment(line: str) -> bool:
    return line.lstrip(" \t").startswith("#")


def _ends_with_escape(content: str, escape: str) -> int:
    """Index of the continuation escape character in ``content``, or -1."""
    stripped = content.rstrip(" \t")
    n = 0
    i = len(stripped) - 1
    while i >= 0 and stripped[i] == escape:
        n += 1
        i -= 1
    return len(stripped) - 1 if n % 2 == 1 else -1


def _scan_directives(lines: LineIndex) -> tuple[list[RawDirective], list[RawDirective], int]:
    found: list[RawDirective] = []
    duplicates: list[RawDirective] = []
    seen: set[str] = set()
    line_no = 0
    while line_no < lines.line_count:
        start = lines.line_starts[line_no]
        content = lines.line_text(line_no)
        m = _DIRECTIVE_RE.match(content)
        if not m or m.group(1).lower() not in KNOWN_DIRECTIVES:
            break
        name = m.group(1).lower()
        raw = RawDirective(name, m.group(2), line_no, start + m.start(1), start + m.end(1),
                           start + m.start(2), start + m.end(2))
        (duplicates if name in seen else found).append(raw)
        seen.add(name)
        line_no += 1
    return found, duplicates, line_no


def lex(text: str, lines: LineIndex | None = None, from_line: int = 0, escape: str = "\\",
        stop_lines: frozenset[int] = frozenset()) -> Lexed:
    """Logical lines, comment lines and directives.  With ``from_line`` (the first line of an
    instruction, past the directives), lexing starts there with ``escape``, and no directives.
    Lexing stops at the first of ``stop_lines`` that a logical line could start on (not inside an
    instruction's continuation or heredoc); ``stopped_at`` says which."""
    lines = lines or LineIndex(text)
    directives: list[RawDirective] = []
    duplicates: list[RawDirective] = []
    if not from_line:
        directives, duplicates, _ = _scan_directives(lines)
    for d in directives:
        if d.name == "escape" and d.value in ("\\", "`"):
            escape = d.value
    logical: list[LogicalLine] = []
    comments: list[int] = []
    count = lines.line_count
    starts = lines.line_starts
    line_no = from_line
    stopped_at = None
    while line_no < count:
        if line_no in stop_lines:
            stopped_at = line_no
            break
        content = lines.line_text(line_no)
        stripped = content.lstrip(" \t\f\v")
        if not stripped:
            line_no += 1
            continue
        if stripped.startswith("#"):
            comments.append(line_no)
            line_no += 1
            continue
        lead = len(content) - len(stripped)
        first = line_no
        doc_start = starts[line_no] + lead
        pieces: list[tuple[int, int]] = []
        comment_lines: list[int] = []
        empty_lines: list[int] = []
        continuations: list[int] = []
        esc = _ends_with_escape(stripped, escape)
        if esc == -1:
            pieces.append((doc_start, doc_start + len(stripped)))
        else:
            pieces.append((doc_start, doc_start + esc))
            continuations.append(doc_start + esc)
        while esc != -1 and line_no + 1 < count:
            line_no += 1
            content = lines.line_text(line_no)
            if _is_comment(content):
                comment_lines.append(line_no)
                continue
            if not content.strip(" \t\f\v"):
                if line_no + 1 < count or content:  # not the "line" after a final newline
                    empty_lines.append(line_no)
                continue
            esc = _ends_with_escape(content, escape)
            start = starts[line_no]
            pieces.append((start, start + (len(content) if esc == -1 else esc)))
            if esc != -1:
                continuations.append(start + esc)
        parts: list[str] = []
        segments: list[tuple[int, int, int]] = []
        pos = 0
        for a, b in pieces:
            parts.append(text[a:b])
            segments.append((pos, a, b - a))
            pos += b - a
        joined = "".join(parts)
        # BuildKit trims the joined line; keep the map pointing at the last real character.
        trimmed = joined.rstrip()
        end_doc = doc_start
        if trimmed:
            ll = LogicalLine(trimmed, segments, first, line_no, doc_start, 0, comment_lines, empty_lines,
                             continuations=continuations)
            end_doc = ll.doc_offset(len(trimmed) - 1) + 1
            ll.end = end_doc
            logical.append(ll)
            keyword = trimmed.split(None, 1)[0].upper()
            if keyword in HEREDOC_INSTRUCTIONS and "<<" in trimmed:
                line_no = _read_heredocs(ll, text, lines, line_no + 1) - 1
        line_no += 1
    return Lexed(directives, duplicates, escape, logical, comments, stopped_at)


def find_heredoc_markers(args: str) -> list[re.Match[str]]:
    """Heredoc markers among the words of an instruction line (outside quotes)."""
    found: list[re.Match[str]] = []
    quote = ""
    i = 0
    n = len(args)
    while i < n:
        ch = args[i]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "<" and args.startswith("<<", i) and (i == 0 or args[i - 1] in " \t" or args[i - 1].isdigit()):
            m = _HEREDOC_RE.match(args, i)
            if m:
                found.append(m)
                i = m.end()
                continue
        i += 1
    return found


def _read_heredocs(ll: LogicalLine, text: str, lines: LineIndex, body_line: int) -> int:
    """Read the bodies of the heredocs named on ``ll``; return the first line after them."""
    count = lines.line_count
    for m in find_heredoc_markers(ll.text):
        name, strip_tabs, quoted = m.group(4), m.group(2) == "-", bool(m.group(3))
        marker_start = ll.doc_offset(m.start())
        marker_end = ll.doc_offset(m.end() - 1) + 1
        body_start = lines.line_starts[body_line] if body_line < count else len(text)
        terminator = None
        line_no = body_line
        while line_no < count:
            content = lines.line_text(line_no)
            candidate = content.lstrip("\t") if strip_tabs else content
            if candidate == name:
                start = lines.line_starts[line_no]
                terminator = (start, start + len(content))
                break
            line_no += 1
        if terminator is None:
            ll.heredocs.append(RawHeredoc(name, strip_tabs, quoted, marker_start, marker_end,
                                          body_start, len(text), None))
            return count
        ll.heredocs.append(RawHeredoc(name, strip_tabs, quoted, marker_start, marker_end,
                                      body_start, terminator[0], terminator))
        body_line = line_no + 1
    return body_line
