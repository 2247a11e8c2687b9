"""Which variables an instruction sees, and their values, following BuildKit's scoping:

* ARGs before the first FROM are global: only FROM lines see them, unless a stage declares
  ``ARG NAME`` again (without a value it then takes the global default);
* inside a stage, ARG and ENV are visible from the line after their declaration;
* a stage built ``FROM`` an earlier stage inherits that stage's ENV (not its ARGs);
* the predefined ARGs (TARGETPLATFORM, HTTP_PROXY, ...) need no declaration in RUN, but need
  ``ARG NAME`` to be expanded in other instructions.

The declarations of the whole file are read once (:class:`_Scopes`, kept in ``df.memo``); the scope
at an instruction is a :class:`Scope` view over them, so asking at every instruction stays linear.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Mapping
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
                value = expand(p.value, _lookup(out), df.escape) if p.value is not None else None
                out[p.key] = Variable(p.key, value, "global-arg", ins, p)
    return out


def _lookup(scope: Mapping[str, Variable]):
    def value(name: str) -> str | None:
        var = scope.get(name)
        return var.value if var is not None else None
    return value


def values_of(scope: Mapping[str, Variable]):
    """A lookup for :func:`~dockerls.parse.dockerfile.variables.expand`: a variable's value by name."""
    return _lookup(scope)


def variables_at(df: Dockerfile, ins: Instruction) -> Mapping[str, Variable]:
    """The variables visible to ``ins`` (declarations on ``ins`` itself not included)."""
    if ins.stage_index < 0 or ins.keyword == "FROM":
        return global_args(df, ins)
    return Scope(_scopes(df), ins.stage_index, ins.index)


def resolve(df: Dockerfile, ins: Instruction, text: str) -> str:
    """``text`` with the variables visible at ``ins`` expanded."""
    return expand(text, _lookup(variables_at(df, ins)), df.escape)


class Scope(Mapping[str, Variable]):
    """The variables of stage ``stage`` visible before instruction ``before``: a name is found in
    O(log n); iterating builds the whole scope once."""

    __slots__ = ("_scopes", "_stage", "_before", "_all")

    def __init__(self, scopes: _Scopes, stage: int, before: int):
        self._scopes, self._stage, self._before = scopes, stage, before
        self._all: dict[str, Variable] | None = None

    def __getitem__(self, name: str) -> Variable:
        var = self._scopes.find(self._stage, self._before, name)
        if var is None:
            raise KeyError(name)
        return var

    def get(self, name: str, default=None):
        var = self._scopes.find(self._stage, self._before, name)
        return default if var is None else var

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._scopes.find(self._stage, self._before, name) is not None

    def _dict(self) -> dict[str, Variable]:
        if self._all is None:
            self._all = self._scopes.snapshot(self._stage, self._before)
        return self._all

    def __iter__(self) -> Iterator[str]:
        return iter(self._dict())

    def __len__(self) -> int:
        return len(self._dict())

    def __repr__(self) -> str:
        return f"Scope({self._dict()!r})"


def _scopes(df: Dockerfile) -> _Scopes:
    found = df.memo.get("scopes")
    if found is None:
        found = df.memo["scopes"] = _Scopes(df)
    return found


class _Scopes:
    """Every stage's ARG/ENV declarations in order, read in one pass over the file."""

    def __init__(self, df: Dockerfile):
        self.parents: list[int | None] = []
        # per stage: name -> (instruction indexes, variables), in declaration order
        self.timelines: list[dict[str, tuple[list[int], list[Variable]]]] = []
        self.events: list[list[tuple[int, Variable]]] = []  # per stage, in declaration order
        self._inherited: dict[tuple[int, str], Variable | None] = {}
        globals_ = global_args(df)
        for stage in df.stages:
            self._read_stage(df, stage.index, stage.instructions[1:], globals_)

    def _read_stage(self, df: Dockerfile, index: int, instructions: list[Instruction],
                    globals_: dict[str, Variable]) -> None:
        parent = _parent_stage(df, index)
        self.parents.append(parent)
        timeline: dict[str, tuple[list[int], list[Variable]]] = {}
        events: list[tuple[int, Variable]] = []
        self.timelines.append(timeline)
        self.events.append(events)
        own: dict[str, Variable] = {}

        def current(name: str) -> Variable | None:
            var = own.get(name)
            return var if var is not None else self.inherited(parent, name)

        def value(name: str) -> str | None:
            var = current(name)
            return var.value if var is not None else None

        for ins in instructions:
            if ins.keyword not in ("ARG", "ENV"):
                continue
            for p in ins.pairs:
                if ins.keyword == "ARG":
                    if p.value is not None:
                        val: str | None = expand(p.value, value, df.escape)
                    else:
                        val = globals_[p.key].value if p.key in globals_ else None
                    existing = current(p.key)
                    if existing is not None and existing.kind == "env":
                        continue  # ENV wins over a later ARG of the same name
                    var = Variable(p.key, val, "arg", ins, p)
                else:
                    raw = p.value if p.value is not None else ""
                    var = Variable(p.key, expand(raw, value, df.escape), "env", ins, p)
                own[p.key] = var
                indexes, variables = timeline.setdefault(p.key, ([], []))
                indexes.append(ins.index)
                variables.append(var)
                events.append((ins.index, var))

    def inherited(self, stage: int | None, name: str) -> Variable | None:
        """The ENV ``name`` at the end of ``stage`` (its own or inherited), which a child inherits."""
        visited: list[int] = []
        found: Variable | None = None
        while stage is not None:
            key = (stage, name)
            if key in self._inherited:
                found = self._inherited[key]
                break
            visited.append(stage)
            entry = self.timelines[stage].get(name)
            if entry is not None and entry[1][-1].kind == "env":
                found = entry[1][-1]
                break
            stage = self.parents[stage]
        for s in visited:
            self._inherited[(s, name)] = found
        return found

    def find(self, stage: int, before: int, name: str) -> Variable | None:
        entry = self.timelines[stage].get(name)
        if entry is not None:
            i = bisect_left(entry[0], before)
            if i:
                return entry[1][i - 1]
        return self.inherited(self.parents[stage], name)

    def snapshot(self, stage: int, before: int) -> dict[str, Variable]:
        chain: list[int] = []  # the ancestors, nearest first (a loop, not recursion: chains can be long)
        parent = self.parents[stage]
        while parent is not None:
            chain.append(parent)
            parent = self.parents[parent]
        scope: dict[str, Variable] = {}
        for ancestor in reversed(chain):
            # each ancestor's scope at its end, as its child sees it: ENV only
            full = {k: v for k, v in scope.items() if v.kind == "env"}
            for _, var in self.events[ancestor]:
                full[var.name] = var
            scope = full
        scope = {k: v for k, v in scope.items() if v.kind == "env"}
        for index, var in self.events[stage]:
            if index >= before:
                break
            scope[var.name] = var
        return scope


def _parent_stage(df: Dockerfile, stage_index: int) -> int | None:
    image = df.stages[stage_index].from_instruction.image
    if image is None or image.tag or image.digest or image.registry:
        return None
    parent = df.stage_by_name(image.name)
    if parent is not None and parent.index < stage_index:
        return parent.index
    return None
