"""The outline of a Dockerfile: document symbols (stages holding their instructions), folding ranges
and selection ranges."""

from __future__ import annotations

from typing import Any

from dockerls.parse.dockerfile.model import Dockerfile, Instruction, Stage
from dockerls.services.results import Fold, Symbol

_KIND_OF = {"ARG": "variable", "ENV": "variable", "LABEL": "property", "EXPOSE": "interface",
            "FROM": "module", "ONBUILD": "event", "HEALTHCHECK": "event"}
_PREVIEW = 48


def document_symbols(df: Dockerfile) -> list[Symbol]:
    out = [_instruction_symbol(df, ins) for ins in df.instructions if ins.stage_index < 0]
    for stage in df.stages:
        out.append(_stage_symbol(df, stage))
    return out


def _stage_symbol(df: Dockerfile, stage: Stage) -> Symbol:
    head = stage.from_instruction
    end = stage.instructions[-1].range.end_offset
    word = head.stage_name
    name = stage.name or f"stage {stage.index}"
    selection = word.range if word is not None else head.keyword_range
    detail = head.image.raw if head.image else ""
    return Symbol(name, "class", head.range.start_offset, end, selection.start_offset, selection.end_offset, detail,
                  [_instruction_symbol(df, ins) for ins in stage.instructions])


def _instruction_symbol(df: Dockerfile, ins: Instruction) -> Symbol:
    if ins.keyword in ("ARG", "ENV") and ins.pairs:
        name = f"{ins.keyword} " + ", ".join(p.key for p in ins.pairs)
    else:
        args = " ".join(ins.args_text.split())
        name = f"{ins.keyword} {args}".strip()
    if len(name) > _PREVIEW:
        name = name[: _PREVIEW - 1] + "…"
    return Symbol(name, _KIND_OF.get(ins.keyword, "function"), ins.range.start_offset, ins.range.end_offset,
                  ins.keyword_range.start_offset, ins.keyword_range.end_offset)


def folding_ranges(df: Dockerfile) -> list[Fold]:
    folds: list[Fold] = []
    for stage in df.stages:
        last = stage.instructions[-1].range.end.line
        if last > stage.from_instruction.line:
            folds.append(Fold(stage.from_instruction.line, last, "region"))
    for ins in df.instructions:
        if ins.range.end.line > ins.range.start.line:
            folds.append(Fold(ins.range.start.line, ins.range.end.line))
        for h in ins.heredocs:
            end = h.terminator_range.end.line if h.terminator_range else h.body_range.end.line
            if end > h.name_range.start.line and h.name_range.start.line != ins.range.start.line:
                folds.append(Fold(h.name_range.start.line, end))
    run_start = run_end = -2
    for c in df.comments:
        if c.in_continuation:
            continue
        line = c.range.start.line
        if line == run_end + 1:
            run_end = line
            continue
        if run_end > run_start >= 0:
            folds.append(Fold(run_start, run_end, "comment"))
        run_start = run_end = line
    if run_end > run_start >= 0:
        folds.append(Fold(run_start, run_end, "comment"))
    folds.sort(key=lambda f: (f.start_line, -f.end_line))
    return folds


def selection_ranges(df: Dockerfile, offset: int) -> list[tuple[int, int]]:
    """Ranges around ``offset`` from the smallest to the whole document, each containing the last."""
    spans: list[tuple[int, int]] = []
    line = df.lines.position(offset).line
    ins = df.instruction_at_line(line)
    if ins is not None and ins.range.start_offset <= offset <= ins.range.end_offset:
        if ins.inner is not None and offset >= ins.inner.range.start_offset:
            spans.extend(_inside(ins.inner, offset))
            spans.append((ins.inner.range.start_offset, ins.inner.range.end_offset))
        else:
            spans.extend(_inside(ins, offset))
        spans.append((ins.range.start_offset, ins.range.end_offset))
        if ins.stage_index >= 0:
            stage = df.stages[ins.stage_index]
            spans.append((stage.from_instruction.range.start_offset, stage.instructions[-1].range.end_offset))
    else:
        spans.append((offset, offset))
    spans.append((0, len(df.text)))
    out: list[tuple[int, int]] = []
    for span in sorted(spans, key=lambda s: s[1] - s[0]):
        if not out or (span[0] <= out[-1][0] and span[1] >= out[-1][1] and span != out[-1]):
            out.append(span)
    return out


def _inside(ins: Instruction, offset: int) -> list[tuple[int, int]]:
    spans = []
    parts: list[Any] = [*ins.flags, *ins.words, *ins.pairs]  # each has a range, some a key and a value
    for part in parts:
        r = part.range
        if r.start_offset <= offset <= r.end_offset:
            spans.append((r.start_offset, r.end_offset))
        for sub in (getattr(part, "key_range", None), getattr(part, "value_range", None)):
            if sub is not None and sub.start_offset <= offset <= sub.end_offset:
                spans.append((sub.start_offset, sub.end_offset))
    for h in ins.heredocs:
        if h.body_range.start_offset <= offset <= h.body_range.end_offset:
            spans.append((h.body_range.start_offset, h.body_range.end_offset))
    if ins.keyword_range.start_offset <= offset <= ins.keyword_range.end_offset:
        spans.append((ins.keyword_range.start_offset, ins.keyword_range.end_offset))
    if ins.args_range is not None and ins.args_range.start_offset <= offset <= ins.args_range.end_offset:
        spans.append((ins.args_range.start_offset, ins.args_range.end_offset))
    return spans
