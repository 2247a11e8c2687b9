"""Messages name variables, not their values.

Compose interpolates ``${VAR}`` and devcontainer.json ``${localEnv:VAR}`` from the environment of
the process that checks them, which in CI holds tokens.  A finding quoting an interpolated value
(``The image `ghp_...` has no tag``) would publish the token in a report or a pull-request
comment.  So after the rules ran, each value a variable took is written back as the variable's
name in the findings' messages (and related messages), and fixes that would write an interpolated
value into the file are dropped.
"""

from __future__ import annotations

from typing import Iterable

from dockerls.finding import Finding

# Values shorter than this are left: "1", "db", "dev" would turn ordinary words of a message into
# variable names, and tell nothing worth hiding.
MIN_REDACTED = 4


def redact(findings: Iterable[Finding], replacements: Iterable[tuple[str, str]],
           spans: Iterable[tuple[int, int]] = ()) -> None:
    """Replace in each finding's messages every ``value`` of ``(value, written)`` pairs by
    ``written`` (the longest values first); drop the fixes whose edits touch one of ``spans``
    (the offsets of interpolated text in the checked file)."""
    pairs = sorted({(v, w) for v, w in replacements if v and len(v) >= MIN_REDACTED and v != w},
                   key=lambda p: -len(p[0]))
    spans = list(spans)
    for f in findings:
        if pairs:
            f.message = _replace(f.message, pairs)
            for related in f.related:
                related.message = _replace(related.message, pairs)
        if f.fix is not None and spans and any(
                e.start < end and start < e.end or start <= e.start < end for e in f.fix.edits for start, end in spans):
            f.fix = None


def _replace(message: str, pairs: list[tuple[str, str]]) -> str:
    for value, written in pairs:
        if value in message:
            message = message.replace(value, written)
    return message
