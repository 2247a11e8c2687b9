"""Shared by the BuildKit build checks (DF2xx): BuildKit's automatic ARGs, its "did you mean"
suggestion, and variable references mapped to document ranges."""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from dockerls.parse.dockerfile.variables import VarRef, find_refs

# Defined for every FROM line without a declaration (BuildKit's automatic platform ARGs).
AUTOMATIC_ARGS = frozenset({
    "BUILDPLATFORM", "BUILDOS", "BUILDOSVERSION", "BUILDARCH", "BUILDVARIANT",
    "TARGETPLATFORM", "TARGETOS", "TARGETOSVERSION", "TARGETARCH", "TARGETVARIANT", "TARGETSTAGE",
})

# Values the automatic ARGs take on a typical linux/amd64 build, to evaluate FROM lines.
AUTOMATIC_VALUES = {
    "BUILDPLATFORM": "linux/amd64", "BUILDOS": "linux", "BUILDOSVERSION": "", "BUILDARCH": "amd64",
    "BUILDVARIANT": "", "TARGETPLATFORM": "linux/amd64", "TARGETOS": "linux", "TARGETOSVERSION": "",
    "TARGETARCH": "amd64", "TARGETVARIANT": "", "TARGETSTAGE": "",
}

# Known to the build inside a stage only once declared with ARG (BuildKit warns otherwise).
PREDEFINED_IN_STAGE = AUTOMATIC_ARGS | {
    "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy",
    "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
}


def levenshtein(a: str, b: str, limit: int = 3) -> int:
    """Edit distance of ``a`` and ``b``, or ``limit`` when it is at least that."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) >= limit:
            return limit
        previous = current
    return min(previous[-1], limit)


def suggest(name: str, options: Iterable[str]) -> str | None:
    """The option closest to ``name`` (edit distance under 3, as BuildKit), or None."""
    best, best_distance = None, 3
    for option in sorted(set(options)):
        if option == name:
            return None
        distance = levenshtein(name, option, best_distance)
        if distance < best_distance:
            best, best_distance = option, distance
    return best


def refs_at(text: str, base: int, doc_text: str, escape: str) -> Iterator[tuple[VarRef, int, int]]:
    """Each variable reference of ``text`` with its document span.  ``text`` is assumed to sit
    at ``base`` in the document; when it does not (continuation lines joined), every reference
    gets the span of the whole text."""
    exact = doc_text[base:base + len(text)] == text
    for ref in find_refs(text, escape):
        if exact:
            yield ref, base + ref.start, base + ref.end
        else:
            yield ref, base, base + len(text)


_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[0-9a-fA-F:.]+\])(?::[0-9]+)?"
_REFERENCE = re.compile(
    rf"(?:{_DOMAIN}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*"
    r"(?::[\w][\w.-]{0,127})?"
    r"(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?")
_HEX64 = re.compile(r"[a-f0-9]{64}")


def is_valid_reference(ref: str) -> bool:
    """Whether ``ref`` is an image reference Docker accepts (``distribution/reference``'s
    ParseNormalizedNamed): lower-case repository, valid tag and digest, not empty."""
    if not ref or _HEX64.fullmatch(ref):
        return False
    name = ref.split("@", 1)[0]
    colon = name.rfind(":")
    if colon > name.rfind("/"):
        name = name[:colon]
    if len(name) > 255:
        return False
    return _REFERENCE.fullmatch(ref) is not None
