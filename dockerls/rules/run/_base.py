"""The base of the ``run`` rules: a finding at the start of a file, made without a lint pass."""

from __future__ import annotations

from typing import ClassVar

from dockerls.finding import Finding
from dockerls.rules.base import Rule
from dockerls.text import Position, Range

_START = Range(Position(0, 0), Position(0, 0), 0, 0)


class RunRule(Rule):
    kind: ClassVar[str] = "run"

    @classmethod
    def at_start(cls, path: str | None, message: str) -> Finding:
        """This rule's finding at the first character of the file ``path``."""
        return Finding(code=cls.code, name=cls.name, severity=cls.severity, message=message, range=_START, file=path)
