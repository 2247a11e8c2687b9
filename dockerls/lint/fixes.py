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

# Re-checks per run: a floor, plus some per line, so that a long file with many fixable lines is
# fixed in one run while a pathological one still ends.
MIN_CHECKS = 50
CHECKS_PER_LINE = 4


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
    """Apply every applicable fix that ``lint`` offers for ``text`` (of the rules in ``only``).

    Fixing goes on until a whole pass over the findings applies nothing, so a second run finds
    nothing more to do: a fix refused in one pass is tried again after others changed the text,
    and what is left refused at the end is refused against the final text (a second run, whose
    baseline is the final text's findings, can only be stricter)."""
    findings = lint(text)
    baseline = Counter(f.code for f in findings)
    result = FixResult(text)
    checks = MIN_CHECKS + CHECKS_PER_LINE * text.count("\n")

    def key(f: Finding) -> tuple[str, str, str]:
        return (f.code, f.message, repr(f.fix.edits) if f.fix else "")

    progress = True
    while progress and checks > 0:
        progress = False
        refused: set[tuple[str, str, str]] = set()  # (code, message, edits) of fixes that failed in this pass
        result.rejected = []
        while checks > 0:
            candidate = next(
                (f for f in findings
                 if f.fix and (unsafe or f.fix.applicability == SAFE) and key(f) not in refused
                 and (only is None or f.code in only)),
                None,
            )
            if candidate is None or candidate.fix is None:
                break
            new_text = apply_edits(result.text, candidate.fix.edits)
            after = None
            if new_text != result.text:
                checks -= 1
                after = lint(new_text)
            if after is None or any(n > baseline.get(code, 0) for code, n in Counter(f.code for f in after).items()):
                refused.add(key(candidate))
                result.rejected.append(candidate)
                continue
            result.text = new_text
            result.applied.append(candidate)
            findings = after
            progress = True
    result.remaining = findings
    return result
