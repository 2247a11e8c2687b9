"""Shared by the label rules (DL3048-DL3058): the configured label schema and the value checks."""

from __future__ import annotations

import re
from typing import ClassVar

from dockerls.parse.dockerfile.variables import find_refs
from dockerls.rules.base import WARNING, Rule

TYPES = ("text", "url", "rfc3339", "spdx", "hash", "semver", "email")


def label_schema(config) -> dict[str, str]:
    """``label-schema`` with its types normalised (an empty type is ``text``)."""
    return {str(k): (str(v).strip().lower() or "text") for k, v in config.label_schema.items()}


def has_variables(text: str, escape: str) -> bool:
    return "$" in text and bool(find_refs(text, escape))


class LabelValueRule(Rule):
    """A schema label of one type whose value is not of that type (empty values are DL3051's)."""

    severity = WARNING
    instructions = frozenset({"LABEL"})
    label_type: ClassVar[str]

    def __init__(self, ctx):
        super().__init__(ctx)
        schema = label_schema(ctx.config)
        self.keys = {k for k, t in schema.items() if t == self.label_type}

    def problem(self, key: str, value: str) -> str | None:
        """None when ``value`` is valid for the label ``key``; otherwise the finding's message."""
        raise NotImplementedError

    def check(self, ins):
        if not self.keys:
            return None
        out = []
        for pair in ins.pairs:
            value = pair.value or ""
            if pair.key not in self.keys or not value or has_variables(value, self.ctx.df.escape):
                continue
            message = self.problem(pair.key, value)
            if message:
                out.append(self.finding(pair.value_range or pair.range, message))
        return out


# The patterns below are compiled on first use (re keeps them): most lints never need them, and
# compiling them all when the rules load delayed the first diagnostics by milliseconds.

# RFC 3986 absolute URI: scheme ":" then URI characters, "%" only as a percent-encoded octet.
_URI = r"[A-Za-z][A-Za-z0-9+.\-]*:(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*"


def is_absolute_uri(value: str) -> bool:
    return re.fullmatch(_URI, value) is not None


_RFC3339 = (
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))")


def is_rfc3339(value: str) -> bool:
    m = re.fullmatch(_RFC3339, value)
    if not m:
        return False
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    import calendar  # on first use, as the patterns

    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]):
        return False
    if hour > 23 or minute > 59 or second > 60:  # 60: a leap second
        return False
    if m.group(7) is not None and (int(m.group(7)) > 23 or int(m.group(8)) > 59):
        return False
    return True


_GIT_HASH = r"[0-9a-f]{7}|[0-9a-f]{40}"


def is_git_hash(value: str) -> bool:
    return re.fullmatch(_GIT_HASH, value) is not None


# semver.org 2.0.0
_SEMVER = (
    r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?")


def is_semver(value: str) -> bool:
    return re.fullmatch(_SEMVER, value) is not None


# RFC 5322 addr-spec: dot-atom or quoted-string "@" dot-atom (host names) or a domain literal.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
_EMAIL = (
    rf"(?:{_ATOM}(?:\.{_ATOM})*|\"(?:[^\"\\\r\n]|\\.)*\")"
    rf"@(?:{_LABEL}(?:\.{_LABEL})*|\[[^\[\]\\\s]*\])")


def is_email(value: str) -> bool:
    return re.fullmatch(_EMAIL, value) is not None
