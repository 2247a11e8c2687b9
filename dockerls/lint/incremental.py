"""Linting a Dockerfile again after an edit without running every rule on every stage again.

The language server lints on every keystroke, and a keystroke changes one stage.  Most rules look
at one stage only: they declare ``scope = "stage"`` (:class:`dockerls.rules.base.Rule`), meaning
their findings for a stage follow from

* the stage's own text (from the line of its FROM to the line of the next FROM),
* the preamble (directives and global ARGs: everything before the first FROM's line),
* the text of the stages it is built ``FROM``, and
* the stage names, in order, and the stage's index and first line (messages name lines).

Those inputs are the stage's key in a :class:`StageMemo`.  The next lint of the same document
takes a stage's findings from the memo when its key is unchanged and moves them to where the stage
now starts (typing on an earlier line moves its offsets; it starts at a line start, so lines and
columns stay); only changed stages run the stage rules again.  Rules with ``scope = "file"`` run on everything
every time.  The command line lints each file once and does not use this.

Within a stage that changed, the rules that also declare ``per_instruction = True`` (their findings
on an instruction follow from its own text, its line, and what the stage's ARG, ENV and SHELL
instructions before it set up, there and in the stages it is built ``FROM``: variables, the shell; see
:class:`dockerls.rules.base.Rule`) are not run again on an instruction whose text, line and those
facts are the same as in the last lint: typing in one
RUN of a large stage re-checks that RUN, not all of them, for those rules.

``tests/lint/test_incremental.py`` lints the corpus after edits both ways and requires the same
findings: that test is what keeps a rule's ``scope = "stage"`` (and ``per_instruction``) honest.
"""

from __future__ import annotations

from typing import Callable, Hashable

from dockerls.finding import Edit, Finding, Fix, Related
from dockerls.parse.dockerfile.model import Dockerfile, Instruction
from dockerls.text import Range

# The instructions whose text a per-instruction rule's findings on a later one may follow from: what
# sets up the variables and the shell it sees (with FROM and ONBUILD, to be safe).  Not COPY,
# LABEL..., nor the lines an edit breaks off a RUN (typing after a line's escape ends the RUN there,
# and the lines after it become instructions with other keywords).
SETS_UP = frozenset({"FROM", "ARG", "ENV", "SHELL", "ONBUILD"})

# Runs the stage rules on some instructions (in file order) and returns what they found.
RunStage = Callable[[list[Instruction]], list[Finding]]


class _Unit:
    """A stage (or the preamble) of one version of a document: where it starts and ends, its first
    line, its instructions, and its key (what its stage rules' findings follow from)."""

    __slots__ = ("start", "end", "line", "instructions", "key")

    def __init__(self, start: int, end: int, line: int, instructions: list[Instruction], key: tuple):
        self.start, self.end, self.line, self.instructions, self.key = start, end, line, instructions, key


class _Entry:
    __slots__ = ("start", "findings")

    def __init__(self, start: int, findings: list[Finding]):
        self.start, self.findings = start, findings


class StageMemo:
    """The stage rules' findings of a document's last lint, by stage key.

    Only the last version's stages are kept, so memory stays proportional to the document.
    ``config_key`` names the configuration they were found under; another one starts afresh.
    """

    def __init__(self) -> None:
        self._entries: dict[tuple, _Entry] = {}
        self._config_key: Hashable = None
        # Per stage index: (the stage's surroundings, the per-instruction rules' findings by instruction key).
        self._instructions: dict[int, tuple[Hashable, dict[Hashable, _Entry]]] = {}
        self.hits = self.misses = 0  # of the last lint: for tests and benchmarks
        self.instruction_hits = self.instruction_misses = 0

    def findings(self, df: Dockerfile, config_key: Hashable, run_stage: RunStage,
                 run_instruction: RunStage | None = None,
                 instruction_keywords: frozenset[str] | None = None) -> list[Finding]:
        """The stage rules' findings for every stage of ``df``: remembered where the stage is
        unchanged, from ``run_stage`` where it is new.  ``run_instruction`` runs the stage rules
        that are ``per_instruction`` on one instruction (``run_stage`` runs the others), on the
        instructions of ``instruction_keywords`` (None: all)."""
        if config_key != self._config_key:
            self._entries, self._config_key, self._instructions = {}, config_key, {}
        old, new = self._entries, {}
        out: list[Finding] = []
        self.hits = self.misses = self.instruction_hits = self.instruction_misses = 0
        for unit in _units(df):
            entry = old.get(unit.key)
            if entry is not None:
                self.hits += 1
                found = _moved(entry, unit)
            else:
                self.misses += 1
                found = run_stage(unit.instructions) if unit.instructions else []
                if run_instruction is not None and unit.instructions:
                    found = found + self._per_instruction(df, unit, run_instruction, instruction_keywords)
                if not all(_inside(f, unit) for f in found):
                    out.extend(found)  # points outside its stage: cannot be moved, so not kept
                    continue
            new[unit.key] = _Entry(unit.start, found)
            out.extend(found)
        self._entries = new
        return out

    def _per_instruction(self, df: Dockerfile, unit: _Unit, run: RunStage,
                         keywords: frozenset[str] | None) -> list[Finding]:
        """The per-instruction rules' findings on a changed stage, instruction by instruction:
        remembered where the instruction's key is the last lint's (its text from the start of its
        first line, that line, and the text of the stage's :data:`SETS_UP` instructions before it),
        moved to where it is now."""
        index = unit.key[0]  # -1 for the preamble
        # The stage's index, line, names and preamble, and what its base stages set up (their
        # SETS_UP instructions, with their lines): not the base stages' RUNs, which the
        # per-instruction rules do not read, so typing in a RUN of a stage others are built on does
        # not make them check every instruction of those stages again.
        surroundings = unit.key[:4] + tuple(_set_up(df, b) for b in _bases(df, index)) if index >= 0 else unit.key[:-1]
        kept = self._instructions.get(index)
        old = kept[1] if kept is not None and kept[0] == surroundings else {}
        new: dict[Hashable, _Entry] = {}
        text = df.text
        facts: tuple[str, ...] = ()
        out: list[Finding] = []
        for ins in unit.instructions:
            start, line = _first_line(df, ins)
            own = text[start:ins.range.end_offset]
            if keywords is None or ins.keyword in keywords:
                key = (line, own, facts)
                entry = old.get(key)
                if entry is not None:
                    self.instruction_hits += 1
                    delta = start - entry.start
                    found = [_shift(f, delta) for f in entry.findings] if delta else entry.findings
                else:
                    self.instruction_misses += 1
                    found = run([ins])
                if all(start <= s <= e <= ins.range.end_offset for f in found for s, e in _ranges(f)):
                    new[key] = _Entry(start, found)
                out.extend(found)  # (one that points outside the instruction is not kept: it could not be moved)
            if ins.keyword in SETS_UP:
                facts = facts + (own,)
        self._instructions[index] = (surroundings, new)
        return out


def _first_line(df: Dockerfile, ins: Instruction) -> tuple[int, int]:
    """Where the line an instruction's text starts on starts, and that line."""
    line = ins.range.start.line
    if ins.continuations:  # a first line holding only the escape: the text starts there
        line = min(line, df.lines.position(ins.continuations[0]).line)
    return df.lines.line_starts[line], line


def _set_up(df: Dockerfile, index: int) -> tuple[tuple[int, str], ...]:
    """Stage ``index``'s :data:`SETS_UP` instructions (their first line and text): what the stages
    built on it inherit that a per-instruction rule may read (ARG/ENV values, the shell...)."""
    out = []
    for ins in df.stages[index].instructions:
        if ins.keyword in SETS_UP:
            start, line = _first_line(df, ins)
            out.append((line, df.text[start:ins.range.end_offset]))
    return tuple(out)


def _units(df: Dockerfile) -> list[_Unit]:
    text, lines, stages = df.text, df.lines, df.stages
    starts = [lines.line_starts[s.from_instruction.range.start.line] for s in stages]
    first = starts[0] if starts else len(text)
    preamble = text[:first]
    names = tuple((s.name or "").lower() for s in stages)
    before_first = [ins for ins in df.instructions if ins.stage_index < 0]
    units = [_Unit(0, first, 0, before_first, (-1, 0, names, preamble))]
    ends = starts[1:] + [len(text)]
    for i, stage in enumerate(stages):
        line = stage.from_instruction.range.start.line
        chain = tuple(text[starts[b]:ends[b]] for b in _bases(df, i))
        key = (i, line, names, preamble, chain, text[starts[i]:ends[i]])
        units.append(_Unit(starts[i], ends[i], line, stage.instructions, key))
    return units


def _bases(df: Dockerfile, index: int) -> list[int]:
    """Earlier stages named by stage ``index``'s FROM image, and theirs (more than BuildKit would
    follow, e.g. ``FROM builder:1``: a key with too much in it only costs a re-run)."""
    out: list[int] = []
    while True:
        image = df.stages[index].from_instruction.image
        base = df.stage_by_name(image.name) if image is not None else None
        if base is None or base.index >= index or base.index in out:
            return out
        out.append(base.index)
        index = base.index


def _ranges(f: Finding):
    yield f.range.start_offset, f.range.end_offset
    for rel in f.related:
        yield rel.range.start_offset, rel.range.end_offset
    if f.fix is not None:
        for e in f.fix.edits:
            yield e.start, e.end


def _inside(f: Finding, unit: _Unit) -> bool:
    return all(unit.start <= s <= e <= unit.end for s, e in _ranges(f))


def _moved(entry: _Entry, unit: _Unit) -> list[Finding]:
    delta = unit.start - entry.start
    return [_shift(f, delta) for f in entry.findings] if delta else entry.findings


def _shift_range(r: Range, delta: int) -> Range:
    return Range(r.start, r.end, r.start_offset + delta, r.end_offset + delta)


def _shift(f: Finding, delta: int) -> Finding:
    fix = f.fix
    if fix is not None:
        fix = Fix(fix.title, [Edit(e.start + delta, e.end + delta, e.new_text) for e in fix.edits], fix.applicability)
    related = [Related(_shift_range(r.range, delta), r.message) for r in f.related] if f.related else []
    moved = Finding(f.code, f.name, f.severity, f.message, _shift_range(f.range, delta), f.file, fix, related,
                    f.tags, f.source_file)
    moved.moved_from, f.moved_from = f, None  # one step back only: no chain of every version
    return moved
