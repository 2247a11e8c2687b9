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
  ``# check=error=true`` turns the BuildKit checks' findings into errors.  The build argument
  ``BUILDKIT_DOCKERFILE_CHECK`` replaces that directive, as it does in BuildKit;
* ``# check=skip=...`` in the comments before any instruction: for that instruction, merged with
  the file's (see :func:`instruction_check_comments`);
* skipping a BuildKit check also skips the hadolint rules that report the same thing under another
  code (:data:`HADOLINT_TWINS`), so ``check=skip=JSONArgsRecommended`` does not leave DL3025 behind.

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
    # first line of an instruction -> (BuildKit checks its "# check=" comment skips, skips all)
    check_by_line: dict[int, tuple[set[str], bool]] = field(default_factory=dict)

    def suppresses_nothing(self) -> bool:
        return not (self.skip_all or self.check_by_line or self.by_line or self.file_wide)

    def suppresses(self, names: tuple[str, ...], line: int, buildkit: bool) -> bool:
        buildkit = buildkit or any(n.lower() in _TWIN_CODES for n in names)
        if self.skip_all and buildkit:
            return True
        local = self.check_by_line.get(line)
        if local is not None:
            skipped, skip_all = local
            if skip_all and buildkit or any(n.lower() in skipped for n in names):
                return True
        codes = self.by_line.get(line)
        if not codes and not self.file_wide:
            return False
        lowered = [n.lower() for n in names]
        return any(n in self.file_wide for n in lowered) or any(n in (codes or ()) for n in lowered)


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


def _may_hold_pragmas(text: str) -> bool:
    """False when ``text`` has no ignore pragma: every pragma holds "ignore" in some case (one scan
    of the text, much quicker than the case-blind pattern's search; most files have none)."""
    return "gnore" in text.lower()


def collect(df: Dockerfile, check_override: str | None = None, pragmas: bool = True) -> Suppressions:
    """The suppressions of ``df``.  ``check_override``: the value of the build argument
    ``BUILDKIT_DOCKERFILE_CHECK``, which BuildKit uses instead of the ``# check=`` directive;
    ``pragmas`` False: BuildKit's checks only (hadolint's ``disable-ignore-pragma``)."""
    sup = Suppressions()
    check = df.directive("check")
    value = check_override if check_override is not None else check.value if check is not None else None
    if value is not None:
        skipped, sup.skip_all, sup.check_error = parse_check_directive(value)
        sup.file_wide |= with_twins(skipped)
    sup.check_by_line = instruction_check_comments(df)
    if not pragmas or not _may_hold_pragmas(df.text):
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


# -- BuildKit's check comments and the hadolint twins of its checks -------------------------------

# BuildKit check (lower case) -> the hadolint rules that report the same thing under their own code.
# A BuildKit user who skipped the check must not meet it again under the other code.  Checks that
# *are* a hadolint rule (MaintainerDeprecated is DL4000, DuplicateStageName DL3024, ...) need no
# entry: the rule answers to the BuildKit name itself.
HADOLINT_TWINS: dict[str, tuple[str, ...]] = {
    "jsonargsrecommended": ("dl3025",),  # shell-form CMD / ENTRYPOINT
    "workdirrelativepath": ("dl3000",),  # relative WORKDIR
    "secretsusedinargorenv": ("dl3064",),  # a secret-looking ARG / ENV name
    "fromplatformflagconstdisallowed": ("dl3029",),  # FROM --platform with a constant
    "undefinedvar": ("dl3044",),  # ENV using a variable the same ENV sets
}
_TWIN_CODES = frozenset(code for codes in HADOLINT_TWINS.values() for code in codes)

_CHECK_COMMENT = re.compile(r"([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$")


def with_twins(skipped: set[str]) -> set[str]:
    """``skipped`` BuildKit check names (lower case) and the codes of their hadolint twins."""
    out = set(skipped)
    for name in skipped:
        out.update(HADOLINT_TWINS.get(name, ()))
    return out


def instruction_check_comments(df: Dockerfile) -> dict[int, tuple[set[str], bool]]:
    """The ``# check=`` comment of each instruction, as BuildKit reads it: first line of the
    instruction -> (skipped checks and their twins, skip all).

    BuildKit keeps, for each instruction, the comment lines since the previous one (blank lines do
    not break them; an empty ``#`` line starts them afresh; parser directives at the top are not
    among them).  The first comment of the form ``check=...`` among them counts; its value ends at
    the first blank (``# check=skip=all // why``), and a value BuildKit cannot parse is ignored.
    Only ``skip`` is merged with the file's configuration: ``error`` stays the file's.
    """
    out: dict[int, tuple[set[str], bool]] = {}
    comments = df.comments
    i, count = 0, len(comments)
    for ins in df.instructions:
        found = None  # the first ``check=`` comment since the last empty one before ``ins``
        while i < count and comments[i].range.start_offset < ins.range.start_offset:
            comment = comments[i]
            i += 1
            if comment.in_continuation:
                continue
            text = comment.text
            if not text:
                found = None
            elif found is None and "=" in text:
                m = _CHECK_COMMENT.match(text)
                if m is not None and m.group(1).lower() == "check":
                    found = m
        if found is not None:
            parsed = _parse_check_options(found.group(2).split(" ", 1)[0])
            if parsed is not None:
                skipped, skip_all = parsed
                if skipped or skip_all:
                    out[ins.range.start.line] = (with_twins(skipped), skip_all)
    return out


def _parse_check_options(value: str) -> tuple[set[str], bool] | None:
    """BuildKit's ``ParseLintOptions`` for ``skip`` (``error`` and ``experimental`` parsed, not
    used); None when BuildKit would refuse the value."""
    skipped: set[str] = set()
    skip_all = False
    for part in value.strip().split(";", 2) if value.strip() else []:
        key, eq, val = part.partition("=")
        if not eq:
            return None
        key, val = key.strip(), val.strip()
        if key == "skip":
            if val == "all":
                skip_all = True
            else:
                skipped = {name.strip().lower() for name in val.split(",") if name.strip()}
        elif key == "error":
            if val.lower() not in ("1", "t", "true", "0", "f", "false"):
                return None
        elif key != "experimental":
            return None
    return skipped, skip_all
