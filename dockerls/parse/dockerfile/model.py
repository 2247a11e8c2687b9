"""The Dockerfile model: every piece of a Dockerfile with its exact range.

Produced by :func:`dockerls.parse.dockerfile.parse_dockerfile`; consumed by rules, fixes, the
language services and the develop plan.  Pure data: no I/O, no pygls, no docker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterator

from dockerls.text import LineIndex, Range, map_offset


@dataclass(slots=True)
class Problem:
    """Something wrong with the file itself (not a rule finding): bad encoding, syntax, heredocs."""

    code: str  # DF000..DF009, see dockerls/parse/dockerfile/problems.py
    message: str
    range: Range
    severity: str = "error"


@dataclass(slots=True)
class Directive:
    """A parser directive at the top of the file: ``# syntax=``, ``# escape=``, ``# check=``."""

    name: str  # lower case
    value: str
    range: Range
    name_range: Range
    value_range: Range


@dataclass(slots=True)
class Comment:
    text: str  # without the leading '#', stripped
    range: Range
    in_continuation: bool = False  # a comment line inside a continued instruction


@dataclass(slots=True, frozen=True)
class FlagOption:
    """One ``key=value`` of a flag's value list (``--mount=type=cache,from=build``)."""

    key: str  # lower case, blanks stripped
    value: str | None  # blanks stripped; None for a bare ``key``
    start: int  # offset of ``value`` (of ``key`` when bare) in ``Flag.value``


@dataclass(slots=True)
class Flag:
    """``--name=value`` or ``--name`` before an instruction's arguments."""

    name: str  # without the dashes
    value: str | None
    range: Range
    name_range: Range
    value_range: Range | None
    raw: str = ""  # as written, e.g. "--mount=type=cache,target=/root/.cache"
    _options: list[FlagOption] | None = field(default=None, repr=False, compare=False)

    @property
    def options(self) -> list[FlagOption]:
        """The comma-separated ``key=value`` options of the value, read once."""
        if self._options is None:
            self._options = _split_options(self.value or "")
        return self._options

    def option(self, key: str) -> str | None:
        """The value of the last option ``key`` (BuildKit lets a later one win)."""
        found = None
        for option in self.options:
            if option.key == key:
                found = option.value
        return found

    def value_offset(self, i: int) -> int | None:
        """Document offset of character ``i`` of ``value``; None when the value is not written as
        one run of characters (quotes, escapes or a line continuation in it)."""
        rng = self.value_range
        if rng is None or self.value is None or rng.end_offset - rng.start_offset != len(self.value):
            return None
        return rng.start_offset + i


def _split_options(value: str) -> list[FlagOption]:
    out = []
    pos = 0
    for part in value.split(","):
        key, eq, rest = part.partition("=")
        if eq:
            stripped = rest.strip()
            start = pos + len(key) + 1 + (len(rest) - len(rest.lstrip()))
            out.append(FlagOption(key.strip().lower(), stripped, start))
        elif part.strip():
            out.append(FlagOption(part.strip().lower(), None, pos + len(part) - len(part.lstrip())))
        pos += len(part) + 1
    return out


@dataclass(slots=True, frozen=True)
class StageRef:
    """A name that may point to a build stage: ``FROM name``, ``COPY --from=name``,
    ``RUN --mount=from=name``.  ``start``/``end`` are document offsets, None when not linear."""

    name: str
    kind: str  # "from", "copy" (COPY/ADD --from) or "mount"
    start: int | None
    end: int | None


@dataclass(slots=True)
class Word:
    """A whitespace-separated (quote-aware) word of the arguments, or one element of a JSON array."""

    value: str  # quotes removed, escapes kept as written (variables are not expanded)
    raw: str  # as written
    range: Range


@dataclass(slots=True)
class KeyValue:
    """One pair of ENV / LABEL / ARG.  ``legacy`` is the ``ENV key value`` form without ``=``."""

    key: str
    value: str | None  # None: ``ARG name`` without a default
    raw_value: str | None  # as written, quotes kept
    range: Range
    key_range: Range
    value_range: Range | None
    legacy: bool = False


@dataclass(slots=True)
class ImageRef:
    """An image reference split into its parts; each part's range is None when absent."""

    raw: str
    range: Range
    registry: str | None
    name: str  # repository path without registry, e.g. "library/ubuntu" stays "library/ubuntu"
    tag: str | None
    digest: str | None
    registry_range: Range | None
    name_range: Range
    tag_range: Range | None
    digest_range: Range | None
    has_variables: bool = False

    @property
    def full_name(self) -> str:
        return f"{self.registry}/{self.name}" if self.registry else self.name


@dataclass(slots=True)
class Heredoc:
    name: str
    name_range: Range  # the ``<<EOT`` marker on the instruction line
    strip_tabs: bool  # ``<<-EOT``
    quoted: bool  # ``<<"EOT"`` / ``<<'EOT'``: no expansion in the body
    body: str
    body_range: Range
    terminator_range: Range | None  # None when the heredoc is not terminated
    terminated: bool = True


@dataclass(slots=True)
class Instruction:
    keyword: str  # upper case, e.g. "RUN"
    keyword_text: str  # as written
    range: Range  # the whole instruction, continuation lines and heredoc bodies included
    keyword_range: Range
    flags: list[Flag]
    args_text: str  # arguments after the flags, continuations joined as BuildKit joins them
    args_range: Range | None  # from the first to the last character of the arguments
    json: list[str] | None  # exec form values when the arguments are a valid JSON string array
    heredocs: list[Heredoc]
    stage_index: int  # -1 before the first FROM
    index: int  # position among the file's top-level instructions
    inner: Instruction | None = None  # ONBUILD's instruction
    pairs: list[KeyValue] = field(default_factory=list)  # ENV, LABEL, ARG
    image: ImageRef | None = None  # FROM
    stage_name: Word | None = None  # FROM ... AS name
    as_range: Range | None = None  # the ``AS`` keyword of FROM
    # (joined args offset, document offset, length) segments mapping args_text back to the file
    segments: list[tuple[int, int, int]] = field(default_factory=list, repr=False)
    empty_continuation_lines: list[int] = field(default_factory=list)  # blank lines inside continuations
    continuations: list[int] = field(default_factory=list)  # offsets of the escape characters ending lines
    _words: list[Word] | None = field(default=None, repr=False)
    _words_factory: Callable[[], list[Word]] | None = field(default=None, repr=False)

    @property
    def words(self) -> list[Word]:
        """Shell-form words (quote-aware split) or JSON array elements, with ranges."""
        if self._words is None:
            factory, self._words_factory = self._words_factory, None
            self._words = factory() if factory else []
        return self._words

    @words.setter
    def words(self, value: list[Word]) -> None:
        self._words, self._words_factory = value, None

    def set_words_factory(self, factory: Callable[[], list[Word]]) -> None:
        """Words computed on first access (the parser defers the costly ones)."""
        self._words, self._words_factory = None, factory

    @property
    def is_json(self) -> bool:
        return self.json is not None

    @property
    def line(self) -> int:
        return self.range.start.line

    def flag(self, name: str) -> Flag | None:
        name = name.lower()
        for f in self.flags:
            if f.name.lower() == name:
                return f
        return None

    def stage_refs(self) -> list[StageRef]:
        """Names this instruction may use as a stage: FROM's image when it could be a stage name
        (no registry, tag, digest or variable), ``COPY/ADD --from=``, ``RUN --mount=...,from=``."""
        keyword = self.keyword
        if keyword == "FROM":
            image = self.image
            if image is None or image.tag or image.digest or image.registry or image.has_variables:
                return []
            return [StageRef(image.raw, "from", image.range.start_offset, image.range.end_offset)]
        out = []
        if keyword in ("COPY", "ADD"):
            flag = self.flag("from")
            if flag is not None and flag.value:
                start = flag.value_offset(0)
                out.append(StageRef(flag.value, "copy", start, None if start is None else start + len(flag.value)))
        elif keyword == "RUN":
            for flag in self.flags:
                if flag.name.lower() != "mount" or not flag.value:
                    continue
                for option in flag.options:
                    if option.key == "from" and option.value:
                        start = flag.value_offset(option.start)
                        end = None if start is None else start + len(option.value)
                        out.append(StageRef(option.value, "mount", start, end))
        return out

    def doc_offset(self, args_offset: int) -> int:
        """The document offset of a character of ``args_text`` (joined continuations mapped back)."""
        default = self.args_range.start_offset if self.args_range else self.range.end_offset
        return map_offset(self.segments, args_offset, default)


@dataclass(slots=True)
class Stage:
    index: int
    name: str | None  # as written (case kept)
    from_instruction: Instruction
    instructions: list[Instruction]  # FROM first

    @property
    def range(self) -> Range:
        return self.from_instruction.range


@dataclass(slots=True)
class Dockerfile:
    text: str
    lines: LineIndex
    instructions: list[Instruction]
    stages: list[Stage]
    directives: list[Directive]
    comments: list[Comment]
    problems: list[Problem]
    escape: str = "\\"
    path: str | None = None
    is_binary: bool = False
    # Indexes derived from the model on first use (stages by name, variable scopes), so lookups
    # cost O(1) instead of a scan of the file each time.
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def global_args(self) -> list[Instruction]:
        found = []
        for i in self.instructions:
            if i.stage_index >= 0:
                break  # instructions are in order: the first stage ends the global ones
            if i.keyword == "ARG":
                found.append(i)
        return found

    def directive(self, name: str) -> Directive | None:
        for d in self.directives:
            if d.name == name:
                return d
        return None

    def stage_by_name(self, name: str) -> Stage | None:
        """The first stage named ``name`` (case-insensitive)."""
        index = self.memo.get("stages_by_name")
        if index is None or index[0] != len(self.stages):
            by_name: dict[str, Stage] = {}
            for s in self.stages:
                if s.name:
                    by_name.setdefault(s.name.lower(), s)
            index = self.memo["stages_by_name"] = (len(self.stages), by_name)
        return index[1].get(name.lower())

    def instruction_at_line(self, line: int) -> Instruction | None:
        instructions = self.instructions
        lo, hi = 0, len(instructions)
        while lo < hi:  # first instruction ending at or after the line
            mid = (lo + hi) // 2
            if instructions[mid].range.end.line < line:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(instructions) and instructions[lo].range.start.line <= line:
            return instructions[lo]
        return None

    def walk(self) -> Iterator[Instruction]:
        """Every instruction, ONBUILD's inner ones right after their ONBUILD."""
        for ins in self.instructions:
            yield ins
            if ins.inner is not None:
                yield ins.inner
