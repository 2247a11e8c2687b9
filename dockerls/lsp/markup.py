"""Markdown for clients that ask for plain text (``contentFormat: ["plaintext"]``: Emacs 28's
lsp-mode, some Vim clients): the same text without the Markdown syntax that would show raw."""

from __future__ import annotations

import re

from lsprotocol import types

_FENCE = re.compile(r"^```[^\n]*\n?", re.M)
_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_CODE = re.compile(r"`([^`\n]+)`")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_HEADING = re.compile(r"^#{1,6}[ \t]+", re.M)
_RULE = re.compile(r"^[ \t]*(?:---+|\*\*\*+)[ \t]*$\n?", re.M)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")


def plain_text(markdown: str) -> str:
    """``markdown`` as plain text: code shown as is, links as ``text (url)``, emphasis dropped."""
    text = _FENCE.sub("", markdown)
    text = _LINK.sub(lambda m: m.group(1) if m.group(1) == m.group(2) else f"{m.group(1)} ({m.group(2)})", text)
    text = _CODE.sub(r"\1", text)
    text = _STRONG.sub(r"\2", text)
    text = _EMPHASIS.sub(r"\1", text)
    text = _HEADING.sub("", text)
    text = _RULE.sub("", text)
    return _ESCAPE.sub(r"\1", text).strip()


def content(kind: types.MarkupKind, markdown: str) -> types.MarkupContent:
    """``markdown`` in the format the client asked for."""
    if kind == types.MarkupKind.PlainText:
        return types.MarkupContent(kind=kind, value=plain_text(markdown))
    return types.MarkupContent(kind=kind, value=markdown)
