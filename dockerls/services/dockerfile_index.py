"""The names in a Dockerfile and where each is used: variables, stages and heredocs.

Built once per parsed document (the language server caches it with the model) and shared by
navigation, hover and semantic tokens.  All positions are document offsets.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from dockerls.parse.dockerfile.model import Dockerfile, Flag, Instruction, KeyValue, Stage
from dockerls.parse.dockerfile.variables import find_refs

# Instructions whose arguments are expanded by BuildKit, or by the shell at run time (shell form).
_SHELL_FORM = frozenset({"RUN", "CMD", "ENTRYPOINT", "HEALTHCHECK"})


@dataclass(slots=True)
class VarUse:
    """``$NAME`` / ``${NAME...}``: ``start``/``end`` span the reference, ``name_*`` the name."""

    name: str
    start: int
    end: int
    name_start: int
    name_end: int
    instruction: Instruction


@dataclass(slots=True)
class VarDecl:
    """The key of an ARG or ENV pair."""

    name: str
    kind: str  # "arg" or "env"
    start: int
    end: int
    instruction: Instruction
    pair: KeyValue


@dataclass(slots=True)
class StageUse:
    """A reference to a stage: ``FROM name``, ``COPY --from=name``, ``RUN --mount=from=name``."""

    text: str
    start: int
    end: int
    instruction: Instruction
    stage: Stage | None  # None: not a stage (an image, or a stage that does not exist yet)


@dataclass(slots=True)
class HeredocName:
    name: str
    marker: tuple[int, int]  # the name inside ``<<-"EOF"``
    terminator: tuple[int, int] | None
    instruction: Instruction


@dataclass
class DockerfileIndex:
    df: Dockerfile
    var_uses: list[VarUse] = field(default_factory=list)  # sorted by start
    var_decls: list[VarDecl] = field(default_factory=list)
    stage_uses: list[StageUse] = field(default_factory=list)
    heredocs: list[HeredocName] = field(default_factory=list)
    _use_starts: list[int] = field(default_factory=list, repr=False)

    def use_at(self, offset: int) -> VarUse | None:
        k = bisect_right(self._use_starts, offset) - 1
        while k >= 0:
            use = self.var_uses[k]
            if use.start <= offset <= use.end:
                return use
            if use.end < offset:
                return None
            k -= 1
        return None

    def decl_at(self, offset: int) -> VarDecl | None:
        return next((d for d in self.var_decls if d.start <= offset <= d.end), None)

    def stage_use_at(self, offset: int) -> StageUse | None:
        return next((s for s in self.stage_uses if s.start <= offset <= s.end), None)

    def stage_def_at(self, offset: int) -> Stage | None:
        for stage in self.df.stages:
            word = stage.from_instruction.stage_name
            if word is not None and word.range.start_offset <= offset <= word.range.end_offset:
                return stage
        return None

    def heredoc_at(self, offset: int) -> HeredocName | None:
        for h in self.heredocs:
            if h.marker[0] <= offset <= h.marker[1]:
                return h
            if h.terminator and h.terminator[0] <= offset <= h.terminator[1]:
                return h
        return None


def build_index(df: Dockerfile) -> DockerfileIndex:
    index = DockerfileIndex(df)
    for ins in df.walk():
        _index_instruction(index, df, ins)
    index.var_uses.sort(key=lambda u: u.start)
    index._use_starts = [u.start for u in index.var_uses]
    return index


def _index_instruction(index: DockerfileIndex, df: Dockerfile, ins: Instruction) -> None:
    if ins.keyword == "ONBUILD":
        return  # the inner instruction is walked on its own
    escape = df.escape
    for flag in ins.flags:
        _flag_uses(index, df, ins, flag)
    expands = not (ins.keyword in _SHELL_FORM and ins.json is not None)
    if expands and "$" in ins.args_text:
        for ref in find_refs(ins.args_text, escape):
            start = ins.doc_offset(ref.start)
            end = ins.doc_offset(ref.end - 1) + 1
            name_start = ins.doc_offset(ref.name_start)
            name_end = ins.doc_offset(ref.name_end - 1) + 1
            index.var_uses.append(VarUse(ref.name, start, end, name_start, name_end, ins))
    for h in ins.heredocs:
        if not h.quoted and "$" in h.body:
            base = h.body_range.start_offset
            for ref in find_refs(h.body, escape):
                index.var_uses.append(VarUse(ref.name, base + ref.start, base + ref.end, base + ref.name_start,
                                             base + ref.name_end, ins))
        index.heredocs.append(_heredoc_name(df, h, ins))
    if ins.keyword in ("ARG", "ENV"):
        kind = ins.keyword.lower()
        for pair in ins.pairs:
            r = pair.key_range
            index.var_decls.append(VarDecl(pair.key, kind, r.start_offset, r.end_offset, ins, pair))
    if ins.keyword == "FROM" and ins.image is not None and _may_name_stage(ins):
        r = ins.image.name_range
        index.stage_uses.append(StageUse(ins.image.name, r.start_offset, r.end_offset, ins,
                                         _stage_named(df, ins.image.name, ins)))


def _flag_uses(index: DockerfileIndex, df: Dockerfile, ins: Instruction, flag: Flag) -> None:
    base = flag.range.start_offset
    if flag.range.end_offset - base != len(flag.raw):
        return  # the flag spans a continuation; offsets inside it are not linear
    if "$" in flag.raw:
        for ref in find_refs(flag.raw, df.escape):
            index.var_uses.append(VarUse(ref.name, base + ref.start, base + ref.end, base + ref.name_start,
                                         base + ref.name_end, ins))
    name = flag.name.lower()
    if name == "from" and flag.value and flag.value_range is not None and ins.keyword in ("COPY", "ADD"):
        r = flag.value_range
        index.stage_uses.append(StageUse(flag.value, r.start_offset, r.end_offset, ins,
                                         _stage_named(df, flag.value, ins)))
    elif name == "mount" and ins.keyword == "RUN" and flag.value:
        eq = flag.raw.find("=")
        offset = eq + 1
        for option in flag.raw[eq + 1:].split(","):
            key, _, value = option.partition("=")
            if key.strip().lower() == "from" and value:
                start = base + offset + len(key) + 1
                index.stage_uses.append(StageUse(value, start, start + len(value), ins,
                                                 _stage_named(df, value, ins)))
            offset += len(option) + 1


def _may_name_stage(ins: Instruction) -> bool:
    image = ins.image
    return bool(image and not image.tag and not image.digest and not image.registry and not image.has_variables)


def _stage_named(df: Dockerfile, text: str, ins: Instruction) -> Stage | None:
    """The earlier stage ``text`` names (by name or index), as seen from ``ins``."""
    current = ins.stage_index if ins.stage_index >= 0 else len(df.stages)
    if text.isdigit():
        n = int(text)
        return df.stages[n] if n < current else None
    stage = df.stage_by_name(text)
    if stage is not None and stage.index < current:
        return stage
    return None


def _heredoc_name(df: Dockerfile, h, ins: Instruction) -> HeredocName:
    s, e = h.name_range.start_offset, h.name_range.end_offset
    at = df.text.rfind(h.name, s, e)
    marker = (at, at + len(h.name)) if at != -1 else (s, e)
    terminator = None
    if h.terminator_range is not None:
        end = h.terminator_range.end_offset
        terminator = (end - len(h.name), end)
    return HeredocName(h.name, marker, terminator, ins)
