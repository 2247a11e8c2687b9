"""Inline suppression: dockerls' and hadolint's ignore pragmas and BuildKit's ``# check=`` directive.

* ``# dockerls ignore=CODE[,CODE]`` (or ``# hadolint ignore=...``) in the comment lines right above
  an instruction silences those rules for that instruction;
* ``# dockerls global ignore=...`` (or ``# hadolint global ignore=...``) anywhere: for the file;
* ``# dockerls stage ignore=...`` (or ``# hadolint stage ignore=...``) above an instruction: for
  every instruction of its build stage;
* a pragma may end in a comment saying why: ``# hadolint ignore=DL3003 # the script needs it``
  (as hadolint reads it);
* with ``disable-ignore-pragma`` (hadolint's switch) the ignore pragmas are not honoured;
* ``# check=skip=Rule1,Rule2`` (``skip=all`` too) as a parser directive: for the file;
  ``# check=error=true`` turns the BuildKit checks' findings into errors.

Codes match a rule by code, name or alias (``DL4000`` or ``MaintainerDeprecated``), any case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dockerls.parse.dockerfile.model import Dockerfile

_PRAGMA = re.compile(r"(\s*#\s*)(dockerls|hadolint)\s+(?:(global)\s+|(stage)\s+)?ignore\s*=[ \t]*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class PragmaLine:
    """An ignore pragma as written on one line (any file kind: the syntax is the same)."""

    is_global: bool
    codes: tuple[tuple[str, int, int], ...]  # (code as written, start, end), offsets into the line
    codes_start: int  # where the code list starts in the line
    codes_end: int  # where it ends (trailing blanks and a trailing ``# reason`` excluded)
    is_stage: bool = False  # ``stage ignore=``: for the instruction's whole build stage

    @property
    def names(self) -> set[str]:
        """The codes, lower case, for matching against rule names."""
        return {code.lower() for code, _, _ in self.codes}


def parse_pragma(line: str) -> PragmaLine | None:
    """The pragma on a line (``# dockerls ignore=A, B``, ``# hadolint global ignore=C``), or None."""
    m = _PRAGMA.match(line)
    if not m:
        return None
    start = m.end()
    reason = line.find("#", start)
    end = len((line[:reason] if reason >= 0 else line).rstrip())
    codes = []
    pos = start
    for part in line[start:end].split(","):
        lead = len(part) - len(part.lstrip())
        code = part.strip()
        if code:
            codes.append((code, pos + lead, pos + lead + len(code)))
        pos += len(part) + 1
    return PragmaLine(bool(m.group(3)), tuple(codes), start, max(end, start), bool(m.group(4)))


@dataclass(slots=True)
class Suppressions:
    by_line: dict[int, set[str]] = field(default_factory=dict)  # first line of an instruction -> codes
    file_wide: set[str] = field(default_factory=set)
    skip_all: bool = False
    check_error: bool = False  # "# check=error=true"

    def suppresses(self, names: tuple[str, ...], line: int, buildkit: bool) -> bool:
        if self.skip_all and buildkit:
            return True
        codes = self.by_line.get(line)
        if not codes and not self.file_wide:
            return False
        lowered = [n.lower() for n in names]
        return any(n in self.file_wide for n in lowered) or bool(codes) and any(n in codes for n in lowered)


def parse_check_directive(value: str) -> tuple[set[str], bool, bool]:
    """``skip=A,B;error=true`` -> (skipped names, skip all, error)."""
    skipped: set[str] = set()
    skip_all = error = False
    for part in value.split(";"):
        key, _, val = part.partition("=")
        key = key.strip().lower()
        if key == "skip":
            for name in val.split(","):
                name = name.strip().lower()
                if name == "all":
                    skip_all = True
                elif name:
                    skipped.add(name)
        elif key == "error":
            error = val.strip().lower() == "true"
    return skipped, skip_all, error


def collect(df: Dockerfile, pragmas: bool = True) -> Suppressions:
    """The file's suppressions; ``pragmas`` False: BuildKit's directive only (``disable-ignore-pragma``)."""
    sup = Suppressions()
    check = df.directive("check")
    if check is not None:
        skipped, sup.skip_all, sup.check_error = parse_check_directive(check.value)
        sup.file_wide |= skipped
    if not pragmas:
        return sup
    stage_wide: dict[int, set[str]] = {}
    pending: set[str] = set()
    pending_line = -2
    comments = iter(df.comments)
    comment = next(comments, None)
    for ins in df.instructions:
        # Walk comments that end before this instruction; a pragma binds to the instruction that
        # directly follows its comment block.
        while comment is not None and comment.range.start_offset < ins.range.start_offset:
            pragma = parse_pragma(df.lines.line_text(comment.range.start.line))
            line = comment.range.start.line
            if pending_line != line - 1:
                pending = set()
            if pragma is not None:
                if pragma.is_global:
                    sup.file_wide |= pragma.names
                elif pragma.is_stage:
                    stage_wide.setdefault(ins.stage_index, set()).update(pragma.names)
                else:
                    pending |= pragma.names
            pending_line = line
            comment = next(comments, None)
        if pending and pending_line == ins.range.start.line - 1:
            sup.by_line.setdefault(ins.range.start.line, set()).update(pending)
        pending = set()
    if stage_wide:
        for ins in df.instructions:
            if ins.stage_index in stage_wide:
                sup.by_line.setdefault(ins.range.start.line, set()).update(stage_wide[ins.stage_index])
    while comment is not None:  # trailing global pragmas
        pragma = parse_pragma(df.lines.line_text(comment.range.start.line))
        if pragma is not None and pragma.is_global:
            sup.file_wide |= pragma.names
        comment = next(comments, None)
    return sup
