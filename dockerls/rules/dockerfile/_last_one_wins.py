"""Base for "only the last X of a stage takes effect" rules (CMD, ENTRYPOINT, HEALTHCHECK)."""

from __future__ import annotations

from dockerls.rules.base import Rule


class LastOneWinsRule(Rule):
    """Points at every instance of the instruction that a later one in the same stage overrides."""

    keyword: str

    def __init__(self, ctx):
        super().__init__(ctx)
        self.seen: dict[int, list] = {}

    def check(self, ins):
        # Instructions before any FROM (a snippet without FROM) count as one stage, as in hadolint.
        self.seen.setdefault(ins.stage_index, []).append(ins)

    def finish(self):
        for group in self.seen.values():
            effective = group[-1]
            for ins in group[:-1]:
                yield self.finding(
                    ins.keyword_range,
                    f"Multiple {self.keyword} instructions in this stage: only the last one (line "
                    f"{effective.line + 1}) takes effect, this one is ignored",
                    related=[(effective.keyword_range, f"the {self.keyword} that takes effect")],
                )
