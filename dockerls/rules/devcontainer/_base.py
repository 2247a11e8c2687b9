"""What devcontainer.json rules see: the analysis of :mod:`dockerls.lint.devcontainer_runner`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dockerls.parse.devcontainer.jsonc import JsoncError
from dockerls.develop.plan.model import PlanError, PlanProblem
from dockerls.rules.base import Rule
from dockerls.text import LineIndex, Range


@dataclass
class DevcontainerContext:
    text: str
    lines: LineIndex
    path: str | None
    syntax_error: JsoncError | None = None
    plan_error: PlanError | None = None
    problems: list[PlanProblem] = field(default_factory=list)
    value: Any = None  # the parsed file, when it parses
    spans: dict = field(default_factory=dict)  # key path -> offsets of the key (JsoncDocument.spans)
    internal_error: Exception | None = None  # making the plan failed (a bug): reported as DLS000

    def at(self, rng: Range | None) -> Range:
        return rng or self.lines.range(0, 0)


class DevcontainerRule(Rule):
    kind = "devcontainer"
    instructions = frozenset()

    ctx: DevcontainerContext  # type: ignore[assignment]  # each kind's rules see their kind's context
