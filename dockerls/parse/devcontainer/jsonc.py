"""JSON with comments (``//``, ``/* */``) and trailing commas, as devcontainer.json is written.

:func:`parse_jsonc` returns the value and where every object key and array element is written, so a
problem can point at the key it is about.  No dependency; errors name the line and column.

Objects and arrays nest at most ``MAX_DEPTH`` levels (a devcontainer.json uses four or five): the
reader recurses, and 500 unclosed ``[`` must be a syntax error, not a ``RecursionError``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from dockerls.text import LineIndex, Range

KeyPath = tuple  # ("build", "args", "NAME") or ("runArgs", 3)


class JsoncError(ValueError):
    def __init__(self, message: str, range: Range):
        super().__init__(message)
        self.message = message
        self.range = range

    def __str__(self) -> str:
        return f"{self.range.start.line + 1}:{self.range.start.character + 1}: {self.message}"


@dataclass
class JsoncDocument:
    text: str
    value: Any
    lines: LineIndex
    spans: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)  # path -> key (or element) offsets

    def range_of(self, *path) -> Range | None:
        """Where the key (or array element) at ``path`` is written; the nearest written parent
        when that one is not."""
        path = tuple(path)
        while path:
            span = self.spans.get(path)
            if span is not None:
                return self.lines.range(*span)
            path = path[:-1]
        return None


MAX_DEPTH = 64  # devcontainer.json nests about 5 deep; reading nests one Python call per level
_WHITESPACE = " \t\r\n\ufeff"
_LITERALS = {"true": True, "false": False, "null": None}


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.i = 0
        self.lines = LineIndex(text)
        self.spans: dict[KeyPath, tuple[int, int]] = {}

    def error(self, message: str, at: int | None = None) -> JsoncError:
        at = self.i if at is None else at
        return JsoncError(message, self.lines.range(at, min(at + 1, len(self.text))))

    def skip(self) -> None:
        """Skip whitespace and comments."""
        text, n = self.text, len(self.text)
        while self.i < n:
            ch = text[self.i]
            if ch in _WHITESPACE:
                self.i += 1
            elif text.startswith("//", self.i):
                end = text.find("\n", self.i)
                self.i = n if end < 0 else end + 1
            elif text.startswith("/*", self.i):
                end = text.find("*/", self.i + 2)
                if end < 0:
                    raise self.error("unterminated /* comment")
                self.i = end + 2
            else:
                return

    def peek(self) -> str:
        self.skip()
        return self.text[self.i] if self.i < len(self.text) else ""

    def value(self, path: KeyPath) -> Any:
        ch = self.peek()
        if ch in ("{", "[") and len(path) >= MAX_DEPTH:
            raise self.error(f"objects and arrays nest deeper than {MAX_DEPTH} levels")
        if ch == "{":
            return self.object(path)
        if ch == "[":
            return self.array(path)
        if ch == '"':
            return self.string()
        if not ch:
            raise self.error("unexpected end of file: a value is missing")
        start = self.i
        while self.i < len(self.text) and self.text[self.i] not in _WHITESPACE + ",:]}/":
            self.i += 1
        word = self.text[start : self.i]
        if word in _LITERALS:
            return _LITERALS[word]
        try:
            number = json.loads(word)
        except ValueError:
            raise self.error(f"unexpected {word or ch!r}: expected a value", start) from None
        if isinstance(number, (int, float)) and not isinstance(number, bool):
            return number
        raise self.error(f"unexpected {word!r}: expected a value", start)

    def string(self) -> str:
        start = self.i
        text, n = self.text, len(self.text)
        j = start + 1
        while j < n:
            ch = text[j]
            if ch == "\\":
                j += 2
                continue
            if ch == '"':
                break
            if ch == "\n":
                raise self.error("unterminated string", start)
            j += 1
        else:
            raise self.error("unterminated string", start)
        self.i = j + 1
        try:
            return json.loads(text[start : j + 1])
        except json.JSONDecodeError as err:
            raise self.error(f"bad string: {err.msg}", start) from None

    def object(self, path: KeyPath) -> dict:
        self.i += 1
        out: dict = {}
        while True:
            ch = self.peek()
            if ch == "}":
                self.i += 1
                return out
            if ch != '"':
                raise self.error("expected a quoted key or '}'")
            key_start = self.i
            key = self.string()
            self.spans[path + (key,)] = (key_start, self.i)
            if self.peek() != ":":
                raise self.error(f"expected ':' after the key {key!r}")
            self.i += 1
            out[key] = self.value(path + (key,))
            ch = self.peek()
            if ch == ",":
                self.i += 1
            elif ch != "}":
                raise self.error("expected ',' or '}'")

    def array(self, path: KeyPath) -> list:
        self.i += 1
        out: list = []
        while True:
            ch = self.peek()
            if ch == "]":
                self.i += 1
                return out
            start = self.i
            item = self.value(path + (len(out),))
            self.spans.setdefault(path + (len(out),), (start, self.i))
            out.append(item)
            ch = self.peek()
            if ch == ",":
                self.i += 1
            elif ch != "]":
                raise self.error("expected ',' or ']'")


def parse_jsonc(text: str) -> JsoncDocument:
    """Parse JSONC; raises :class:`JsoncError` with the position of the first error."""
    parser = _Parser(text)
    value = parser.value(())
    if parser.peek():
        raise parser.error("unexpected text after the value")
    return JsoncDocument(text, value, parser.lines, parser.spans)
