"""Hover text for a Dockerfile position: instructions, flags, directives, variables, stages and the
rule codes of ignore pragmas.

Works from the parsed model alone (no re-parse): the instruction under the cursor is found by
binary search, and the name index is asked for only when the cursor is on an argument.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Callable

from dockerls.parse.dockerfile.model import Dockerfile, Instruction, Stage
from dockerls.parse.dockerfile.scope import global_args, values_of, variables_at
from dockerls.parse.dockerfile.variables import MAX_VALUE, PREDEFINED_ARGS, expand, is_too_long
from dockerls.services import dockerfile_docs as docs
from dockerls.services import pragmas
from dockerls.services.dockerfile_index import DockerfileIndex
from dockerls.services.results import Hover
from dockerls.services.rule_docs import rule_markdown


def hover(df: Dockerfile, offset: int, index: Callable[[], DockerfileIndex]) -> Hover | None:
    """What to show for ``offset``; ``index`` builds (or returns the cached) name index on demand."""
    pos = df.lines.position(offset)
    for d in df.directives:
        if d.range.start_offset <= offset <= d.range.end_offset:
            return _directive(d, offset)
    ins = df.instruction_at_line(pos.line)
    if ins is None or not (ins.range.start_offset <= offset <= ins.range.end_offset):
        return _comment(df, pos.line, offset)
    if ins.inner is not None and offset >= ins.inner.keyword_range.start_offset:
        ins = ins.inner
    if _within(ins.keyword_range, offset):
        text = docs.instruction_markdown(ins.keyword)
        return Hover(text, ins.keyword_range.start_offset, ins.keyword_range.end_offset) if text else None
    for flag in ins.flags:
        if _within(flag.range, offset):
            return _flag(df, ins, flag, offset, index)
    if ins.as_range is not None and _within(ins.as_range, offset):
        return Hover("**AS** *name*: names the build stage, for `COPY --from=name`, `FROM name` and "
                     "`docker build --target name`.", ins.as_range.start_offset, ins.as_range.end_offset)
    return _argument(df, ins, offset, index)


def _within(rng, offset: int) -> bool:
    return rng.start_offset <= offset <= rng.end_offset


def _directive(d, offset: int) -> Hover | None:
    if d.name == "check" and _within(d.value_range, offset):
        rule = _check_rule_at(d.value, offset - d.value_range.start_offset)
        text = rule_markdown(rule) if rule else None
        if text:
            return Hover(text, d.value_range.start_offset, d.value_range.end_offset)
    text = docs.directive_markdown(d.name)
    return Hover(text, d.range.start_offset, d.range.end_offset) if text else None


def _check_rule_at(value: str, column: int) -> str | None:
    """The rule name under ``column`` in ``skip=A,B;error=true``."""
    start = 0
    for token in value.replace(";", ",").replace("=", ",").split(","):
        end = start + len(token)
        if start <= column <= end and token.strip() and token.strip().lower() not in ("skip", "error", "true",
                                                                                      "false", "all"):
            return token.strip()
        start = end + 1
    return None


def _comment(df: Dockerfile, line: int, offset: int) -> Hover | None:
    comments = df.comments
    k = bisect_right([c.range.start_offset for c in comments], offset) - 1
    if k < 0 or not _within(comments[k].range, offset):
        return None
    line_start = df.lines.line_starts[line]
    line_text = df.lines.line_text(line)
    pragma = pragmas.parse_pragma(line_text)
    if pragma is None:
        return None
    column = offset - line_start
    for code, s, e in pragma.codes:
        if s <= column <= e:
            text = rule_markdown(code)
            return Hover(text, line_start + s, line_start + e) if text else None
    return None


def _flag(df: Dockerfile, ins: Instruction, flag, offset: int, index) -> Hover | None:
    if flag.value_range is not None and _within(flag.value_range, offset):
        idx = index()
        use = idx.use_at(offset)
        if use is not None:
            return _variable(df, use, idx)
        stage_use = idx.stage_use_at(offset)
        if stage_use is not None and stage_use.stage is not None:
            return _stage(df, stage_use.stage, stage_use.start, stage_use.end)
    text = docs.flag_markdown(ins.keyword, flag.name)
    return Hover(text, flag.range.start_offset, flag.range.end_offset) if text else None


def _argument(df: Dockerfile, ins: Instruction, offset: int, index) -> Hover | None:
    idx = index()
    use = idx.use_at(offset)
    if use is not None:
        return _variable(df, use, idx)
    stage_use = idx.stage_use_at(offset)
    if stage_use is not None and stage_use.stage is not None:
        return _stage(df, stage_use.stage, stage_use.start, stage_use.end)
    decl = idx.decl_at(offset)
    if decl is not None:
        value = decl.pair.value
        scope = variables_at(df, ins)
        shown = expand(value, values_of(scope), df.escape) if value is not None else None
        return Hover(_value_text(decl.name, decl.kind.upper(), shown, ins), decl.start, decl.end)
    stage = idx.stage_def_at(offset)
    if stage is not None:
        word = stage.from_instruction.stage_name
        uses = sum(1 for u in idx.stage_uses if u.stage is stage)
        return Hover(f"Build stage `{stage.name}` (stage {stage.index}), used {uses} time(s) in this file.",
                     word.range.start_offset, word.range.end_offset)
    if ins.keyword == "FROM" and ins.image is not None and ins.image.has_variables and _within(ins.image.range, offset):
        values = {k: v.value for k, v in global_args(df, ins).items()}
        resolved = expand(ins.image.raw, values, df.escape)
        if is_too_long(resolved):
            return Hover(f"Image `{ins.image.raw}`: its value with the ARG defaults is too long to show.",
                         ins.image.range.start_offset, ins.image.range.end_offset)
        return Hover(f"Image `{ins.image.raw}` resolves to `{resolved}` with the ARG defaults.",
                     ins.image.range.start_offset, ins.image.range.end_offset)
    return None


def _variable(df: Dockerfile, use, idx: DockerfileIndex) -> Hover:
    var = variables_at(df, use.instruction).get(use.name)
    if var is not None:
        kind = {"env": "ENV", "arg": "ARG", "global-arg": "global ARG"}[var.kind]
        text = _value_text(use.name, kind, var.value, var.instruction)
    elif use.name in PREDEFINED_ARGS:
        text = f"`{use.name}`: a predefined build argument, set by the builder."
        if use.instruction.keyword not in ("RUN",):
            text += f" Declare `ARG {use.name}` in the stage to use it here."
    elif use.name == "PATH":
        text = ("`PATH`: set by the base image (an image without one gets "
                "`/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin` from the builder).")
    else:
        text = (f"`{use.name}` is not declared in this Dockerfile before this line: it is set by the base "
                "image if the image's environment defines it, else it expands to an empty string.")
    return Hover(text, use.start, use.end)


def _value_text(name: str, kind: str, value: str | None, ins: Instruction) -> str:
    where = f"declared on line {ins.line + 1}"
    if value is None:
        return f"`{name}` ({kind}, {where}): no default value; set it with `--build-arg {name}=...`."
    if is_too_long(value):
        return f"`{name}` ({kind}, {where}): the value is too long to show (over {MAX_VALUE // 1024} KiB expanded)."
    return f"`{name}` ({kind}, {where}) = `{value}`" if value else f"`{name}` ({kind}, {where}) is empty."


def _stage(df: Dockerfile, stage: Stage, start: int, end: int) -> Hover:
    head = stage.from_instruction
    line = df.text[head.range.start_offset : (head.args_range or head.keyword_range).end_offset]
    label = f"`{stage.name}`" if stage.name else f"{stage.index}"
    return Hover(f"Build stage {label}, line {head.line + 1}:\n```Dockerfile\n{line}\n```", start, end)
