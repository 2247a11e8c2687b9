"""Variable substitution in Compose values, with Compose's syntax and semantics.

``$VAR`` and ``${VAR}``; ``${VAR:-default}`` (unset or empty), ``${VAR-default}`` (unset);
``${VAR:?message}`` / ``${VAR?message}`` (required: an error otherwise); ``${VAR:+alternative}`` /
``${VAR+alternative}``; ``$$`` is a literal ``$``.  Defaults, messages and alternatives may hold
further substitutions.  A ``$`` that starts none of these stays as it is; ``${`` that does not form
a valid substitution is an error, as in Compose.

Work is bounded: substitutions nested deeper than :data:`MAX_NESTING` are not read (an error says
so, at the place), and a value longer than :data:`MAX_VALUE` becomes :data:`TOO_LONG`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from dockerls.parse.bounds import MAX_NESTING, MAX_VALUE, TOO_LONG, TooLong
from dockerls.parse.bounds import usable as bounded

Lookup = Callable[[str], "str | None"]

_OPERATORS = (":-", ":?", ":+", "-", "?", "+")



def _is_name_start(ch: str) -> bool:
    return ch == "_" or ("a" <= ch <= "z") or ("A" <= ch <= "Z")


def _is_name_char(ch: str) -> bool:
    return _is_name_start(ch) or "0" <= ch <= "9"


@dataclass(slots=True)
class VariableUse:
    """One ``$VAR`` / ``${VAR...}``; offsets are into the interpolated string."""

    name: str
    start: int
    end: int
    operator: str | None = None  # one of _OPERATORS
    argument: str | None = None  # the default / message / alternative as written
    value: str | None = None  # the variable's value (None: not set)
    evaluated: bool = True  # False inside a default that was not needed

    @property
    def missing(self) -> bool:
        """Unset and nothing stands in for it: Compose warns and substitutes an empty string."""
        return self.value is None and self.operator is None and self.evaluated


@dataclass(slots=True)
class InterpolationError:
    start: int
    end: int
    message: str
    required: bool = False  # a ``${VAR:?message}`` whose variable has no value
    too_deep: bool = False  # substitutions nested past MAX_NESTING
    too_long: bool = False  # the value grew past MAX_VALUE


@dataclass(slots=True)
class Interpolation:
    value: str
    uses: list[VariableUse] = field(default_factory=list)
    errors: list[InterpolationError] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.uses) or self.errors != []


def interpolate(template: str, lookup: Lookup) -> Interpolation:
    out = Interpolation("")
    if "$" not in template:
        out.value = template
        return out
    try:
        out.value = _expand(template, 0, len(template), lookup, out, 0, True, 0)
    except TooLong:
        out.value = TOO_LONG
        out.errors.append(InterpolationError(0, len(template), f"The substituted value is longer than "
                                             f"{MAX_VALUE // 1024} KiB: too long to check", too_long=True))
    return out


def _expand(s: str, i: int, end: int, lookup: Lookup, out: Interpolation, base: int, evaluated: bool,
            depth: int) -> str:
    parts: list[str] = []
    size = 0
    while i < end:
        j = s.find("$", i, end)
        if j < 0:
            parts.append(s[i:end])
            break
        parts.append(s[i:j])
        nxt = s[j + 1] if j + 1 < end else ""
        if nxt == "$":
            parts.append("$")
            i = j + 2
        elif nxt == "{":
            close = _matching_brace(s, j + 2, end)
            if close < 0:
                out.errors.append(InterpolationError(base + j, base + end, _invalid(s[j:end])))
                parts.append(s[j:end])
                break
            parts.append(_braced(s, j, close, lookup, out, base, evaluated, depth))
            i = close + 1
        elif nxt and _is_name_start(nxt):
            k = j + 2
            while k < end and _is_name_char(s[k]):
                k += 1
            name = s[j + 1 : k]
            value = lookup(name)
            out.uses.append(VariableUse(name, base + j, base + k, value=value, evaluated=evaluated))
            parts.append(bounded(value))
            i = k
        else:
            parts.append("$")
            i = j + 1
        size += len(parts[-1]) + len(parts[-2])
        if size > MAX_VALUE:
            raise TooLong
    result = "".join(parts)
    if len(result) > MAX_VALUE:
        raise TooLong
    return result


def _matching_brace(s: str, i: int, end: int) -> int:
    depth = 0
    while i < end:
        ch = s[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    return -1


def _invalid(text: str) -> str:
    return f"Invalid interpolation `{text}`: write `$$` for a literal `$`"


def _braced(s: str, j: int, close: int, lookup: Lookup, out: Interpolation, base: int, evaluated: bool,
            depth: int) -> str:
    """``s[j:close + 1]`` is ``${...}``."""
    k = j + 2
    if k < close and _is_name_start(s[k]):
        k += 1
        while k < close and _is_name_char(s[k]):
            k += 1
    name = s[j + 2 : k]
    operator = next((op for op in _OPERATORS if s.startswith(op, k)), None) if k < close else None
    if not name or (k < close and operator is None):
        out.errors.append(InterpolationError(base + j, base + close + 1, _invalid(s[j : close + 1])))
        return s[j : close + 1]
    value = lookup(name) if evaluated else None
    arg_start = k + len(operator) if operator else close
    argument = s[arg_start:close] if operator else None
    use = VariableUse(name, base + j, base + close + 1, operator, argument, value, evaluated)
    out.uses.append(use)
    if operator is None:
        return bounded(value)
    set_ = value is not None
    if depth >= MAX_NESTING:
        # Reading further would recurse once per level; say where it stopped instead.
        out.errors.append(InterpolationError(base + j, base + close + 1, f"Substitutions nest deeper than "
                                             f"{MAX_NESTING} levels here; the rest is not substituted",
                                             too_deep=True))
        return s[j : close + 1]
    usable = usable_value(value, operator)
    kind = operator[-1]
    if kind == "-":
        return bounded(value) if usable else _expand(s, arg_start, close, lookup, out, base, evaluated and not usable,
                                                     depth + 1)
    if kind == "+":
        return _expand(s, arg_start, close, lookup, out, base, evaluated and usable, depth + 1) if usable else ""
    # "?": required
    if not usable and evaluated:
        message = _expand(s, arg_start, close, lookup, out, base, True, depth + 1).strip()
        text = f"The required variable `{name}` is {'empty' if set_ else 'not set'}"
        out.errors.append(InterpolationError(base + j, base + close + 1, text + (f": {message}" if message else ""),
                                             required=True))
    return bounded(value)


def usable_value(value: str | None, operator: str) -> bool:
    """Whether ``${VAR<operator>...}`` uses the variable's own value (``:`` also refuses empty)."""
    return value is not None and (value != "" or ":" not in operator)
