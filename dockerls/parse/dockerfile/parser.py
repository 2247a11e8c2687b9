"""The Dockerfile parser: logical lines from the lexer become ranged instructions and stages.

It never raises: whatever is wrong with the input becomes a :class:`Problem` on the model.
How arguments are read per instruction mirrors BuildKit's dispatch table (``line_parsers.go``):
JSON-or-string for RUN/CMD/ENTRYPOINT/SHELL, JSON-or-words for COPY/ADD/VOLUME, ``key=value``
pairs with the legacy ``key value`` form for ENV/LABEL, and so on.
"""

from __future__ import annotations

import difflib
import json
from typing import Callable

from dockerls.parse.dockerfile import problems as P
from dockerls.parse.dockerfile import shift
from dockerls.parse.dockerfile.decode import decode
from dockerls.parse.dockerfile.image import parse_image_ref
from dockerls.parse.dockerfile.lexer import HEREDOC_INSTRUCTIONS, LogicalLine, find_heredoc_markers, lex
from dockerls.parse.dockerfile.model import (
    Comment,
    Directive,
    Dockerfile,
    Flag,
    Heredoc,
    Instruction,
    KeyValue,
    Problem,
    Stage,
    Word,
)
from dockerls.text import LineIndex, map_offset

INSTRUCTIONS = (
    "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL",
    "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
)
_JSON_OR_STRING = frozenset({"RUN", "CMD", "ENTRYPOINT", "SHELL"})
_JSON_OR_WORDS = frozenset({"COPY", "ADD", "VOLUME"})
_PAIRS = frozenset({"ENV", "LABEL"})
_WHOLE_STRING = frozenset({"MAINTAINER", "WORKDIR", "USER", "STOPSIGNAL"})
# Instructions that BuildKit rejects without arguments.
_NEEDS_ARGS = frozenset({"FROM", "RUN", "COPY", "ADD", "ENV", "LABEL", "ARG", "WORKDIR", "USER",
                         "STOPSIGNAL", "MAINTAINER", "SHELL", "EXPOSE", "VOLUME", "ONBUILD"})

_QUOTE_AWARE = frozenset({"ENV", "LABEL", "ARG", "RUN", "CMD", "ENTRYPOINT", "SHELL", "HEALTHCHECK"})

_NOT_STRING_ARRAY = object()


def parse_dockerfile(source: bytes | str, path: str | None = None, previous: Dockerfile | None = None) -> Dockerfile:
    """Parse a Dockerfile from bytes or text.  Never raises.

    ``previous``, an earlier parse of the same document (the language server's last version),
    lets the instructions before the first changed line be taken over rather than parsed again:
    the lexer reads forward only, so an instruction that ends before the line where the next one
    starts, with every line up to there unchanged, comes out the same."""
    decoded = decode(source)
    text = decoded.text
    lines = LineIndex(text)
    problems: list[Problem] = []
    if decoded.binary:
        nul = text.find("\x00")
        problems.append(Problem(P.BINARY_FILE, "This is a binary file (it holds NUL bytes), not a Dockerfile",
                                lines.range(nul, nul + 1)))
        return Dockerfile(text, lines, [], [], [], [], problems, path=path, is_binary=True)
    if decoded.invalid_utf8_at is not None:
        at = text.find("\ufffd")
        at = max(at, 0)
        problems.append(Problem(P.INVALID_UTF8, f"The file is not valid UTF-8 (first bad byte at byte offset "
                                f"{decoded.invalid_utf8_at}); it was read with replacement characters",
                                lines.range(at, at + 1), "warning"))
    return _Builder(text, lines, problems, path).build(previous)


class _Builder:
    def __init__(self, text: str, lines: LineIndex, problems: list[Problem], path: str | None):
        self.text = text
        self.lines = lines
        self.problems = problems
        self.path = path
        self.escape = "\\"

    def rng(self, start: int, end: int):
        return self.lines.range(start, end)

    def span(self, doc, start: int, end: int):
        """The document range of ``[start, end)`` of a joined logical line (``doc`` maps offsets)."""
        if end <= start:
            at = doc(start)
            return self.rng(at, at)
        return self.rng(doc(start), doc(end - 1) + 1)

    def problem(self, code: str, message: str, start: int, end: int, severity: str = "error") -> None:
        self.problems.append(Problem(code, message, self.rng(start, end), severity))

    def build(self, previous: Dockerfile | None = None) -> Dockerfile:
        kept = _unchanged_prefix(previous, self.text, self.lines)
        tail = _unchanged_suffix(previous, self.text, self.lines)
        stops = frozenset(tail.by_line) if tail is not None else frozenset()
        if kept and previous is not None:  # (kept implies previous)
            lexed = lex(self.text, self.lines, kept.from_line, previous.escape, stops)
            directives = previous.directives
        else:
            lexed = lex(self.text, self.lines, stop_lines=stops)
            if lexed.stopped_at is not None and previous is not None and lexed.escape != previous.escape:
                lexed = lex(self.text, self.lines)  # the escape directive changed: every line reads anew
            directives = self._directives(lexed)
        self.escape = lexed.escape
        comments = [self._comment(n, False) for n in lexed.comment_lines if n >= len(lexed.directives)]
        instructions: list[Instruction] = []
        stages: list[Stage] = []

        def add(ins: Instruction) -> None:
            if ins.keyword == "FROM":
                ins.stage_index = len(stages)
                stages.append(Stage(len(stages), ins.stage_name.value if ins.stage_name else None, ins, []))
            if stages:
                stages[-1].instructions.append(ins)
            instructions.append(ins)

        if kept:
            comments[:0] = kept.comments
            self.problems.extend(kept.problems)
            for ins in kept.instructions:
                add(ins)
        for ll in lexed.logical_lines:
            comments.extend(self._comment(n, True) for n in ll.comment_lines)
            # BuildKit trims the joined line: a first line holding only the escape leaves the
            # next line's indentation in front of the keyword.
            at = len(ll.text) - len(ll.text.lstrip())
            add(self._instruction(ll, ll.text, at, len(stages) - 1, len(instructions)))
        if tail is not None and lexed.stopped_at is not None:
            # The rest is the previous version's text, moved: its instructions, moved.
            delta, moved_lines = tail.delta, tail.lines
            for ins in tail.instructions[tail.by_line[lexed.stopped_at]:]:
                add(shift.instruction(ins, delta, moved_lines, len(stages) - 1, len(instructions), self._deferred_words))
            cut = tail.previous.lines.line_starts[lexed.stopped_at - moved_lines]
            comments.extend(shift.comment(c, delta, moved_lines) for c in tail.previous.comments
                            if c.range.start_offset >= cut)
            self.problems.extend(shift.problem(p, delta, moved_lines) for p in tail.previous.problems
                                 if p.range.start_offset >= cut and p.code not in _FILE_PROBLEMS)
        comments.sort(key=lambda c: c.range.start_offset)
        if not instructions:
            self.problem(P.NO_INSTRUCTIONS, "The Dockerfile has no instructions", 0, 0)
        return Dockerfile(self.text, self.lines, instructions, stages, directives, comments, self.problems,
                          escape=self.escape, path=self.path)

    def _directives(self, lexed) -> list[Directive]:
        directives = [
            Directive(d.name, d.value, self.rng(d.name_start - 1, d.value_end), self.rng(d.name_start, d.name_end),
                      self.rng(d.value_start, d.value_end))
            for d in lexed.directives
        ]
        for d in directives:  # the '#' belongs to the directive's range
            start = self.lines.line_starts[d.range.start.line]
            d.range = self.rng(start, d.range.end_offset)
        for d in lexed.duplicate_directives:
            self.problem(P.SYNTAX, f"Only one '{d.name}' parser directive can be used", d.name_start, d.value_end)
        for d in lexed.directives:
            if d.name == "escape" and d.value not in ("\\", "`"):
                self.problem(P.SYNTAX, f"Invalid escape token '{d.value}' does not match ` or \\",
                             d.value_start, d.value_end)
        return directives

    def _comment(self, line: int, in_continuation: bool) -> Comment:
        content = self.lines.line_text(line)
        start = self.lines.line_starts[line] + (len(content) - len(content.lstrip()))
        body = content.strip()[1:].strip()
        return Comment(body, self.rng(start, self.lines.line_starts[line] + len(content.rstrip())), in_continuation)

    # -- instructions --------------------------------------------------------------------------

    def _instruction(self, ll: LogicalLine, text: str, at: int, stage: int, index: int) -> Instruction:
        """Build the instruction whose keyword starts at ``at`` in the logical line ``text``."""
        seg = ll.segments
        doc = lambda i: map_offset(seg, i, ll.start)  # noqa: E731
        kw_end = at
        while kw_end < len(text) and not text[kw_end].isspace():
            kw_end += 1
        keyword_text = text[at:kw_end]
        keyword = keyword_text.upper()
        pos = _skip_space(text, kw_end)
        flags, pos = self._flags(text, pos, doc)
        args = text[pos:]
        args_range = self.span(doc, pos, len(text)) if args else None
        end = ll.heredocs[-1].body_end if ll.heredocs else ll.end
        if ll.heredocs and ll.heredocs[-1].terminator:
            end = ll.heredocs[-1].terminator[1]
        ins = Instruction(
            keyword=keyword, keyword_text=keyword_text, range=self.rng(doc(at), end),
            keyword_range=self.span(doc, at, kw_end), flags=flags, args_text=args,
            args_range=args_range, json=None, heredocs=[], stage_index=stage, index=index,
            segments=[(j - pos, d, n) for j, d, n in _shift_segments(seg, pos)],
            empty_continuation_lines=ll.empty_continuation_lines,
            continuations=ll.continuations,
        )
        if keyword not in INSTRUCTIONS:
            guess = difflib.get_close_matches(keyword, INSTRUCTIONS, 1, 0.6)
            hint = f" (did you mean {guess[0]}?)" if guess else ""
            self.problem(P.UNKNOWN_INSTRUCTION, f"Unknown instruction: {keyword_text}{hint}",
                         ins.keyword_range.start_offset, ins.keyword_range.end_offset)
        if keyword == "ONBUILD":
            self._onbuild(ins, ll, text, pos, stage, index)
        else:
            self._arguments(ins, ll, args, pos, doc)
        if keyword in _NEEDS_ARGS and not args and not ins.heredocs:
            self.problem(P.SYNTAX, f"{keyword} requires at least one argument",
                         ins.keyword_range.start_offset, ins.keyword_range.end_offset)
        return ins

    def _flags(self, text: str, pos: int, doc) -> tuple[list[Flag], int]:
        flags: list[Flag] = []
        while text.startswith("--", pos):
            end = _word_end(text, pos, self.escape)
            word = text[pos:end]
            if word == "--":
                return flags, _skip_space(text, end)
            eq = word.find("=")
            name = word[2:] if eq == -1 else word[2:eq]
            value = None if eq == -1 else _unquote(word[eq + 1 :], self.escape)
            name_end = pos + 2 + len(name)
            flags.append(Flag(
                name, value, self.span(doc, pos, end), self.span(doc, pos + 2, name_end),
                self.span(doc, name_end + 1, end) if eq != -1 else None, word,
            ))
            pos = _skip_space(text, end)
        return flags, pos

    def _onbuild(self, ins: Instruction, ll: LogicalLine, text: str, pos: int, stage: int, index: int) -> None:
        if pos >= len(text):
            return
        inner = self._instruction(ll, text, pos, stage, index)
        if inner.keyword in ("ONBUILD", "FROM", "MAINTAINER"):
            self.problem(P.SYNTAX, f"{inner.keyword} isn't allowed as an ONBUILD trigger",
                         inner.keyword_range.start_offset, inner.keyword_range.end_offset)
        ins.inner = inner
        ins.heredocs = inner.heredocs

    def _arguments(self, ins: Instruction, ll: LogicalLine, args: str, base: int, doc) -> None:
        kw = ins.keyword
        if kw in _JSON_OR_STRING or kw in _JSON_OR_WORDS or kw == "HEALTHCHECK":
            json_base = base
            if kw == "HEALTHCHECK":
                first = _split_whitespace(args)[:1]
                json_base = base + (_skip_space(args, first[0][1]) if first else 0)
            json_args = args[json_base - base :]
            parsed = _parse_json_array(json_args)
            if parsed is _NOT_STRING_ARRAY:
                self.problem(P.SYNTAX, f"{kw} arguments in JSON form must be strings",
                             doc(json_base), doc(base + len(args) - 1) + 1)
            elif parsed is not None:
                ins.json = parsed
                elements = self._json_elements(json_args, json_base, doc)
                head = self._words(args[: json_base - base], base, doc, True) if kw == "HEALTHCHECK" else []
                ins.words = head + elements
        if ins.json is None and kw in _JSON_OR_STRING:
            # Shell-form words are for editor features, not rules (those read the parsed shell):
            # built on first use, since splitting every RUN costs most of a parse.
            ins.set_words_factory(lambda: self._words(args, base, doc, True))
        elif ins.json is None:
            # BuildKit groups quoted words only for ENV, LABEL, ARG and the shell forms; COPY, ADD,
            # VOLUME, EXPOSE, FROM... split on whitespace alone (quotes are removed per word later).
            ins.words = self._words(args, base, doc, kw in _QUOTE_AWARE)
        words = ins.words if kw in _PAIRS or kw in ("ARG", "FROM") else []
        if kw in HEREDOC_INSTRUCTIONS and ll.heredocs and ins.json is None:
            ins.heredocs = [self._heredoc(h) for h in ll.heredocs]
            for h in ins.heredocs:
                if not h.terminated:
                    self.problem(P.UNTERMINATED_HEREDOC, f"Heredoc '{h.name}' is not terminated: no line "
                                 f"'{h.name}' follows", h.name_range.start_offset, h.name_range.end_offset)
        if kw in _PAIRS:
            ins.pairs = self._pairs(ins, args, base, words, doc)
        elif kw == "ARG":
            ins.pairs = [self._pair(w, start, base, doc) for w, (start, _) in zip(words, _split_words(args, self.escape))]
        elif kw == "FROM":
            self._from(ins, words)

    def _heredoc(self, h) -> Heredoc:
        return Heredoc(
            name=h.name, name_range=self.rng(h.marker_start, h.marker_end), strip_tabs=h.strip_tabs,
            quoted=h.quoted, body=self.text[h.body_start : h.body_end], body_range=self.rng(h.body_start, h.body_end),
            terminator_range=self.rng(*h.terminator) if h.terminator else None, terminated=h.terminator is not None,
        )

    def _deferred_words(self, ins: Instruction) -> Callable[[], list[Word]]:
        """What makes the shell-form words of a moved instruction whose words were deferred, as
        :meth:`_arguments` would (from the instruction's own arguments and segments)."""
        args, segments, default = ins.args_text, ins.segments, ins.range.end_offset  # not ``ins``: no cycle
        return lambda: self._words(args, 0, lambda i: map_offset(segments, i, default), True)

    def _words(self, args: str, base: int, doc, quote_aware: bool) -> list[Word]:
        out = []
        spans = _split_words(args, self.escape) if quote_aware else _split_whitespace(args)
        for start, end in spans:
            raw = args[start:end]
            out.append(Word(_unquote(raw, self.escape), raw, self.span(doc, base + start, base + end)))
        return out

    def _json_elements(self, args: str, base: int, doc) -> list[Word]:
        out = []
        i, n = 0, len(args)
        while i < n:
            if args[i] == '"':
                j = i + 1
                while j < n and args[j] != '"':
                    j += 2 if args[j] == "\\" else 1
                raw = args[i : j + 1]
                try:
                    value = json.loads(raw)
                except ValueError:
                    value = raw[1:-1]
                out.append(Word(value, raw, self.rng(doc(base + i), doc(base + j) + 1)))
                i = j + 1
            else:
                i += 1
        return out

    def _pairs(self, ins: Instruction, args: str, base: int, words: list[Word], doc) -> list[KeyValue]:
        if not words:
            return []
        first = words[0]
        if "=" not in first.raw:  # legacy "ENV key value"
            key_end = len(first.raw)
            value_start = _skip_space(args, key_end)
            if value_start >= len(args):
                self.problem(P.SYNTAX, f"{ins.keyword} must have two arguments: {ins.keyword} {first.raw} "
                             "has no value", ins.range.start_offset, ins.range.end_offset)
                return [KeyValue(first.raw, None, None, first.range, first.range, None, legacy=True)]
            raw_value = args[value_start:]
            vrange = self.span(doc, base + value_start, base + len(args))
            return [KeyValue(first.raw, _unquote(raw_value, self.escape), raw_value,
                             self.rng(first.range.start_offset, vrange.end_offset), first.range, vrange, legacy=True)]
        pairs = []
        for w, (start, _) in zip(words, _split_words(args, self.escape)):
            if "=" not in w.raw:
                self.problem(P.SYNTAX, f"Syntax error: can't find = in '{w.raw}'; the form is name=value",
                             w.range.start_offset, w.range.end_offset)
                continue
            pairs.append(self._pair(w, start, base, doc))
        return pairs

    def _pair(self, w: Word, start: int, base: int, doc) -> KeyValue:
        """``key=value`` (or a bare ``key`` for ARG) from a word starting at ``start`` in the args."""
        eq = w.raw.find("=")
        if eq == -1:
            return KeyValue(w.value, None, None, w.range, w.range, None)
        s, e = w.range.start_offset, w.range.end_offset
        key_range = self.rng(s, doc(base + start + eq - 1) + 1) if eq else self.rng(s, s)
        raw_value = w.raw[eq + 1 :]
        vstart = doc(base + start + eq + 1) if raw_value else e
        return KeyValue(_unquote(w.raw[:eq], self.escape), _unquote(raw_value, self.escape), raw_value, w.range,
                        key_range, self.rng(vstart, e))

    def _from(self, ins: Instruction, words: list[Word]) -> None:
        if not words:
            return
        image = words[0]
        ins.image = parse_image_ref(image.raw, image.range.start_offset, self.lines)
        if len(words) >= 2 and words[1].value.lower() == "as":
            ins.as_range = words[1].range
            if len(words) >= 3:
                ins.stage_name = words[2]
        if len(words) not in (1, 3) or (len(words) == 3 and ins.as_range is None):
            self.problem(P.SYNTAX, "FROM takes an image and optionally 'AS name'",
                         ins.range.start_offset, ins.range.end_offset)


def _shift_segments(segments, pos):
    """Segments of a logical line re-based so that joined offset ``pos`` becomes 0."""
    out = []
    for joined, doc, length in segments:
        if joined + length <= pos:
            continue
        if joined < pos:
            cut = pos - joined
            out.append((pos, doc + cut, length - cut))
        else:
            out.append((joined, doc, length))
    return out


def _skip_space(text: str, i: int) -> int:
    n = len(text)
    while i < n and text[i] in " \t\r\n\f\v":
        i += 1
    return i


def _word_end(text: str, i: int, escape: str) -> int:
    """End of the quote-aware word starting at ``i`` (BuildKit's parseWords rules)."""
    n = len(text)
    quote = ""
    while i < n:
        ch = text[i]
        if quote:
            if ch == quote:
                quote = ""
            elif ch == escape and quote != "'":
                i += 1
        elif ch in " \t\r\n\f\v":
            return i
        elif ch in "'\"":
            quote = ch
        elif ch == escape:
            i += 1
        i += 1
    return min(i, n)


def _split_words(text: str, escape: str) -> list[tuple[int, int]]:
    spans = []
    i = _skip_space(text, 0)
    n = len(text)
    while i < n:
        end = _word_end(text, i, escape)
        spans.append((i, end))
        i = _skip_space(text, end)
    return spans


def _split_whitespace(text: str) -> list[tuple[int, int]]:
    spans = []
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i].isspace():
            i += 1
        j = i
        while j < n and not text[j].isspace():
            j += 1
        if j > i:
            spans.append((i, j))
        i = j
    return spans


def _unquote(raw: str, escape: str) -> str:
    """Remove quotes and resolve escapes the way the shell-ish Dockerfile word rules do."""
    if "'" not in raw and '"' not in raw and escape not in raw:
        return raw
    out = []
    quote = ""
    i, n = 0, len(raw)
    while i < n:
        ch = raw[i]
        if quote:
            if ch == quote:
                quote = ""
            elif ch == escape and quote == '"' and i + 1 < n and raw[i + 1] in ('"', escape, "$"):
                i += 1
                out.append(raw[i])
            else:
                out.append(ch)
        elif ch in "'\"":
            quote = ch
        elif ch == escape and i + 1 < n:
            i += 1
            out.append(raw[i])
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def _parse_json_array(args: str):
    """The string list of a JSON (exec form) argument, None for shell form, or _NOT_STRING_ARRAY."""
    stripped = args.lstrip()
    if not stripped.startswith("["):
        return None
    try:
        value = json.loads(stripped, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        return None  # BuildKit falls back to the shell form
    if not isinstance(value, list):
        return None
    if not all(isinstance(v, str) for v in value):
        return _NOT_STRING_ARRAY
    return value


def _reject_constant(name: str):
    raise ValueError(name)  # NaN/Infinity are not JSON for Go either


__all__ = ["parse_dockerfile", "INSTRUCTIONS", "find_heredoc_markers"]


class _Prefix:
    """What a new parse takes over from the previous one: everything before ``from_line``."""

    __slots__ = ("from_line", "instructions", "comments", "problems")

    def __init__(self, from_line: int, instructions: list, comments: list, problems: list):
        self.from_line, self.instructions, self.comments, self.problems = from_line, instructions, comments, problems


# Problems that are about the whole file, not about an instruction: never taken over.
_FILE_PROBLEMS = frozenset({P.BINARY_FILE, P.INVALID_UTF8, P.NO_INSTRUCTIONS})


def _unchanged_prefix(previous: Dockerfile | None, text: str, lines: LineIndex) -> _Prefix | None:
    """The instructions of ``previous`` that ``text`` parses to again (see :func:`parse_dockerfile`)."""
    if previous is None or previous.is_binary or len(previous.instructions) < 2:
        return None
    old = previous.text
    same = _common_prefix_length(old, text)
    if same == len(old) == len(text):
        same -= 1  # the same text: parse the last instruction again rather than special-case it
    changed_line = lines.position(same).line
    # Instruction i is taken over when instruction i + 1 starts on a line before the change: the
    # lexer finished i without looking past that line.
    starts = [_first_line(ins, previous.lines) for ins in previous.instructions]
    count = 0
    while count + 1 < len(starts) and starts[count + 1] < changed_line:
        count += 1
    if count == 0:
        return None
    from_line = starts[count]
    if from_line <= max((d.range.end.line for d in previous.directives), default=-1):
        return None
    cut = previous.lines.line_starts[from_line]
    return _Prefix(
        from_line, previous.instructions[:count],
        [c for c in previous.comments if c.range.start_offset < cut],
        [p for p in previous.problems if p.range.start_offset < cut and p.code not in _FILE_PROBLEMS])


class _Suffix:
    """What a new parse may take over from the previous one after the edit: the instructions of
    ``previous`` from ``instructions[by_line[line]]`` on, when lexing the new text reaches ``line``
    (a new line number) between two instructions; moved by ``delta`` characters and ``lines`` lines."""

    __slots__ = ("previous", "instructions", "by_line", "delta", "lines")

    def __init__(self, previous: Dockerfile, by_line: dict[int, int], delta: int, lines: int):
        self.previous, self.instructions, self.by_line = previous, previous.instructions, by_line
        self.delta, self.lines = delta, lines


def _unchanged_suffix(previous: Dockerfile | None, text: str, lines: LineIndex) -> _Suffix | None:
    """The instructions of ``previous`` whose text, from the start of their first line to the end
    of the file, is unchanged in ``text``: the lexer reads forward only, so reaching such a line
    between two instructions it reads the same instructions from there on, moved."""
    if previous is None or previous.is_binary or not previous.instructions:
        return None
    old = previous.text
    room = min(len(old), len(text)) - _common_prefix_length(old, text)  # the suffix must not overlap it
    same = _common_suffix_length(old, text, room)
    if same == 0:
        return None
    cut, delta = len(old) - same, len(text) - len(old)
    moved_lines = lines.line_count - previous.lines.line_count
    old_starts, new_starts = previous.lines.line_starts, lines.line_starts
    by_line: dict[int, int] = {}
    for i in range(len(previous.instructions) - 1, -1, -1):
        first = _first_line(previous.instructions[i], previous.lines)
        start = old_starts[first]
        if start < cut:
            break
        new_line = first + moved_lines
        if 0 <= new_line < len(new_starts) and new_starts[new_line] == start + delta:  # a line start here too
            by_line[new_line] = i
    return _Suffix(previous, by_line, delta, moved_lines) if by_line else None


def _common_suffix_length(a: str, b: str, limit: int) -> int:
    """Length of the longest common suffix, at most ``limit``."""
    lo, hi = 0, max(0, limit)
    la, lb = len(a), len(b)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[la - mid:la - lo] == b[lb - mid:lb - lo]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _first_line(ins: Instruction, lines: LineIndex) -> int:
    """The physical line an instruction's text starts on: before its keyword when its first line
    holds only the escape character (``\\`` then the keyword on the next line)."""
    line = ins.range.start.line
    if ins.continuations:
        line = min(line, lines.position(ins.continuations[0]).line)
    return line


def _common_prefix_length(a: str, b: str) -> int:
    """Length of the longest common prefix (string comparisons of halves: C speed)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo
