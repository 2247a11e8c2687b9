"""Applying fixes: one at a time, re-checking after each, until nothing changes.

A fix is kept only when the file still parses as well as before and no rule reports a finding
that the original text did not have (counted per code).  So ``--fix`` can never turn a working
Dockerfile into a broken one, even when two fixes interact.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Collection

from dockerls.finding import SAFE, Edit, Finding

MAX_ROUNDS = 50


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits (overlapping ones after the first are dropped)."""
    out = []
    pos = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start < pos:
            continue
        out.append(text[pos : e.start])
        out.append(e.new_text)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


@dataclass
class FixResult:
    text: str
    applied: list[Finding] = field(default_factory=list)  # the findings whose fixes were applied
    rejected: list[Finding] = field(default_factory=list)  # fixes that would have made things worse
    remaining: list[Finding] = field(default_factory=list)  # findings after fixing

    @property
    def changed(self) -> bool:
        return bool(self.applied)


def fix_text(text: str, lint: Callable[[str], list[Finding]], unsafe: bool = False,
             only: Collection[str] | None = None) -> FixResult:
    """Apply every applicable fix that ``lint`` offers for ``text`` (of the rules in ``only``)."""
    findings = lint(text)
    baseline = Counter(f.code for f in findings)
    result = FixResult(text)
    refused: set[tuple[str, str, str]] = set()  # (code, message, edits) of fixes that failed

    def key(f: Finding) -> tuple[str, str, str]:
        return (f.code, f.message, repr(f.fix.edits) if f.fix else "")

    for _ in range(MAX_ROUNDS):
        candidate = next(
            (f for f in findings
             if f.fix and (unsafe or f.fix.applicability == SAFE) and key(f) not in refused
             and (only is None or f.code in only)),
            None,
        )
        if candidate is None:
            break
        new_text = apply_edits(result.text, candidate.fix.edits)
        after = lint(new_text) if new_text != result.text else None
        if after is None or any(n > baseline.get(code, 0) for code, n in Counter(f.code for f in after).items()):
            refused.add(key(candidate))
            result.rejected.append(candidate)
            continue
        result.text = new_text
        result.applied.append(candidate)
        findings = after
    result.remaining = findings
    return result
