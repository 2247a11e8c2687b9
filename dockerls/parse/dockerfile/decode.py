"""Turning bytes from disk or an editor into text, with what went wrong said as problems."""

from __future__ import annotations

from dataclasses import dataclass

_BOM = "\ufeff"


@dataclass(slots=True)
class Decoded:
    text: str
    invalid_utf8_at: int | None  # byte offset of the first undecodable byte
    binary: bool  # NUL bytes: not a text file


def decode(data: bytes | str) -> Decoded:
    """Decode UTF-8 with replacement; detect binary content; drop a leading BOM.

    A BOM is removed as BuildKit does.  The text keeps its line endings (``\\r\\n`` included) so
    offsets match the file the user sees.
    """
    if isinstance(data, str):
        text = data
        bad = None
    else:
        try:
            text = data.decode("utf-8")
            bad = None
        except UnicodeDecodeError as err:
            bad = err.start
            text = data.decode("utf-8", "replace")
    binary = "\x00" in text
    if text.startswith(_BOM):
        text = text[1:]
    return Decoded(text, bad, binary)
