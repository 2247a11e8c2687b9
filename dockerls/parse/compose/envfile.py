"""``.env`` files as Docker Compose reads them, and the environment interpolation looks names up in.

The format: one ``KEY=VALUE`` a line; blank lines and ``#`` comment lines are skipped; an
``export`` prefix is allowed; a value may be single-quoted (taken literally, may span lines),
double-quoted (``\\n``, ``\\t``, ``\\\\`` and ``\\"`` escapes, ``${VAR}`` expanded, may span lines)
or bare (trimmed, a `` #`` starts a comment, ``${VAR}`` expanded).  A line with a key and no ``=``
takes the value from the shell environment, if it has one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Mapping

_KEY = re.compile(r"[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.\-]*)[ \t]*(=?)")
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", '"': '"', "$": "$"}


@dataclass(slots=True)
class EnvEntry:
    key: str
    value: str
    line: int  # 0-based line of the key
    start: int  # offset of the key in the file
    end: int  # offset of the end of the value


@dataclass
class EnvFile:
    path: str | None
    entries: list[EnvEntry] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (offset, message)

    @property
    def values(self) -> dict[str, str]:
        return {e.key: e.value for e in self.entries}


def parse_env_file(text: str, path: str | None = None,
                   lookup: Callable[[str], str | None] = lambda name: None) -> EnvFile:
    """Parse a ``.env`` text; ``lookup`` gives the shell's variables for expansion and bare keys."""
    from dockerls.parse.compose.interpolate import interpolate

    out = EnvFile(path)
    known: dict[str, str] = {}

    def expand(value: str) -> str:
        return interpolate(value, lambda name: known[name] if name in known else lookup(name)).value

    pos = 0
    n = len(text)
    line = 0
    while pos < n:
        eol = text.find("\n", pos)
        eol = n if eol == -1 else eol
        raw = text[pos:eol]
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            pos, line = eol + 1, line + 1
            continue
        m = _KEY.match(raw)
        if m is None:
            out.errors.append((pos, f"line {line + 1}: expected KEY=VALUE"))
            pos, line = eol + 1, line + 1
            continue
        key, has_value = m.group(1), m.group(2)
        start = pos + m.start(1)
        if not has_value:
            if raw[m.end():].strip() and not raw[m.end():].strip().startswith("#"):
                out.errors.append((pos, f"line {line + 1}: expected `=` after `{key}`"))
            else:
                inherited = lookup(key)
                if inherited is not None:
                    out.entries.append(EnvEntry(key, inherited, line, start, pos + len(raw)))
                    known[key] = inherited
            pos, line = eol + 1, line + 1
            continue
        i = pos + m.end()
        while i < n and text[i] in " \t":
            i += 1
        quote = text[i] if i < n and text[i] in "'\"" else ""
        if quote:
            value, end = _quoted(text, i, quote)
            if end < 0:
                out.errors.append((i, f"line {line + 1}: the quote is not closed"))
                end = eol
                value = text[i + 1 : eol]
            if quote == '"':
                value = expand(value)
            value_end = end
            next_eol = text.find("\n", end)
            eol = n if next_eol == -1 else next_eol
        else:
            bare = text[i:eol].rstrip("\r")
            comment = re.search(r"[ \t]#", bare)
            if comment:
                bare = bare[: comment.start()]
            value = expand(bare.strip())
            value_end = i + len(bare.rstrip())
        out.entries.append(EnvEntry(key, value, line, start, value_end))
        known[key] = value
        line += text.count("\n", pos, eol) + 1
        pos = eol + 1
    return out


def _quoted(text: str, i: int, quote: str) -> tuple[str, int]:
    """The content of the quoted value starting at ``text[i]``, and the offset after its closing quote."""
    out: list[str] = []
    j = i + 1
    n = len(text)
    while j < n:
        ch = text[j]
        if ch == quote:
            return "".join(out), j + 1
        if ch == "\\" and quote == '"' and j + 1 < n:
            nxt = text[j + 1]
            out.append(_ESCAPES.get(nxt, "\\" + nxt))
            j += 2
            continue
        out.append(ch)
        j += 1
    return "".join(out), -1


class Environment:
    """Where ``${VAR}`` takes its value: the shell environment first, then the project's ``.env``."""

    def __init__(self, environ: Mapping[str, str] | None = None, dotenv: EnvFile | None = None):
        # Not copied: lookups go to the caller's mapping (a recording one, for the result cache).
        self.environ: Mapping[str, str] = environ if environ is not None else {}
        self.dotenv = dotenv
        self.dotenv_values = dotenv.values if dotenv else {}

    def lookup(self, name: str) -> str | None:
        value = self.environ.get(name)
        return value if value is not None else self.dotenv_values.get(name)

    def source(self, name: str) -> str | None:
        if name in self.environ:
            return "the environment"
        if name in self.dotenv_values:
            return self.dotenv.path if self.dotenv and self.dotenv.path else ".env"
        return None
