"""Which variables an instruction sees, and their values, following BuildKit's scoping:

* ARGs before the first FROM are global: only FROM lines see them, unless a stage declares
  ``ARG NAME`` again (without a value it then takes the global default);
* inside a stage, ARG and ENV are visible from the line after their declaration;
* a stage built ``FROM`` an earlier stage inherits that stage's ENV (not its ARGs);
* the predefined ARGs (TARGETPLATFORM, HTTP_PROXY, ...) need no declaration in RUN, but need
  ``ARG NAME`` to be expanded in other instructions.
"""

from __future__ import annotations

from dataclasses import dataclass

from dockerls.parse.dockerfile.model import Dockerfile, Instruction, KeyValue
from dockerls.parse.dockerfile.variables import expand


@dataclass(slots=True)
class Variable:
    name: str
    value: str | None  # expanded; None when declared without a value
    kind: str  # "arg", "env", "global-arg"
    instruction: Instruction
    pair: KeyValue


def global_args(df: Dockerfile, before: Instruction | None = None) -> dict[str, Variable]:
    out: dict[str, Variable] = {}
    for ins in df.instructions:
        if ins.stage_index >= 0 or (before is not None and ins.index >= before.index):
            break
        if ins.keyword == "ARG":
            for p in ins.pairs:
                value = expand(p.value, _values(out), df.escape) if p.value is not None else None
                out[p.key] = Variable(p.key, value, "global-arg", ins, p)
    return out


def _values(scope: dict[str, Variable]) -> dict[str, str | None]:
    return {k: v.value for k, v in scope.items()}


def variables_at(df: Dockerfile, ins: Instruction) -> dict[str, Variable]:
    """The variables visible to ``ins`` (declarations on ``ins`` itself not included)."""
    if ins.stage_index < 0 or ins.keyword == "FROM":
        return global_args(df, ins)
    return _stage_scope(df, ins.stage_index, ins.index)


def _stage_scope(df: Dockerfile, stage_index: int, before_index: int, depth: int = 0) -> dict[str, Variable]:
    stage = df.stages[stage_index]
    scope: dict[str, Variable] = {}
    parent = _parent_stage(df, stage_index)
    if parent is not None and depth < len(df.stages):
        inherited = _stage_scope(df, parent, 1 << 30, depth + 1)
        scope.update({k: v for k, v in inherited.items() if v.kind == "env"})
    globals_ = global_args(df)
    for ins in stage.instructions[1:]:
        if ins.index >= before_index:
            break
        if ins.keyword not in ("ARG", "ENV"):
            continue
        for p in ins.pairs:
            values = _values(scope)
            if ins.keyword == "ARG":
                if p.value is not None:
                    value = expand(p.value, values, df.escape)
                else:
                    value = globals_[p.key].value if p.key in globals_ else None
                if p.key in scope and scope[p.key].kind == "env":
                    continue  # ENV wins over a later ARG of the same name
                scope[p.key] = Variable(p.key, value, "arg", ins, p)
            else:
                raw = p.value if p.value is not None else ""
                scope[p.key] = Variable(p.key, expand(raw, values, df.escape), "env", ins, p)
    return scope


def _parent_stage(df: Dockerfile, stage_index: int) -> int | None:
    image = df.stages[stage_index].from_instruction.image
    if image is None or image.tag or image.digest or image.registry:
        return None
    parent = df.stage_by_name(image.name)
    if parent is not None and parent.index < stage_index:
        return parent.index
    return None


def resolve(df: Dockerfile, ins: Instruction, text: str) -> str:
    """``text`` with the variables visible at ``ins`` expanded."""
    scope = variables_at(df, ins)
    return expand(text, _values(scope), df.escape)
