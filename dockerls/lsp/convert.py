"""Offsets in the model <-> LSP positions and ranges in the client's encoding."""

from __future__ import annotations

from lsprotocol import types

from dockerls.text import Encoding, LineIndex


def position(lines: LineIndex, offset: int, encoding: Encoding) -> types.Position:
    p = lines.to_client(lines.position(offset), encoding)
    return types.Position(line=p.line, character=p.character)


def range_(lines: LineIndex, start: int, end: int, encoding: Encoding) -> types.Range:
    return types.Range(start=position(lines, start, encoding), end=position(lines, end, encoding))


def range_json(lines: LineIndex, start: int, end: int, encoding: Encoding) -> dict:
    """The same as :func:`range_`, as plain JSON (for a diagnostic's ``data``)."""
    a = lines.to_client(lines.position(start), encoding)
    b = lines.to_client(lines.position(end), encoding)
    return {"start": {"line": a.line, "character": a.character}, "end": {"line": b.line, "character": b.character}}


def text_edit(lines: LineIndex, edit, encoding: Encoding) -> types.TextEdit:
    return types.TextEdit(range=range_(lines, edit.start, edit.end, encoding), new_text=edit.new_text)
