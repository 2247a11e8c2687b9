"""Parsed pieces of a Dockerfile moved to where the same text sits in a new version.

An edit before an instruction moves it without changing it: its text is the same, so it parses
the same, only ``delta`` characters and ``lines`` lines further.  It starts at a line start, so
its columns stay.  :func:`instruction` makes the moved copy (the parser's
:func:`~dockerls.parse.dockerfile.parser.parse_dockerfile` takes the instructions after an edit
over this way); every offset and line of the model is moved here, and nowhere else.
"""

from __future__ import annotations

from typing import Callable

from dockerls.parse.dockerfile.model import (
    Comment,
    Flag,
    Heredoc,
    ImageRef,
    Instruction,
    KeyValue,
    Problem,
    Word,
)
from dockerls.text import Position, Range


def range_(r: Range, delta: int, lines: int) -> Range:
    if not lines:  # the usual keystroke: the positions stay (they are immutable)
        return Range(r.start, r.end, r.start_offset + delta, r.end_offset + delta)
    s, e = r.start, r.end
    return Range(Position(s.line + lines, s.character), Position(e.line + lines, e.character),
                 r.start_offset + delta, r.end_offset + delta)


def _opt(r: Range | None, delta: int, lines: int) -> Range | None:
    return None if r is None else range_(r, delta, lines)


def _word(w: Word, delta: int, lines: int) -> Word:
    return Word(w.value, w.raw, range_(w.range, delta, lines))


def _flag(f: Flag, delta: int, lines: int) -> Flag:
    return Flag(f.name, f.value, range_(f.range, delta, lines), range_(f.name_range, delta, lines),
                _opt(f.value_range, delta, lines), f.raw, f._options)  # options: offsets within the value


def _pair(p: KeyValue, delta: int, lines: int) -> KeyValue:
    return KeyValue(p.key, p.value, p.raw_value, range_(p.range, delta, lines), range_(p.key_range, delta, lines),
                    _opt(p.value_range, delta, lines), p.legacy)


def _image(i: ImageRef, delta: int, lines: int) -> ImageRef:
    return ImageRef(i.raw, range_(i.range, delta, lines), i.registry, i.name, i.tag, i.digest,
                    _opt(i.registry_range, delta, lines), range_(i.name_range, delta, lines),
                    _opt(i.tag_range, delta, lines), _opt(i.digest_range, delta, lines), i.has_variables)


def _heredoc(h: Heredoc, delta: int, lines: int) -> Heredoc:
    return Heredoc(h.name, range_(h.name_range, delta, lines), h.strip_tabs, h.quoted, h.body,
                   range_(h.body_range, delta, lines), _opt(h.terminator_range, delta, lines), h.terminated)


def instruction(ins: Instruction, delta: int, lines: int, stage_index: int, index: int,
                words: Callable[[Instruction], Callable[[], list[Word]]] | None = None) -> Instruction:
    """``ins`` moved by ``delta`` characters and ``lines`` lines, as instruction ``index`` of stage
    ``stage_index``.  Its words are moved when first asked for; words the parser deferred stay
    deferred when ``words`` makes the moved instruction's (from its own text: an old version's
    text is not kept alive), else they are read and moved."""
    out = Instruction(
        ins.keyword, ins.keyword_text, range_(ins.range, delta, lines), range_(ins.keyword_range, delta, lines),
        [_flag(f, delta, lines) for f in ins.flags], ins.args_text, _opt(ins.args_range, delta, lines), ins.json,
        [_heredoc(h, delta, lines) for h in ins.heredocs], stage_index, index,
        None if ins.inner is None else instruction(ins.inner, delta, lines, stage_index, index, words),
        [_pair(p, delta, lines) for p in ins.pairs],
        None if ins.image is None else _image(ins.image, delta, lines),
        None if ins.stage_name is None else _word(ins.stage_name, delta, lines),
        _opt(ins.as_range, delta, lines),
        [(joined, at + delta, length) for joined, at, length in ins.segments],
        [line + lines for line in ins.empty_continuation_lines],
        [at + delta for at in ins.continuations],
    )
    factory = ins._words_factory
    if ins._words is not None:
        out.set_words_factory(_MovedWords(ins._words, delta, lines))
    elif isinstance(factory, _MovedWords):
        out.set_words_factory(_MovedWords(factory.words, factory.delta + delta, factory.lines + lines))
    elif factory is not None and words is not None:
        out.set_words_factory(words(out))
    else:
        out.words = [_word(w, delta, lines) for w in ins.words]
    return out


class _MovedWords:
    """An instruction's words, moved when first asked for (most are never asked for again): the
    words of the version they were read in and how far they have moved since, not a chain."""

    __slots__ = ("words", "delta", "lines")

    def __init__(self, words: list[Word], delta: int, lines: int):
        self.words, self.delta, self.lines = words, delta, lines

    def __call__(self) -> list[Word]:
        return [_word(w, self.delta, self.lines) for w in self.words]


def comment(c: Comment, delta: int, lines: int) -> Comment:
    return Comment(c.text, range_(c.range, delta, lines), c.in_continuation)


def problem(p: Problem, delta: int, lines: int) -> Problem:
    return Problem(p.code, p.message, range_(p.range, delta, lines), p.severity)
