"""Base for the rules that report the parser's own problems (DF0xx)."""

from __future__ import annotations

from dockerls.rules.base import Rule


class ParseProblemRule(Rule):
    """Reports the parser problems whose code is this rule's code."""

    instructions = frozenset()

    def finish(self):
        for p in self.ctx.df.problems:
            if p.code == self.code:
                yield self.finding(p.range, p.message)
