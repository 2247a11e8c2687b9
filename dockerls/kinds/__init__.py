"""The kinds of file dockerls knows, each one object (:class:`dockerls.kinds.base.FileKind`): the
registry the language server and ``dockerls check`` find them in.

A new kind is a package beside these with a ``KIND`` object, added to ``KINDS``.  The order is the
order names are tried in (a ``compose.yaml`` is Compose before anything else).  Importing this is
cheap: the kinds import their parsers when they first analyse something.
"""

from __future__ import annotations

import os

from dockerls.kinds import compose, devcontainer, dockerfile
from dockerls.kinds.base import Analysis, FileKind

__all__ = ["KINDS", "Analysis", "FileKind", "classify", "for_path", "named"]

KINDS: tuple[FileKind, ...] = (compose.KIND, devcontainer.KIND, dockerfile.KIND)
_BY_NAME = {kind.name: kind for kind in KINDS}


def named(name: str) -> FileKind:
    """The kind called ``name`` (``dockerfile``, ``compose``, ``devcontainer``); KeyError otherwise."""
    return _BY_NAME[name]


def for_path(path: str | os.PathLike[str]) -> FileKind | None:
    """The kind the file name says, or None."""
    return next((kind for kind in KINDS if kind.matches_name(path)), None)


def classify(path: str | None, language_id: str | None) -> FileKind | None:
    """The kind of an editor's document, from its languageId and the file name (``path`` may be
    just a name, or None when the document has none): a kind's own languageId wins, a generic one
    (yaml, json) needs the name to agree, and any other goes by the name."""
    by_name = for_path(path) if path else None
    lid = (language_id or "").lower()
    for kind in KINDS:
        if lid in kind.language_ids:
            return kind
    for kind in KINDS:
        if lid in kind.generic_language_ids:
            return by_name if by_name is kind else None
    return by_name
