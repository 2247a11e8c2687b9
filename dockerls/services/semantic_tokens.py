"""Semantic tokens: what each meaningful piece of a Dockerfile is, for editors to colour.

Tokens never span lines (``multilineTokenSupport`` is rare); they come sorted by offset and never
overlap.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING

from dockerls.parse.dockerfile.model import Dockerfile, Instruction
from dockerls.services import pragmas
from dockerls.services.results import Token

if TYPE_CHECKING:
    from dockerls.services.dockerfile_index import DockerfileIndex

TOKEN_TYPES = ("keyword", "parameter", "variable", "string", "comment", "macro", "class", "type", "operator",
               "number", "function")
TOKEN_MODIFIERS = ("declaration", "deprecated", "readonly", "documentation")


def tokens(df: Dockerfile, index: DockerfileIndex, start: int = 0, end: int | None = None) -> list[Token]:
    """Every token overlapping ``[start, end)`` (the whole document by default)."""
    from dockerls.services.shell_tokens import shell_tokens  # the shell parser: not at server start

    end = len(df.text) if end is None else end
    specific: list[Token] = []  # names: they win over the generic token of what contains them
    for use in index.var_uses:
        specific.append(Token(use.start, use.end, "variable"))
    for decl in index.var_decls:
        specific.append(Token(decl.start, decl.end, "variable", ("declaration",)))
    for su in index.stage_uses:
        if su.stage is not None:
            specific.append(Token(su.start, su.end, "class"))
    for h in index.heredocs:
        specific.append(Token(h.marker[0], h.marker[1], "string", ("documentation",)))
        if h.terminator:
            specific.append(Token(h.terminator[0], h.terminator[1], "string", ("documentation",)))
    generic: list[Token] = []
    for d in df.directives:
        generic.append(Token(d.range.start_offset, d.name_range.start_offset, "comment"))
        generic.append(Token(d.name_range.start_offset, d.name_range.end_offset, "macro"))
        generic.append(Token(d.value_range.start_offset, d.value_range.end_offset, "string"))
    for c in df.comments:
        generic.extend(_comment(df, c))
    for ins in df.walk():
        generic.extend(_instruction(ins))
    specific.sort(key=lambda t: t.start)
    starts = [t.start for t in specific]
    kept = [t for t in generic if not _overlaps(specific, starts, t)]
    for ins in df.walk():
        for tok in shell_tokens(ins):
            if tok.type == "string":  # a quoted "$X" keeps its variable and the quotes around it
                kept.extend(_carve(specific, starts, tok))
            elif not _overlaps(specific, starts, tok):
                kept.append(tok)
    out: list[Token] = []
    last_end = -1
    for tok in sorted(specific + kept, key=lambda t: (t.start, -(t.end - t.start))):
        if tok.start < last_end or tok.end <= tok.start or tok.end <= start or tok.start >= end:
            continue  # overlapping a token that starts earlier, empty, or outside the range
        out.extend(_split_lines(df, tok))
        last_end = tok.end
    return out


def _overlaps(sorted_tokens: list[Token], starts: list[int], tok: Token) -> bool:
    k = bisect_left(starts, tok.end)  # tokens starting before tok ends
    while k > 0:
        k -= 1
        other = sorted_tokens[k]
        if other.end > tok.start:
            return True
        if other.start < tok.start - 4096:  # names are short: nothing further back can reach
            return False
    return False


def _carve(sorted_tokens: list[Token], starts: list[int], tok: Token) -> list[Token]:
    """The parts of ``tok`` that no token of ``sorted_tokens`` covers."""
    out = []
    pos = tok.start
    for other in sorted_tokens[max(bisect_left(starts, tok.start) - 1, 0) : bisect_left(starts, tok.end)]:
        if other.end <= pos:
            continue
        if other.start > pos:
            out.append(Token(pos, other.start, tok.type, tok.modifiers))
        pos = max(pos, other.end)
    if pos < tok.end:
        out.append(Token(pos, tok.end, tok.type, tok.modifiers))
    return out


def _comment(df: Dockerfile, c) -> list[Token]:
    line_text = df.lines.line_text(c.range.start.line)
    pragma = pragmas.parse_pragma(line_text)
    if pragma is None:
        return [Token(c.range.start_offset, c.range.end_offset, "comment")]
    base = df.lines.line_starts[c.range.start.line]
    out = [Token(c.range.start_offset, base + pragma.codes_start, "comment", ("documentation",))]
    out.extend(Token(base + s, base + e, "macro") for _, s, e in pragma.codes)
    return out


def _instruction(ins: Instruction) -> list[Token]:
    modifiers = ("deprecated",) if ins.keyword == "MAINTAINER" else ()
    out = [Token(ins.keyword_range.start_offset, ins.keyword_range.end_offset, "keyword", modifiers)]
    for flag in ins.flags:
        name_end = flag.name_range.end_offset
        out.append(Token(flag.range.start_offset, name_end, "parameter"))
        if flag.value_range is not None and flag.value_range.end_offset > flag.value_range.start_offset:
            out.append(Token(flag.value_range.start_offset, flag.value_range.end_offset, "string"))
    if ins.as_range is not None:
        out.append(Token(ins.as_range.start_offset, ins.as_range.end_offset, "keyword"))
    if ins.stage_name is not None:
        out.append(Token(ins.stage_name.range.start_offset, ins.stage_name.range.end_offset, "class",
                         ("declaration",)))
    if ins.image is not None and ins.image.name_range is not None:
        image = ins.image
        out.append(Token(image.name_range.start_offset, image.name_range.end_offset, "type"))
        if image.tag_range is not None:
            out.append(Token(image.tag_range.start_offset, image.tag_range.end_offset, "string"))
    if ins.keyword == "EXPOSE":
        out.extend(Token(w.range.start_offset, w.range.end_offset, "number") for w in ins.words)
    if ins.keyword == "LABEL":
        out.extend(Token(p.key_range.start_offset, p.key_range.end_offset, "parameter") for p in ins.pairs)
    return out


def _split_lines(df: Dockerfile, tok: Token) -> list[Token]:
    text = df.text
    if "\n" not in text[tok.start : tok.end]:
        return [tok]
    out = []
    pos = tok.start
    while pos < tok.end:
        nl = text.find("\n", pos, tok.end)
        stop = tok.end if nl == -1 else nl
        if stop > pos:
            out.append(Token(pos, stop, tok.type, tok.modifiers))
        pos = stop + 1
    return out
