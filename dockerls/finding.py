"""What a rule reports: findings, their severities, and the fixes they carry."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from dockerls.text import Range


class Severity(IntEnum):
    """Ordered so that ``a >= b`` means "a is at least as serious as b"."""

    STYLE = 1
    INFO = 2
    WARNING = 3
    ERROR = 4

    @classmethod
    def parse(cls, name: str) -> Severity:
        try:
            return cls[name.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity '{name}' (use error, warning, info or style)") from None

    def __str__(self) -> str:
        return self.name.lower()


SAFE = "safe"  # behaviour is kept: --fix applies it
UNSAFE = "unsafe"  # the meaning may change: only with --unsafe-fixes


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` with ``new_text`` (offsets into the checked text)."""

    start: int
    end: int
    new_text: str


@dataclass(slots=True)
class Fix:
    title: str
    edits: list[Edit]
    applicability: str = SAFE

    def to_json(self, lines) -> dict[str, Any]:
        return {
            "title": self.title,
            "applicability": self.applicability,
            "edits": [
                {"range": lines.range(e.start, e.end).to_json(), "newText": e.new_text} for e in self.edits
            ],
        }


@dataclass(slots=True)
class Related:
    range: Range
    message: str


@dataclass(slots=True)
class Finding:
    code: str
    name: str
    severity: Severity
    message: str
    range: Range
    file: str | None = None
    fix: Fix | None = None
    related: list[Related] = field(default_factory=list)
    tags: tuple[str, ...] = ()  # "unnecessary", "deprecated" (LSP diagnostic tags)
    source_file: str | None = None  # for cross-file findings: the file the finding was found from
    # The finding of the last lint this one is a copy of, moved to new offsets with the same lines
    # and columns (dockerls.lint.incremental): its diagnostic is the same, so the language server
    # does not render it again.  Not copied by dataclasses.replace (a copy may differ).
    moved_from: Finding | None = field(default=None, init=False, repr=False, compare=False)

    def sort_key(self) -> tuple:
        return (self.file or "", self.range.start_offset, self.range.end_offset, self.code)
