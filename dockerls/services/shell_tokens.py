"""Semantic tokens inside the shell a ``RUN`` (or shell-form ``CMD``/``ENTRYPOINT``) executes.

Command names are ``function``, options ``parameter`` and quoted parts of words ``string``;
variables are left to the Dockerfile index (they are its ``var_uses``).  Offsets come from the
shell model (:mod:`dockerls.shell`) and are mapped back into the document.  The exec form is not a
shell and gets nothing here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from dockerls.parse.dockerfile.model import Instruction
from dockerls.services.results import Token
from dockerls.shell import ShellWord, parse_shell_cached

SHELL_KEYWORDS = frozenset({"RUN", "CMD", "ENTRYPOINT"})


def shell_tokens(ins: Instruction) -> list[Token]:
    """Tokens of the shell ``ins`` runs, in document offsets (unsorted, possibly multi-line)."""
    if ins.keyword not in SHELL_KEYWORDS or ins.json is not None:
        return []
    words = ins.args_text.split()
    to_doc: Callable[[int], int]
    if ins.heredocs and len(words) == 1 and words[0].startswith("<<"):
        base = ins.heredocs[0].body_range.start_offset
        text = ins.heredocs[0].body
        to_doc = base.__add__  # the body is contiguous in the document
    else:
        text = ins.args_text
        to_doc = ins.doc_offset
    out: list[Token] = []
    for kind, start, end in _pieces(text):
        out.append(Token(to_doc(start), to_doc(end - 1) + 1, kind))
    return out


def _pieces(text: str) -> Iterator[tuple[str, int, int]]:
    """``(token type, start, end)`` in ``text`` for every command of its script."""
    for cmd in parse_shell_cached(text).commands:
        for word in cmd.assignments:
            yield from _strings(word)
        names = {id(cmd.words[0])} if cmd.words else set()
        inner = cmd.unwrapped()
        if inner is not cmd and inner.words:
            names.add(id(inner.words[0]))  # `sudo apt-get`: apt-get is a command name too
        options = True
        for word in cmd.words:
            if id(word) in names and not word.quoted:
                yield "function", word.start, word.end
                continue
            if word.value == "--":
                options = False
            elif options and not word.quoted and len(word.raw) > 1 and word.raw[0] == "-":
                eq = word.raw.find("=")
                yield "parameter", word.start, word.start + eq if eq > 1 else word.end
                continue
            yield from _strings(word)
        for word in cmd.redirects:
            yield from _strings(word)


def _strings(word: ShellWord) -> Iterator[tuple[str, int, int]]:
    """The quoted parts of ``word``: ``'..'``, ``".."`` and ``$'..'``, quotes included."""
    if not word.quoted:
        return
    raw, i, n = word.raw, 0, len(word.raw)
    while i < n:
        ch = raw[i]
        if ch == "\\":
            i += 2
            continue
        if ch in "'\"":
            start = i - 1 if i > 0 and ch == "'" and raw[i - 1] == "$" else i
            j = i + 1
            while j < n and raw[j] != ch:
                j += 2 if raw[j] == "\\" and ch == '"' else 1
            end = min(j + 1, n)
            yield "string", word.start + start, word.start + end
            i = end
            continue
        i += 1
