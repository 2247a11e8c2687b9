"""Variable references (``$VAR``, ``${VAR:-default}``...) and their expansion, as BuildKit's shell
lexer does for the instructions it expands (FROM, COPY, ADD, ENV, LABEL, ARG, WORKDIR, USER, ...).

Single-quoted text is not expanded; the escape character makes ``$`` literal.  Nested defaults
(``${A:-${B}}``) are found and expanded too, down to :data:`MAX_NESTING` levels.

Expansion is bounded: a result longer than :data:`MAX_VALUE` characters, or one that uses such a
value, or nesting past :data:`MAX_NESTING`, expands to :data:`TOO_LONG` instead (an ARG that doubles
the previous one 26 times would otherwise take gigabytes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

from dockerls.parse.bounds import MAX_NESTING, MAX_VALUE, TOO_LONG, TooLong, is_too_long, usable  # noqa: F401 (re-exported)

# BuildKit's automatic platform ARGs and the proxy ARGs every build knows.
PREDEFINED_ARGS = frozenset({
    "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT",
    "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT",
    "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy",
    "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
    "BUILDKIT_SYNTAX", "BUILDKIT_INLINE_CACHE", "BUILDKIT_MULTI_PLATFORM", "BUILDKIT_SANDBOX_HOSTNAME",
    "BUILDKIT_CONTEXT_KEEP_GIT_DIR", "SOURCE_DATE_EPOCH",
})




@dataclass(slots=True)
class VarRef:
    name: str
    start: int  # offsets in the string that was scanned
    end: int
    name_start: int
    name_end: int
    operator: str | None = None  # ":-", "-", ":+", "+", ":?", "?"
    word: str | None = None  # the default / alternative / error text, unexpanded
    braced: bool = False


def _is_name_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def find_refs(text: str, escape: str = "\\") -> list[VarRef]:
    """Every variable reference in ``text``, nested ones inside defaults included."""
    refs: list[VarRef] = []
    _scan(text, 0, len(text), escape, refs, 0)
    return refs


def _scan(text: str, i: int, end: int, escape: str, refs: list[VarRef], depth: int) -> None:
    """Record the references in ``text[i:end]``; ``depth`` < 0: only the outermost ones."""
    in_single = False
    while i < end:
        ch = text[i]
        if in_single:
            if ch == "'":
                in_single = False
            i += 1
            continue
        if ch == escape:
            i += 2
            continue
        if ch == "'":
            in_single = True
            i += 1
            continue
        if ch != "$" or i + 1 >= end:
            i += 1
            continue
        nxt = text[i + 1]
        if nxt == "{":
            i = _braced(text, i, end, escape, refs, depth)
        elif _is_name_char(nxt) and not nxt.isdigit():
            j = i + 1
            while j < end and _is_name_char(text[j]):
                j += 1
            refs.append(VarRef(text[i + 1 : j], i, j, i + 1, j))
            i = j
        else:
            i += 1


def _braced(text: str, i: int, end: int, escape: str, refs: list[VarRef], depth: int) -> int:
    """Parse ``${...}`` starting at ``i``; return the offset after it."""
    j = i + 2
    while j < end and _is_name_char(text[j]):
        j += 1
    name_start, name_end = i + 2, j
    operator = None
    for op in (":-", ":+", ":?", "-", "+", "?"):
        if text.startswith(op, j):
            operator = op
            j += len(op)
            break
    word_start = j
    braces = 1
    while j < end:
        ch = text[j]
        if ch == escape:
            j += 2
            continue
        if ch == "{":
            braces += 1
        elif ch == "}":
            braces -= 1
            if braces == 0:
                break
        j += 1
    close = min(j, end)
    ref = VarRef(text[name_start:name_end], i, min(close + 1, end), name_start, name_end, operator,
                 text[word_start:close] if operator else None, True)
    if name_end > name_start:
        refs.append(ref)
    if operator and 0 <= depth < MAX_NESTING:
        _scan(text, word_start, close, escape, refs, depth + 1)
    return close + 1


Lookup = Callable[[str], "str | None"]


def expand(text: str, env: Mapping[str, str | None] | Lookup, escape: str = "\\") -> str:
    """Expand references; an unknown variable expands to the empty string (as in BuildKit).

    Quotes and escapes are kept: this expands, it does not unquote.  A result past the bounds (see
    the module's docstring) is :data:`TOO_LONG`.
    """
    lookup: Lookup = env if callable(env) else (lambda name: env.get(name))
    try:
        return _expand(text, lookup, escape, 0)
    except TooLong:
        return TOO_LONG


def _expand(text: str, lookup: Lookup, escape: str, depth: int) -> str:
    refs: list[VarRef] = []
    _scan(text, 0, len(text), escape, refs, -1)
    if not refs:
        return text
    out = []
    pos = 0
    size = 0
    for ref in refs:
        literal = text[pos : ref.start]
        value = _value(ref, lookup, escape, depth)
        size += len(literal) + len(value)
        if size > MAX_VALUE:
            raise TooLong
        out.append(literal)
        out.append(value)
        pos = ref.end
    out.append(text[pos:])
    if size + len(text) - pos > MAX_VALUE:
        raise TooLong
    return "".join(out)


def _value(ref: VarRef, lookup: Lookup, escape: str, depth: int) -> str:
    op = ref.operator
    value = lookup(ref.name)
    if op in (":-", "-"):
        missing = value is None or (op == ":-" and value == "")
        if not missing:
            return usable(value)
    elif op in (":+", "+"):
        present = value is not None and (op == "+" or value != "")
        if not present:
            return ""
    else:
        return usable(value or "")
    if not ref.word:
        return ""
    if depth >= MAX_NESTING:
        raise TooLong
    return _expand(ref.word, lookup, escape, depth + 1)
