"""Positions, ranges and the offset <-> line/column mapping shared by every part of dockerls.

Internally a column is an index into the Python string of that line (a code point).  Editors count
differently: LSP defaults to UTF-16 code units and may negotiate UTF-8 bytes.  The conversion lives
here and nowhere else (``LineIndex.to_client`` / ``LineIndex.from_client``).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Literal

Encoding = Literal["utf-8", "utf-16", "utf-32"]


@dataclass(frozen=True, slots=True, order=True)
class Position:
    """0-based line and column (column in code points unless said otherwise)."""

    line: int
    character: int

    def to_json(self) -> dict[str, int]:
        return {"line": self.line, "character": self.character}


@dataclass(frozen=True, slots=True)
class Range:
    """A half-open range with both line/column positions and absolute string offsets."""

    start: Position
    end: Position
    start_offset: int
    end_offset: int

    def contains(self, pos: Position) -> bool:
        return self.start <= pos <= self.end

    def to_json(self) -> dict[str, dict[str, int]]:
        return {"start": self.start.to_json(), "end": self.end.to_json()}


def _units(s: str, encoding: Encoding) -> int:
    if encoding == "utf-32" or s.isascii():
        return len(s)
    if encoding == "utf-16":
        return len(s) + sum(1 for ch in s if ord(ch) > 0xFFFF)
    return len(s.encode("utf-8", "surrogatepass"))


class LineIndex:
    """Maps absolute offsets in a text to (line, column) and back.

    Lines end at ``\\n``; a ``\\r`` before it belongs to the line ending, not to the content.
    """

    __slots__ = ("text", "line_starts", "_ascii")

    def __init__(self, text: str):
        self.text = text
        self._ascii: bool | None = None
        starts = [0]
        find = text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self.line_starts = starts

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def line_end(self, line: int) -> int:
        """Offset of the end of a line's content (before ``\\r\\n`` or ``\\n``)."""
        if line + 1 < len(self.line_starts):
            end = self.line_starts[line + 1] - 1
            if end > self.line_starts[line] and self.text[end - 1] == "\r":
                end -= 1
            return end
        return len(self.text)

    def line_text(self, line: int) -> str:
        return self.text[self.line_starts[line] : self.line_end(line)]

    def position(self, offset: int) -> Position:
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self.line_starts, offset) - 1
        return Position(line, offset - self.line_starts[line])

    def offset(self, pos: Position) -> int:
        """Offset of a position; lines and columns past the end are clamped."""
        if pos.line < 0:
            return 0
        if pos.line >= len(self.line_starts):
            return len(self.text)
        start = self.line_starts[pos.line]
        return min(start + max(pos.character, 0), self.line_end(pos.line))

    def range(self, start: int, end: int) -> Range:
        first = self.position(start)
        line_start = start - first.character
        starts = self.line_starts
        # Most ranges sit on one line: skip the second search then.
        if start <= end <= len(self.text) and (first.line + 1 >= len(starts) or end < starts[first.line + 1]):
            return Range(first, Position(first.line, end - line_start), start, end)
        return Range(first, self.position(end), start, end)

    def line_range(self, line: int) -> Range:
        return self.range(self.line_starts[line], self.line_end(line))

    # -- client encodings ------------------------------------------------------------------------

    @property
    def is_ascii(self) -> bool:
        """Whether the whole text is ASCII: then every encoding's columns are code points."""
        if self._ascii is None:
            self._ascii = self.text.isascii()
        return self._ascii

    def to_client(self, pos: Position, encoding: Encoding = "utf-16") -> Position:
        if encoding == "utf-32" or self.is_ascii or pos.line >= len(self.line_starts):
            return pos
        start = self.line_starts[pos.line]
        return Position(pos.line, _units(self.text[start : start + pos.character], encoding))

    def from_client(self, pos: Position, encoding: Encoding = "utf-16") -> Position:
        """Turn a client position into a code-point position, clamped to the line."""
        if pos.line < 0:
            return Position(0, 0)
        if pos.line >= len(self.line_starts):
            last = len(self.line_starts) - 1
            return Position(last, self.line_end(last) - self.line_starts[last])
        line = self.line_text(pos.line)
        if encoding == "utf-32" or self.is_ascii or line.isascii():
            return Position(pos.line, max(0, min(pos.character, len(line))))
        units = 0
        for i, ch in enumerate(line):
            if units >= pos.character:
                return Position(pos.line, i)
            units += _units(ch, encoding)
        return Position(pos.line, len(line))

    def range_to_client(self, rng: Range, encoding: Encoding = "utf-16") -> tuple[Position, Position]:
        if encoding == "utf-32" or self.is_ascii:
            return rng.start, rng.end
        return self.to_client(rng.start, encoding), self.to_client(rng.end, encoding)


def map_offset(segments: list[tuple[int, int, int]], i: int, default: int) -> int:
    """Map an offset in a joined string back to the document.

    ``segments`` are ``(joined offset, document offset, length)`` triples in order, as the
    Dockerfile lexer makes them when it joins continuation lines.
    """
    if not segments:
        return default
    k = bisect_right(segments, (i, 1 << 62)) - 1
    if k < 0:
        return segments[0][1]
    joined, doc, length = segments[k]
    return doc + min(i - joined, length)


def small_number(text: str, digits: int = 18) -> int | None:
    """``text`` as a number when it is ASCII digits (leading zeros aside, at most ``digits`` of
    them), else None.  ``str.isdigit`` also accepts ``²`` and ``٣``, which ``int`` refuses, and
    ``int`` refuses numbers of more than 4,300 digits: checks of stage indexes and ports use this."""
    if not text or not text.isascii() or not text.isdigit() or len(text.lstrip("0")) > digits:
        return None
    return int(text)
