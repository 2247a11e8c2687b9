"""What the editor services answer, for every kind of file: plain dataclasses over document offsets
(code points into the document's text).  The language server converts them to LSP positions; a
location in another file carries that file's path.

Light on purpose (no parser imported): the language server and every kind share these.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Hover:
    markdown: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Completion:
    label: str
    # keyword, flag, value, variable, stage, directive, rule, snippet, property, service, enum, module
    kind: str
    detail: str = ""
    documentation: str | None = None  # Markdown
    insert_text: str | None = None
    snippet: bool = False  # insert_text uses LSP snippet syntax
    replace: tuple[int, int] | None = None  # document offsets the insertion replaces
    sort_text: str | None = None


@dataclass(slots=True)
class Symbol:
    name: str
    # class, module, function, variable, property, interface, event, object, field, key, namespace
    kind: str
    start: int  # the whole symbol
    end: int
    selection_start: int  # the part to reveal (keyword, name)
    selection_end: int
    detail: str = ""
    children: list[Symbol] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Fold:
    start_line: int
    end_line: int
    kind: str | None = None  # "comment", "region" or None


@dataclass(frozen=True, slots=True)
class Location:
    """A span in this document (``path`` None) or in the file at ``path``."""

    path: str | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Occurrence:
    start: int
    end: int
    write: bool  # a definition (highlighted as a write)


@dataclass(frozen=True, slots=True)
class Link:
    start: int
    end: int
    target: str
    tooltip: str


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    type: str
    modifiers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Signature:
    label: str
    parameters: tuple[tuple[int, int], ...]  # offsets into ``label``
    documentation: str


@dataclass(frozen=True, slots=True)
class SignatureHelp:
    signatures: tuple[Signature, ...]
    active_signature: int
    active_parameter: int


@dataclass(frozen=True, slots=True)
class InlayHint:
    """``label`` shown at ``offset`` (after what it explains)."""

    offset: int
    label: str
    tooltip: str = ""  # Markdown
