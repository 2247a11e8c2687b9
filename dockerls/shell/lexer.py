"""Reading words: quotes, escapes, ``$..`` and backticks, with offsets (see :mod:`dockerls.shell.parser`).

:class:`Lexer` reads one word at a time from an offset; the nested scripts a word can hold
(``$(..)``, ``<(..)``, backticks) are handed to :meth:`Lexer.command_subst` and
:meth:`Lexer.backtick`, which the parser implements.
"""

from __future__ import annotations

import re
from typing import Protocol, cast

from dockerls.shell.model import ShellWord

MAX_NESTING = 50
MAX_ERRORS = 100


class _Matching(Protocol):
    """A pattern that matches at every offset it is used at (it can match empty, or the caller
    has checked that one starts there), so ``match`` needs no ``None`` check."""

    def match(self, string: str, pos: int = ..., endpos: int = ...) -> re.Match[str]: ...


def _always(pattern: str, flags: int = 0) -> _Matching:
    return cast(_Matching, re.compile(pattern, flags))


_EXACT, _OPAQUE, _SUBST = 0, 1, 2  # how the characters of a value piece map back to the text

_DELIMS = frozenset(" \t\r\n|&;()<>")
_SPACES = frozenset(" \t\r\n")
# A blank-separated word of ordinary characters only (the common case), read in one go.
_FAST_WORD = re.compile(r"[ \t]*([^ \t\r\n|&;()<>'\"\\$`#0-9][^ \t\r\n|&;()<>'\"\\$`]*)(?=[ \t\r\n|&;)<>]|\Z)")
_WORD_PLAIN = re.compile(r"[^ \t\r\n|&;()<>'\"\\$`]+")
_SPLIT_PLAIN = re.compile(r"[^ \t\r\n'\"\\$`]+")
_DQ_PLAIN = re.compile(r'[^"\\$`]+')
_PARAM_PLAIN = re.compile(r"[^}'\"\\$`]+")
_NEST_PLAIN = re.compile(r"[^()'\"\\`]+")
_BACKTICK_SCAN = _always(r"[^`\\]*")
_DQ_SKIP = _always(r'"[^"\\]*(?:\\.[^"\\]*)*"?', re.S)
_BT_SKIP = _always(r"`[^`\\]*(?:\\.[^`\\]*)*`?", re.S)
_ANSI_BODY = _always(r"[^'\\]*(?:\\.[^'\\]*)*", re.S)
# A continuation, and the comment or blank lines after it that the Dockerfile parser drops.
_CONT = r"\\\r?\n(?:[ \t]*(?:#[^\n]*)?\r?\n)*"
_CONT_RE = re.compile(_CONT)
_BLANKS = _always(rf"(?:[ \t\r]+|{_CONT}|#[^\n]*)*")
_BLANKS_NL = _always(rf"(?:[ \t\r\n]+|{_CONT}|#[^\n]*)*")
_SPLIT_SPACE = _always(rf"(?:[ \t\r\n]+|{_CONT})*")
_OP = _always(r";;&|;;|;&|&&|\|\||\|&|&>>|&>|[;&|()<>]")
_REDIR = re.compile(r"\d*(?:<<<|<<-|<<|<&|<>|>>|>&|>\||&>>|&>|<(?!\()|>(?!\())")
_REDIR_FIRST = frozenset("0123456789<>&")
_COND_OP = _always(r"&&|\|\||[|&()<>]")
_KEYWORD = re.compile(
    r"(?:if|then|else|elif|fi|do|done|case|esac|while|until|for|select|function|\{|\}|!|\[\[)"
    r"(?=[ \t\r\n;&|()<>]|\Z)"
)
_KEYWORD_FIRST = frozenset("itefdcwus{}![")
_IN = re.compile(r"in(?=[ \t\r\n;&|()<>]|\Z)")
_VAR = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-]")
_ASSIGN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=")
_ARRAY_ASSIGN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\+?=")
_FUNC_PARENS = re.compile(r"\([ \t]*\)")
_ANSI_ESC = re.compile(r"\\(x[0-9A-Fa-f]{1,2}|u[0-9A-Fa-f]{1,4}|U[0-9A-Fa-f]{1,8}|[0-7]{1,3}|c.|.)", re.S)
_ANSI_SIMPLE = {
    "a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b", "f": "\f", "n": "\n", "r": "\r", "t": "\t",
    "v": "\v", "\\": "\\", "'": "'", '"': '"', "?": "?", "\n": "",
}

_NO_STOPS: frozenset = frozenset()  # no stop words, no skipped offsets


def _decode_ansi(body: str) -> str:
    def one(m: re.Match) -> str:
        s = m.group(1)
        if s[0] in "xuU" and len(s) > 1:
            code = int(s[1:], 16)
        elif s[0] in "01234567":
            code = int(s, 8)
        elif s[0] == "c" and len(s) == 2:
            code = ord(s[1]) & 0x1F
        else:
            return _ANSI_SIMPLE.get(s, m.group())
        return chr(code) if code <= 0x10FFFF else m.group()

    return _ANSI_ESC.sub(one, body)


class Lexer:
    """Word-level reading of ``text``; every helper takes an offset and returns the offset after."""

    def __init__(self, text: str, *, nest=0, quiet=0, skip=_NO_STOPS, max_nest=MAX_NESTING):
        self.text = text
        self.n = len(text)
        self.nest = nest  # recursion guard: every nested construct counts
        self.max_nest = max_nest
        self.quiet = quiet  # > 0: re-reading text already recorded; record nothing
        self.skip = skip  # offsets of `$`/backtick constructs the outer shell already parsed
        self.errors: list[tuple[int, str]] = []
        self.no_arith = False  # set after an unbalanced `((`: stop rescanning for `))`
        self.segs: list | None = None  # collects value pieces while re-reading a `sh -c` word
        self.plain = _WORD_PLAIN
        self.delims = _DELIMS
        self.split_mode = False

    def error(self, offset: int, message: str) -> None:
        if self.quiet:
            return
        if len(self.errors) < MAX_ERRORS:
            self.errors.append((offset, message))
        elif len(self.errors) == MAX_ERRORS:
            self.errors.append((offset, "too many errors; the rest are not reported"))

    # ---- nested scripts, parsed by the subclass

    def command_subst(self, inner: int, open_pos: int, label: str) -> int:
        """``$(..)``, ``<(..)``, ``>(..)``: returns the offset after ``)``."""
        raise NotImplementedError

    def backtick(self, pos: int, in_dquote: bool) -> int:
        """A backtick substitution at ``pos``: returns the offset after it."""
        raise NotImplementedError

    # ---- words

    def read_word(self, pos: int) -> tuple[ShellWord, int]:
        """Read one word at ``pos`` (not a delimiter); returns it and the offset after it."""
        text, n, plain, delims = self.text, self.n, self.plain, self.delims
        m = plain.match(text, pos)
        if m and self.segs is None:  # fast path: most words are plain characters only
            end = m.end()
            if end >= n or (text[end] in delims and text[end] != "("):
                value = m.group()
                return ShellWord(value, value, pos, end), end
        segs, self.segs = self.segs, None  # only the outermost word of a re-read collects pieces
        start = pos
        parts: list[str] = []
        quoted = expansion = False
        while pos < n:
            m = plain.match(text, pos)
            if m:
                end = m.end()
                parts.append(m.group())
                if segs is not None:
                    segs.append((m.group(), pos, end, _EXACT))
                pos = end
                if pos >= n:
                    break
            c = text[pos]
            if c in delims:
                if c == "(" and _ARRAY_ASSIGN.fullmatch(text, start, pos):  # a=(1 2 3)
                    end = self.skip_parens(pos + 1, 1, pos)
                    kind = _EXACT
                elif pos == start and c in "<>" and text.startswith("(", pos + 1):
                    end = self.command_subst(pos + 2, pos, c + "(")
                    kind, expansion = _SUBST, True
                else:
                    break
                parts.append(text[pos:end])
                if segs is not None:
                    segs.append((text[pos:end], pos, end, kind))
                pos = end
            elif c == "'":
                quoted = True
                pos = self.read_single(pos, parts, segs)
            elif c == '"':
                quoted = True
                pos, exp = self.read_dquote(pos, parts, segs)
                expansion = expansion or exp
            elif c == "\\":
                m = _CONT_RE.match(text, pos)
                if m:
                    pos = m.end()
                elif pos + 1 < n:
                    quoted = True
                    parts.append(text[pos + 1])
                    if segs is not None:
                        segs.append((text[pos + 1], pos, pos + 2, _OPAQUE))
                    pos += 2
                else:
                    parts.append("\\")
                    if segs is not None:
                        segs.append(("\\", pos, pos + 1, _EXACT))
                    pos += 1
            elif c == "$":
                pos, q, exp = self.read_dollar(pos, False, parts, segs)
                quoted, expansion = quoted or q, expansion or exp
            else:  # backtick
                end = self.backtick(pos, False)
                parts.append(text[pos:end])
                if segs is not None:
                    segs.append((text[pos:end], pos, end, _SUBST))
                pos, expansion = end, True
        self.segs = segs
        if pos == start and start < n:  # never return an empty word: callers would loop
            pos += 1
            parts.append(text[start])
        return ShellWord("".join(parts), text[start:pos], start, pos, quoted, expansion), pos

    def read_single(self, pos: int, parts: list[str], segs) -> int:
        text = self.text
        close = text.find("'", pos + 1)
        if close < 0:
            self.error(pos, "unterminated single quote")
            close = end = self.n
        else:
            end = close + 1
        s = pos + 1
        if text.find("\\", s, close) >= 0:
            for m in _CONT_RE.finditer(text, s, close):
                self.add_piece(text[s : m.start()], s, parts, segs)
                s = m.end()
        self.add_piece(text[s:close], s, parts, segs)
        return end

    @staticmethod
    def add_piece(piece: str, start: int, parts: list[str], segs) -> None:
        parts.append(piece)
        if segs is not None:
            segs.append((piece, start, start + len(piece), _EXACT))

    def read_dquote(self, pos: int, parts: list[str], segs) -> tuple[int, bool]:
        """A ``"..."`` string at ``pos``; returns the offset after it and whether it expands."""
        text, n = self.text, self.n
        start = pos
        pos += 1
        expansion = False
        while pos < n:
            m = _DQ_PLAIN.match(text, pos)
            if m:
                self.add_piece(m.group(), pos, parts, segs)
                pos = m.end()
                continue
            c = text[pos]
            if c == '"':
                return pos + 1, expansion
            if c == "\\":
                m = _CONT_RE.match(text, pos)
                nxt = text[pos + 1 : pos + 2]
                if m:
                    pos = m.end()
                elif nxt and nxt in '$`"\\':
                    parts.append(nxt)
                    if segs is not None:
                        segs.append((nxt, pos, pos + 2, _OPAQUE))
                    pos += 2
                else:
                    self.add_piece("\\", pos, parts, segs)
                    pos += 1
            elif c == "$":
                pos, _, exp = self.read_dollar(pos, True, parts, segs)
                expansion = expansion or exp
            else:
                end = self.backtick(pos, True)
                parts.append(text[pos:end])
                if segs is not None:
                    segs.append((text[pos:end], pos, end, _SUBST))
                pos, expansion = end, True
        self.error(start, "unterminated double quote")
        return n, expansion

    def read_dollar(self, pos: int, in_dquote: bool, parts: list[str], segs) -> tuple[int, bool, bool]:
        """``$...`` at ``pos``; returns (offset after it, quoted, expands)."""
        text, n = self.text, self.n
        nxt = text[pos + 1] if pos + 1 < n else ""
        kind, expansion = _SUBST, True
        if nxt == "(":
            end = self.arith_end(pos + 3) if text.startswith("((", pos + 1) else None
            if end is None:
                end = self.command_subst(pos + 2, pos, "$(")
        elif nxt == "{":
            end = self.param(pos + 2, pos, in_dquote)
        elif nxt == "'" and not in_dquote:
            return self.read_ansi(pos, parts, segs), True, False
        elif nxt == '"' and not in_dquote:
            end, expansion = self.read_dquote(pos + 1, parts, segs)
            return end, True, expansion
        else:
            m = _VAR.match(text, pos + 1)
            end = m.end() if m else pos + 1
            kind, expansion = _EXACT, m is not None
        parts.append(text[pos:end])
        if segs is not None:
            segs.append((text[pos:end], pos, end, kind))
        return end, False, expansion

    def read_ansi(self, pos: int, parts: list[str], segs) -> int:
        """``$'...'`` with its C escapes decoded."""
        text, n = self.text, self.n
        body_start = pos + 2
        body_end = _ANSI_BODY.match(text, body_start).end()
        if body_end < n and text[body_end] == "'":
            end = body_end + 1
        else:
            self.error(pos, "unterminated $' string")
            body_end = end = n
        body = text[body_start:body_end]
        if "\\" not in body:
            self.add_piece(body, body_start, parts, segs)
            return end
        pos = body_start
        for m in _ANSI_ESC.finditer(text, body_start, body_end):
            self.add_piece(text[pos : m.start()], pos, parts, segs)
            char = _decode_ansi(m.group())
            parts.append(char)
            if segs is not None:
                segs.append((char, m.start(), m.end(), _OPAQUE))
            pos = m.end()
        self.add_piece(text[pos:body_end], pos, parts, segs)
        return end

    def param(self, pos: int, open_pos: int, in_dquote: bool) -> int:
        """``${...}``: returns the offset after the closing brace."""
        text, n = self.text, self.n
        if self.nest >= self.max_nest:
            self.error(open_pos, "nesting too deep; not parsed")
            close = text.find("}", pos)
            return n if close < 0 else close + 1
        quiet = open_pos in self.skip
        self.nest += 1
        self.quiet += quiet
        end = -1
        while pos < n:
            m = _PARAM_PLAIN.match(text, pos)
            if m:
                pos = m.end()
                continue
            c = text[pos]
            if c == "}":
                end = pos + 1
                break
            if c == "\\":
                pos += 2
            elif c == "'":
                close = text.find("'", pos + 1) if not in_dquote else pos
                pos = n if close < 0 else close + 1
            elif c == '"':
                pos, _ = self.read_dquote(pos, [], None)
            elif c == "$":
                pos, _, _ = self.read_dollar(pos, in_dquote, [], None)
            else:
                pos = self.backtick(pos, in_dquote)
        self.quiet -= quiet
        self.nest -= 1
        if end < 0:
            self.error(open_pos, "unterminated ${")
            return n
        return end

    def backtick_pieces(self, pos: int, end: int, in_dquote: bool) -> list:
        """Backtick content with ``\\```, ``\\\\``, ``\\$`` (and ``\\"`` in double quotes) unescaped."""
        text = self.text
        segs: list = []
        while pos < end:
            j = text.find("\\", pos, end)
            if j < 0:
                segs.append((text[pos:end], pos, end, _EXACT))
                break
            if j > pos:
                segs.append((text[pos:j], pos, j, _EXACT))
            nxt = text[j + 1 : j + 2] if j + 1 < end else ""
            m = _CONT_RE.match(text, j)
            if m:
                pos = m.end()
            elif nxt and (nxt in "\\`$" or (in_dquote and nxt == '"')):
                segs.append((nxt, j, j + 2, _OPAQUE))
                pos = j + 2
            else:
                segs.append(("\\", j, j + 1, _EXACT))
                pos = j + 1
        return segs

    # ---- bracket scans (no recursion: used past MAX_NESTING and for arithmetic)

    def scan_parens(self, pos: int, depth: int) -> tuple[int, int]:
        """Find where ``depth`` open parens close: (offset after, offset of the ``)`` that left one
        open), or (-1, ..) at EOF.  Quotes and backslashes are respected."""
        text, n = self.text, self.n
        one_left = -1
        while pos < n:
            m = _NEST_PLAIN.match(text, pos)
            if m:
                pos = m.end()
                if pos >= n:
                    break
            c = text[pos]
            if c == "(":
                depth += 1
                pos += 1
            elif c == ")":
                depth -= 1
                pos += 1
                if depth == 1:
                    one_left = pos - 1
                elif depth <= 0:
                    return pos, one_left
            elif c == "'":
                close = text.find("'", pos + 1)
                pos = n if close < 0 else close + 1
            elif c == '"':
                pos = _DQ_SKIP.match(text, pos).end()
            elif c == "\\":
                pos += 2
            else:
                pos = _BT_SKIP.match(text, pos).end()
        return -1, one_left

    def skip_parens(self, pos: int, depth: int, open_pos: int) -> int:
        end, _ = self.scan_parens(pos, depth)
        if end < 0:
            self.error(open_pos, "missing ')'")
            return self.n
        return end

    def arith_end(self, inner: int) -> int | None:
        """End of ``((..))`` / ``$((..))`` when it is arithmetic, ``None`` when it is ``( (..) ..)``."""
        if self.no_arith:
            return None
        end, one_left = self.scan_parens(inner, 2)
        if end < 0:
            self.no_arith = True  # unbalanced: every later `((` would scan to EOF again
            return None
        return end if one_left == end - 2 else None

