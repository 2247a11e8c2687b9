"""Definition, references, highlights and rename for the names of a Dockerfile.

Three kinds of name:

* **stages**: ``FROM image AS build`` defines ``build``; ``FROM build``, ``COPY --from=build`` and
  ``RUN --mount=from=build`` use it (by name, or by index, which rename leaves alone);
* **variables**: ARG and ENV keys define, ``$NAME``/``${NAME}`` use.  Scoping follows BuildKit
  (:mod:`dockerls.parse.dockerfile.scope`).  One variable is a name in one scope: the global ARGs
  (with the ``ARG NAME`` lines that bring them into a stage), or one stage (ENVs it inherits from a
  parent stage stay the parent's), so renaming never splits what the build sees as one variable;
* **heredocs**: the name after ``<<`` and its terminator line.
"""

from __future__ import annotations

from typing import Any

import re
from collections.abc import Mapping
from dataclasses import dataclass

from dockerls.finding import Edit
from dockerls.parse.dockerfile.model import Stage
from dockerls.parse.dockerfile.scope import global_args, variables_at
from dockerls.services.dockerfile_index import DockerfileIndex, HeredocName, VarDecl, VarUse
from dockerls.services.results import Occurrence

_STAGE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")
_VAR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_HEREDOC_NAME = re.compile(r"[^\s\"'<>|;&()]+")


@dataclass(frozen=True, slots=True)
class _Symbol:
    kind: str  # "stage", "var", "heredoc"
    key: tuple


class RenameError(ValueError):
    """The new name is not valid for the symbol (the message says why)."""


def _symbol_at(index: DockerfileIndex, offset: int) -> tuple[_Symbol, int, int] | None:
    """The symbol at ``offset`` and the range of its name there."""
    use = index.use_at(offset)
    if use is not None and use.name_start <= offset <= use.name_end:
        key = _use_key(index, use, {})
        return (_Symbol("var", key), use.name_start, use.name_end) if key else None
    decl = index.decl_at(offset)
    if decl is not None:
        return _Symbol("var", _decl_key(index, decl)), decl.start, decl.end
    stage = index.stage_def_at(offset)
    if stage is not None:
        word = stage.from_instruction.stage_name
        if word is not None:  # stage_def_at finds stages by their name
            return _Symbol("stage", (stage.index,)), word.range.start_offset, word.range.end_offset
    stage_use = index.stage_use_at(offset)
    if stage_use is not None and stage_use.stage is not None:
        return _Symbol("stage", (stage_use.stage.index,)), stage_use.start, stage_use.end
    heredoc = index.heredoc_at(offset)
    if heredoc is not None:
        at = heredoc.marker
        if not at[0] <= offset <= at[1] and heredoc.terminator is not None:
            at = heredoc.terminator
        return _Symbol("heredoc", (heredoc.instruction.index, heredoc.marker[0])), at[0], at[1]
    return None


def _decl_key(index: DockerfileIndex, decl: VarDecl) -> tuple:
    ins = decl.instruction
    if ins.stage_index < 0:
        return (decl.name, "global")
    if decl.kind == "arg" and decl.pair.value is None and decl.name in global_args(index.df):
        return (decl.name, "global")
    return (decl.name, ins.stage_index)


def _use_key(index: DockerfileIndex, use: VarUse, cache: dict[int, Any]) -> tuple | None:
    ins = use.instruction
    scope = cache.get(id(ins))
    if scope is None:
        scope = cache[id(ins)] = variables_at(index.df, ins)
    var = scope.get(use.name)
    if var is None:
        return None
    decl = VarDecl(var.name, "env" if var.kind == "env" else "arg", var.pair.key_range.start_offset,
                   var.pair.key_range.end_offset, var.instruction, var.pair)
    return _decl_key(index, decl)


def _occurrences(index: DockerfileIndex, symbol: _Symbol) -> list[Occurrence]:
    out: list[Occurrence] = []
    if symbol.kind == "var":
        for decl in index.var_decls:
            if decl.name == symbol.key[0] and _decl_key(index, decl) == symbol.key:
                out.append(Occurrence(decl.start, decl.end, True))
        cache: dict[int, Mapping] = {}
        for use in index.var_uses:
            if use.name == symbol.key[0] and _use_key(index, use, cache) == symbol.key:
                out.append(Occurrence(use.name_start, use.name_end, False))
    elif symbol.kind == "stage":
        stage = index.df.stages[symbol.key[0]]
        word = stage.from_instruction.stage_name
        if word is not None:
            out.append(Occurrence(word.range.start_offset, word.range.end_offset, True))
        for stage_use in index.stage_uses:
            if stage_use.stage is stage:
                out.append(Occurrence(stage_use.start, stage_use.end, False))
    else:
        heredoc = _heredoc_of(index, symbol)
        if heredoc is not None:
            out.append(Occurrence(heredoc.marker[0], heredoc.marker[1], True))
            if heredoc.terminator:
                out.append(Occurrence(heredoc.terminator[0], heredoc.terminator[1], False))
    return sorted(set(out), key=lambda o: o.start)


def _heredoc_of(index: DockerfileIndex, symbol: _Symbol) -> HeredocName | None:
    return next((h for h in index.heredocs if (h.instruction.index, h.marker[0]) == symbol.key), None)


def definition(index: DockerfileIndex, offset: int) -> list[tuple[int, int]]:
    found = _symbol_at(index, offset)
    if found is None:
        return []
    return [(o.start, o.end) for o in _occurrences(index, found[0]) if o.write][:1] or []


def references(index: DockerfileIndex, offset: int, include_declaration: bool = True) -> list[tuple[int, int]]:
    found = _symbol_at(index, offset)
    if found is None:
        return []
    return [(o.start, o.end) for o in _occurrences(index, found[0]) if include_declaration or not o.write]


def stage_at(index: DockerfileIndex, offset: int) -> int | None:
    """The index of the stage whose name is under ``offset`` (where it is declared or used)."""
    found = _symbol_at(index, offset)
    return found[0].key[0] if found is not None and found[0].kind == "stage" else None


def highlights(index: DockerfileIndex, offset: int) -> list[Occurrence]:
    found = _symbol_at(index, offset)
    return _occurrences(index, found[0]) if found else []


def prepare_rename(index: DockerfileIndex, offset: int) -> tuple[int, int, str] | None:
    """The range of the name to rename and its current text, or None when nothing renames here."""
    found = _symbol_at(index, offset)
    if found is None:
        return None
    _, start, end = found
    return start, end, index.df.text[start:end]


def rename(index: DockerfileIndex, offset: int, new_name: str) -> list[Edit]:
    found = _symbol_at(index, offset)
    if found is None:
        return []
    symbol = found[0]
    pattern = {"stage": _STAGE_NAME, "var": _VAR_NAME, "heredoc": _HEREDOC_NAME}[symbol.kind]
    if not pattern.fullmatch(new_name):
        raise RenameError(f"'{new_name}' is not a valid {'variable' if symbol.kind == 'var' else symbol.kind} name")
    if symbol.kind == "stage" and _stage_name_taken(index, new_name, symbol.key[0]):
        raise RenameError(f"a stage named '{new_name}' already exists")
    return [Edit(o.start, o.end, new_name) for o in _occurrences(index, symbol)]


def _stage_name_taken(index: DockerfileIndex, name: str, own: int) -> bool:
    other: Stage | None = index.df.stage_by_name(name)
    return other is not None and other.index != own
