"""Bounds on variable substitution, shared by Dockerfile ``$VAR`` expansion and compose ``${VAR}``
interpolation: a value that grows past :data:`MAX_VALUE` (each ARG doubling the last, say) is
replaced by :data:`TOO_LONG` instead of growing on, and nesting is read :data:`MAX_NESTING` deep.
"""

from __future__ import annotations

MAX_VALUE = 64 * 1024  # the longest value substitution computes (characters)
MAX_NESTING = 64  # ``${A:-${B:-...}}`` levels read
TOO_LONG = "\u2026(too long to show)\u2026"  # what stands for a value past MAX_VALUE; shown as such


class TooLong(Exception):
    """Substitution reached :data:`MAX_VALUE`: the whole value becomes :data:`TOO_LONG`."""


def is_too_long(value: str | None) -> bool:
    return value is not None and value == TOO_LONG


def usable(value: str | None) -> str:
    """``value`` as substitution uses it: empty when unset; :class:`TooLong` when past the bound."""
    if value is None:
        return ""
    if value == TOO_LONG or len(value) > MAX_VALUE:
        raise TooLong
    return value
