"""The shape of a rule.  One rule per module; the class docstring is the rule's documentation.

A rule declares which instructions it wants (``instructions``) and gets them one by one in file
order through :meth:`Rule.check`, with a :class:`~dockerls.lint.context.LintContext` that knows the
current stage, the instructions seen so far, variables and the parsed shell of each RUN.  Rules
that need the whole file answer in :meth:`Rule.finish`.  A fresh instance serves each file, so a
rule may keep per-file state on ``self`` (a ``scope = "stage"`` rule gets a fresh instance per
stage when the language server re-lints one stage).

Docstring layout (rendered by ``dockerls explain`` and hovers)::

    One-line summary.

    ## Why
    ...
    ## Example
    ...
    ## Fix
    ...
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any, ClassVar, Iterable

from dockerls.finding import Finding, Fix, Related, Severity

if TYPE_CHECKING:
    from dockerls.lint.context import LintContext
    from dockerls.parse.dockerfile.model import Instruction
    from dockerls.text import Range

ERROR, WARNING, INFO, STYLE = Severity.ERROR, Severity.WARNING, Severity.INFO, Severity.STYLE


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]  # kebab-case
    severity: ClassVar[Severity]
    status: ClassVar[str] = "stable"  # stable, preview, off-by-default (runs only when enabled), deprecated
    kind: ClassVar[str] = "dockerfile"  # dockerfile, compose, devcontainer
    instructions: ClassVar[frozenset[str] | None] = None  # None: every instruction
    aliases: ClassVar[tuple[str, ...]] = ()  # other names users may know the rule by
    buildkit_check: ClassVar[str | None] = None  # the BuildKit build check this rule also is
    # Codes of related rules: when one of them reports on the same instruction, this rule's finding
    # there is dropped (one finding, not two, for BuildKit checks that overlap a DL rule).
    superseded_by: ClassVar[tuple[str, ...]] = ()
    fixable: ClassVar[bool] = False
    tags: ClassVar[tuple[str, ...]] = ()
    # "stage": the rule's findings for a stage follow from that stage's text, the file's preamble
    # (directives, global ARGs), the stages it is built from and the stage names -- not from other
    # stages, files on disk or state kept across stages -- and it has no ``finish``; the language
    # server then re-runs it only on the stage being edited (dockerls.lint.incremental).
    # "file": anything else.
    scope: ClassVar[str] = "file"
    # With scope "stage": the rule's findings on an instruction follow from that instruction's own
    # text and line and from the ARG, ENV and SHELL instructions before it in its stage and in the
    # stages it is built FROM (the variables and the shell it sees) -- not from other instructions
    # (RUN, COPY, WORKDIR...), nor from state kept on ``self`` across
    # ``check`` calls -- and lie within the instruction.  The language server then re-runs it, in
    # an edited stage, only on the instructions that changed (dockerls.lint.incremental).
    per_instruction: ClassVar[bool] = False

    ctx: LintContext  # a Dockerfile rule's; compose and devcontainer rules declare their kind's context

    def __init__(self, ctx: Any):
        self.ctx = ctx

    def check(self, ins: Instruction) -> Iterable[Finding] | None:
        return None

    def finish(self) -> Iterable[Finding] | None:
        return None

    # -- helpers for rule authors ---------------------------------------------------------------

    def finding(self, rng: Range, message: str, fix: Fix | None = None,
                related: Iterable[tuple[Range, str]] = ()) -> Finding:
        return Finding(
            code=self.code, name=self.name, severity=self.severity, message=message, range=rng,
            file=self.ctx.path, fix=fix, related=[Related(r, m) for r, m in related], tags=self.tags,
        )

    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        return cls.doc().split("\n", 1)[0]

    @classmethod
    def all_names(cls) -> tuple[str, ...]:
        names = (cls.code, cls.name, *cls.aliases)
        return names + (cls.buildkit_check,) if cls.buildkit_check else names
