"""What a rule sees while the runner walks a Dockerfile once."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from dockerls.config import Config
from dockerls.lint.workspace_fs import PLAIN_FS, WorkspaceFS
from dockerls.parse.dockerfile.model import Dockerfile, Instruction, Stage
from dockerls.parse.dockerfile.scope import Variable, variables_at

from dockerls.shell import parse_shell_cached

if TYPE_CHECKING:
    from dockerls.shell import Command, Script


class RunFacts:
    """What the rules read in one RUN (hadolint's ``premap parseShell``): the parsed script, its
    commands grouped by program, and the package-manager calls the rule helpers derive from them
    (``memo``, keyed by the helper).  All of it follows from the RUN's shell source alone, so one
    object serves every RUN with that source, in this lint and the next ones (:func:`run_facts_of`):
    ``memo`` must only hold what the source says, never what the rest of the Dockerfile does."""

    __slots__ = ("source", "_script", "_by_program", "memo")

    def __init__(self, source: str):
        self.source = source
        self._script: Script | None = None
        self._by_program: dict[str, list[Command]] | None = None
        self.memo: dict = {}

    @property
    def script(self) -> Script:
        if self._script is None:
            self._script = parse_shell_cached(self.source)
        return self._script

    @property
    def by_program(self) -> dict[str, list[Command]]:
        """Commands (``sudo``/``env``/... removed) by program, in source order; read-only."""
        if self._by_program is None:
            found: dict[str, list[Command]] = {}
            for cmd in self.script.commands:
                if cmd.words:
                    cmd = cmd.unwrapped()
                    found.setdefault(cmd.program or "", []).append(cmd)
            self._by_program = found
        return self._by_program


@lru_cache(maxsize=1024)
def run_facts_of(source: str) -> RunFacts:
    """The facts of a RUN whose shell source is ``source``, remembered: the language server lints
    every version of a document, and most RUNs are the same from one to the next (1,024: the RUNs
    of the documents being edited, not of every document an editor opened)."""
    return RunFacts(source)


@dataclass
class LintContext:
    df: Dockerfile
    config: Config
    path: str | None = None
    stage: Stage | None = None  # the stage of the instruction being checked
    previous: list[Instruction] = field(default_factory=list)  # instructions before it, in order
    _runs: dict[int, RunFacts] = field(default_factory=dict, repr=False)  # by id() of the RUN
    # Per-file results that several rules share (e.g. a RUN's commands grouped by program), keyed
    # by the helper that computes them.
    cache: dict = field(default_factory=dict, repr=False)
    # The files around the Dockerfile (a .dockerignore, package.json...): asked only through this,
    # so the result cache knows what a result depends on.  Stage rules get one that refuses.
    fs: WorkspaceFS = field(default=PLAIN_FS, repr=False)

    @property
    def folder(self) -> Path | None:
        return Path(self.path).parent if self.path else None

    def shell(self, ins: Instruction) -> Script:
        """The parsed shell of a RUN (shell form, or the heredoc bodies); parsed once per instruction.

        Offsets in the script are offsets into ``ins.args_text`` for the shell form; use
        :meth:`shell_range` to turn them into document ranges.
        """
        return self.run_facts(ins).script

    def run_facts(self, ins: Instruction) -> RunFacts:
        """The :class:`RunFacts` of a RUN, made once per instruction however many rules ask."""
        facts = self._runs.get(id(ins))
        if facts is None:
            facts = self._runs[id(ins)] = run_facts_of(shell_source(ins))
        return facts

    def shell_range(self, ins: Instruction, start: int, end: int):
        """Document range of ``[start, end)`` of the text given to :meth:`shell`."""
        if ins.json is not None:
            return self.df.lines.range(_json_offset(ins, start), _json_offset(ins, end, closing=True))
        if ins.heredocs and _is_heredoc_only(ins):
            base = ins.heredocs[0].body_range.start_offset
            return self.df.lines.range(base + start, base + end)
        return self.df.lines.range(ins.doc_offset(start), ins.doc_offset(max(end - 1, start)) + (1 if end > start else 0))

    def variables(self, ins: Instruction) -> dict[str, Variable]:
        """The ARG/ENV variables ``ins`` sees (:func:`~dockerls.parse.dockerfile.scope.variables_at`),
        computed once per instruction however many rules ask."""
        cache = self.cache.setdefault("variables", {})
        scope = cache.get(id(ins))
        if scope is None:
            scope = cache[id(ins)] = variables_at(self.df, ins)
        return scope

    def head_range(self, ins: Instruction):
        """The instruction's own lines: keyword to the end of its arguments, heredoc bodies left out."""
        end = ins.args_range.end_offset if ins.args_range else ins.keyword_range.end_offset
        return self.df.lines.range(ins.range.start_offset, end)

    def is_stage_reference(self, name: str, before: Instruction | None = None) -> bool:
        stage = self.df.stage_by_name(name)
        return stage is not None and (before is None or stage.from_instruction.index < before.index)


def _json_offset(ins: Instruction, i: int, closing: bool = False) -> int:
    """Map an offset of the space-joined exec form (see :func:`shell_source`) into the document.

    Inside an element the offset counts from after its opening quote, which is exact unless the
    element holds JSON escapes; a separator maps to the end of the element before it.
    """
    pos = 0
    for value, word in zip(ins.json or (), ins.words):
        if i <= pos + len(value) or word is ins.words[-1]:
            inner = min(max(i - pos, 0), len(value))
            return min(word.range.start_offset + 1 + inner, word.range.end_offset - 1)
        pos += len(value) + 1
    return ins.args_range.end_offset if ins.args_range else ins.range.end_offset


def _is_heredoc_only(ins: Instruction) -> bool:
    """``RUN <<EOF`` whose line holds nothing but the marker: the shell to read is the body."""
    words = ins.args_text.split()
    return len(words) == 1 and words[0].startswith("<<")


def shell_source(ins: Instruction) -> str:
    """The shell text a RUN executes: the shell form, or a single heredoc body run as a script."""
    if ins.json is not None:
        return " ".join(ins.json)
    if ins.heredocs and _is_heredoc_only(ins):
        return ins.heredocs[0].body
    return ins.args_text
