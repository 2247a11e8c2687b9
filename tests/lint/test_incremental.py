"""The language server's incremental lint (dockerls.lint.incremental) finds exactly what a full lint
finds, after every edit of a sequence: typing on a line, new and deleted lines, stages renamed,
rebased and added, global ARGs and pragmas added.  This is what keeps each ``scope = "stage"``
rule honest: a stage rule that looks at another stage shows up here as a difference."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dockerls.config import DEFAULT
from dockerls.lint.incremental import StageMemo
from dockerls.lint.runner import lint_dockerfile
from dockerls.lint.workspace_fs import StageRuleReadsFiles
from dockerls.parse.dockerfile import parse_dockerfile
from dockerls.rules.base import Rule
from dockerls.rules.registry import rules_of
from tests.conftest import shared_corpus

FIXTURES = Path(__file__).parent.parent / "rules" / "dockerfile"


def _canonical(findings):
    def rng(r):
        return (r.start_offset, r.end_offset, r.start.line, r.start.character, r.end.line, r.end.character)

    return sorted(
        (f.code, int(f.severity), f.message, rng(f.range),
         tuple((e.start, e.end, e.new_text) for e in f.fix.edits) if f.fix else None,
         f.fix.applicability if f.fix else None,
         tuple((rng(r.range), r.message) for r in f.related))
        for f in findings)


def _edits(text: str):
    """Versions of ``text``, each an edit of the one before."""
    lines = text.split("\n")
    n = len(lines)
    picks = sorted({0, n // 3, n // 2, (2 * n) // 3, n - 2} - {-1}) if n > 1 else [0]
    for k in picks:  # type a character, then take it back
        lines[k] += "x"
        yield "\n".join(lines)
        lines[k] = lines[k][:-1]
        yield "\n".join(lines)
    froms = [i for i, line in enumerate(lines) if line.lstrip().upper().startswith("FROM ")]
    if froms:
        at = froms[0] + 1
        lines.insert(at, "RUN apt-get install -y curl && cd /tmp")  # a new line shifts later stages
        yield "\n".join(lines)
        lines.insert(at, "ENV PATH=/opt/bin:$PATH VERSION=2")
        yield "\n".join(lines)
        del lines[at: at + 2]
        yield "\n".join(lines)
        lines[froms[0]] += " AS first"  # a stage gets a name the later ones may use
        yield "\n".join(lines)
        for i in froms[1:3]:
            lines[i] = "FROM first"  # a stage rebased on the first one
            yield "\n".join(lines)
        lines[froms[0]] = lines[froms[0]][: -len(" AS first")]
        yield "\n".join(lines)
    lines.insert(0, "ARG VERSION=1")
    yield "\n".join(lines)
    lines.insert(0, "# hadolint ignore=DL3008,DL3015")
    yield "\n".join(lines)
    lines.append("FROM scratch AS extra")
    lines.append("COPY --from=first / /")
    yield "\n".join(lines)
    if n > 3:
        del lines[n // 2]
        yield "\n".join(lines)


def _check(text: str) -> int:
    """Lint each version both ways; the number of stages the memo answered."""
    memo = StageMemo()
    hits = 0
    for version in [text, *_edits(text)]:
        full = lint_dockerfile(parse_dockerfile(version))
        incremental = lint_dockerfile(parse_dockerfile(version), memo=memo, memo_key=DEFAULT)
        assert _canonical(incremental) == _canonical(full), version
        hits += memo.hits
    return hits


def _fixture_texts():
    for path in sorted(FIXTURES.glob("*.yaml")):
        cases = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("cases", [])
        texts = [c["text"] for c in cases if isinstance(c.get("text"), str)]
        if texts:
            # The cases of a rule one after the other: several stages, names that meet.
            yield pytest.param("\n".join(texts), id=path.stem)


@pytest.mark.parametrize("text", list(_fixture_texts()))
def test_incremental_lint_equals_full_lint_on_rule_fixtures(text):
    _check(text)


def test_incremental_lint_equals_full_lint_on_the_corpus():
    root = shared_corpus("official")
    paths = sorted(root.glob("*Dockerfile"))
    assert paths
    hits = sum(_check(p.read_text(encoding="utf-8")) for p in paths)
    big = "\n".join(p.read_text(encoding="utf-8") for p in paths[:20])  # many stages in one file
    hits += _check(big)
    assert hits > 0


def test_stage_memo_reruns_only_the_edited_stage():
    text = "ARG V=1\nFROM alpine:3 AS a\nRUN apk add curl\n\nFROM a\nRUN apk add git\n"
    memo = StageMemo()
    lint_dockerfile(parse_dockerfile(text), memo=memo, memo_key=1)
    assert (memo.hits, memo.misses) == (0, 3)  # the preamble and two stages
    edited = text.replace("apk add git", "apk add gitx")
    found = lint_dockerfile(parse_dockerfile(edited), memo=memo, memo_key=1)
    assert (memo.hits, memo.misses) == (2, 1)
    assert _canonical(found) == _canonical(lint_dockerfile(parse_dockerfile(edited)))
    lint_dockerfile(parse_dockerfile(edited), memo=memo, memo_key=2)  # another configuration
    assert memo.misses == 3


def test_an_edited_stage_reruns_per_instruction_rules_only_on_the_edited_instruction():
    runs = "".join(f"RUN apt-get install -y pkg{i}\n" for i in range(6))
    text = f"FROM debian:12 AS a\nENV X=1\n{runs}"
    memo = StageMemo()
    lint_dockerfile(parse_dockerfile(text), memo=memo, memo_key=1)
    assert memo.instruction_misses == 8 and memo.instruction_hits == 0  # FROM, ENV and the RUNs
    edited = text.replace("pkg3", "pkg3 curl")
    found = lint_dockerfile(parse_dockerfile(edited), memo=memo, memo_key=1)
    assert (memo.instruction_hits, memo.instruction_misses) == (7, 1)
    assert _canonical(found) == _canonical(lint_dockerfile(parse_dockerfile(edited)))
    # What the RUNs see changes (an ENV before them): every RUN is checked again.
    changed = edited.replace("ENV X=1", "ENV X=2")
    found = lint_dockerfile(parse_dockerfile(changed), memo=memo, memo_key=1)
    assert (memo.instruction_hits, memo.instruction_misses) == (1, 7)  # the FROM before it is the same
    assert _canonical(found) == _canonical(lint_dockerfile(parse_dockerfile(changed)))


def test_base_stages_runs_and_broken_off_lines_leave_the_per_instruction_findings_of_later_ones():
    runs = "".join(f"RUN apt-get install -y pkg{i}\n" for i in range(4))
    text = f"FROM debian:12 AS a\nENV X=1\nRUN apt-get update && \\\n  true\nFROM a AS b\n{runs}"
    memo = StageMemo()
    lint_dockerfile(parse_dockerfile(text), memo=memo, memo_key=1)
    # Typing in stage a's RUN changes stage b's key, not what b's RUNs see from a (its ENV, its FROM).
    edited = text.replace("update", "update -q")
    found = lint_dockerfile(parse_dockerfile(edited), memo=memo, memo_key=1)
    assert memo.instruction_misses == 1
    assert _canonical(found) == _canonical(lint_dockerfile(parse_dockerfile(edited)))
    # Typing after the escape ends the RUN: its next line becomes an instruction of its own, which
    # sets up nothing the later RUNs see.
    broken = text.replace("&& \\\n", "&& \\x\n")
    found = lint_dockerfile(parse_dockerfile(broken), memo=memo, memo_key=1)
    assert memo.instruction_misses == 2
    assert _canonical(found) == _canonical(lint_dockerfile(parse_dockerfile(broken)))
    # An ENV of the base stage changes what stage b's RUNs see.
    changed = text.replace("ENV X=1", "ENV X=2")
    lint_dockerfile(parse_dockerfile(changed), memo=memo, memo_key=1)
    assert memo.instruction_misses >= 5


def test_a_check_error_directive_taken_back_gives_the_kept_findings_their_severity_again():
    # The directive made the kept findings errors: they must not stay errors once it is gone.
    text = "# check=error=true\nENV VERSION curl\nFROM alpine\n"
    memo = StageMemo()
    first = lint_dockerfile(parse_dockerfile(text), memo=memo, memo_key=1)
    assert any(f.code == "DF207" and f.severity.name == "ERROR" for f in first)
    edited = text.replace("# check", "#\\ check")
    found = lint_dockerfile(parse_dockerfile(edited), memo=memo, memo_key=1)
    assert _canonical(found) == _canonical(lint_dockerfile(parse_dockerfile(edited)))


def test_per_instruction_rules_are_stage_rules():
    marked = [rule for rule in rules_of("dockerfile") if rule.per_instruction]
    assert marked
    for rule in marked:
        assert rule.scope == "stage", rule.code


def test_run_facts_are_shared_by_runs_of_the_same_source():
    from dockerls.lint.context import LintContext

    df = parse_dockerfile("FROM a\nRUN apt-get update\nRUN apt-get update\n")
    ctx = LintContext(df, DEFAULT)
    again = LintContext(parse_dockerfile(df.text), DEFAULT)
    first = ctx.run_facts(df.instructions[1])
    assert ctx.run_facts(df.instructions[2]) is first
    assert again.run_facts(again.df.instructions[1]) is first


def test_stage_rules_have_no_finish():
    for rule in rules_of("dockerfile"):
        if rule.scope == "stage":
            assert rule.finish is Rule.finish, rule.code


def _parse_view(df):
    return (
        [(repr(ins), ins.segments, [repr(w) for w in ins.words]) for ins in df.instructions],
        [(s.index, s.name, [i.index for i in s.instructions]) for s in df.stages],
        [repr(c) for c in df.comments], [repr(p) for p in df.problems], [repr(d) for d in df.directives],
        df.escape,
    )


def _check_parse(text: str) -> int:
    """Parse each version from the one before and afresh; the number of instructions taken over."""
    previous = parse_dockerfile(text)
    taken = 0
    for version in _edits(text):
        reparsed = parse_dockerfile(version, previous=previous)
        assert _parse_view(reparsed) == _parse_view(parse_dockerfile(version)), version
        taken += sum(1 for a, b in zip(reparsed.instructions, previous.instructions) if a is b)
        previous = reparsed
    return taken


@pytest.mark.parametrize("text", list(_fixture_texts()))
def test_parse_from_previous_equals_parse_on_rule_fixtures(text):
    _check_parse(text)


def test_parse_from_previous_equals_parse_on_the_corpus():
    taken = sum(_check_parse(path.read_text(encoding="utf-8"))
                for path in sorted(shared_corpus("official").glob("*Dockerfile")))
    assert taken > 1000


@pytest.mark.parametrize("before, after", [
    ("FROM a\nRUN x \\\n  y\nRUN z\n", "FROM a\nRUN x \\\n  y \\\nRUN z\n"),  # a continuation reaches on
    ("FROM a\nRUN <<EOT\nbody\nEOT\nRUN z\n", "FROM a\nRUN <<EOT\nbody\nEOTX\nRUN z\n"),  # a heredoc loses its end
    ("# escape=`\nFROM a\nRUN x\nRUN y\n", "# escape=\\\nFROM a\nRUN x\nRUN y\n"),  # a directive changes
    ("FROM a\nRUN x\n# c\nRUN y\n", "FROM a\nRUN x\n# c \\\nRUN y\n"),
    ("FROM a\nRUN x\nRUN y\n", "FROM a\nRUN x\nRUN y\n"),
    ("FROM a\nRUN x\nRUN y\n", "FROM a\nRUN x\n"),
    ("FROM a\nRUN x\nRUN y\n", "FROM a\nRUN x\nRUN y\nRUN \xff\n"),
    ("FROM a\n\\\n  n\nRUN x\n", "FROM a\n\\\n  n\nRUN y\n"),  # a line holding only the escape (fuzzer)
    # The instructions after the edit are taken over, moved:
    ("FROM a\nRUN x\nRUN y\nRUN z\n", "FROM a\nRUN x RUN y\nRUN z\n"),  # two lines joined
    ("FROM a\nRUN x\nRUN y\nRUN z\n", "FROM a\nRUN x \\\nRUN y\nRUN z\n"),  # a continuation swallows one
    ("FROM a\nRUN x\nFROM b AS c\nRUN y\n", "FROM a\nRUN x\nRUN y\n"),  # a stage goes: indexes move
    ("FROM a\nRUN x\nRUN y\n", "FROM z\nFROM a\nRUN x\n\n\nRUN y\n"),  # a stage and lines come
    ("# escape=\\\nFROM a\nRUN x `\n  y\nRUN z\n", "# escape=`\nFROM a\nRUN x `\n  y\nRUN z\n"),
    ("FROM a\nRUN <<EOT\nRUN y\nEOT\nRUN z\n", "FROM a\nRUN <<EOT\nRUN y\nEOT2\nRUN z\n"),  # a heredoc's end
    ("FROM a\nRUN x\n# c\nRUN --mount=type=cache,target=/c y\n",
     "FROM a\nRUN xx\n# c\nRUN --mount=type=cache,target=/c y\n"),  # flags, comments moved
    ("FROM a AS b\nENV A=1 B=2\nLABEL x=y\nONBUILD RUN x\n", "\n\nFROM a AS b\nENV A=1 B=2\nLABEL x=y\nONBUILD RUN x\n"),
    ("FROM a\nRUN x\nRUN y\n", "FROM a\nRUN x\r\nRUN y\n"),
    ("FROM a\nRUN x\nRUN ab\n", "FROM a\nRUN x\nRUN aab\n"),  # a common prefix and suffix that overlap
    ("FROM a\nRUN y\nRUN y\n", "FROM a\nRUN y\nRUN y\nRUN y\n"),
])
def test_parse_from_previous_at_the_edges(before, after):
    assert _parse_view(parse_dockerfile(after, previous=parse_dockerfile(before))) == \
        _parse_view(parse_dockerfile(after))


class _StageRuleReadingFiles(Rule):
    """A rule that looks at a file next to the Dockerfile but says it is stage-scoped."""

    code = "XX001"
    scope = "stage"
    instructions = frozenset({"COPY"})

    def check(self, ins):
        self.ctx.fs.exists(".dockerignore")


@pytest.mark.parametrize("memo", [None, StageMemo()])
def test_a_stage_rule_that_reads_files_fails_loudly(memo):
    """A stage's findings are kept while its text is unchanged, so a rule that looks at files next
    to the Dockerfile (which change without the text changing) must stay file-scoped: a stage
    rule's context has an ``fs`` that refuses, and the runner lets that error through."""
    df = parse_dockerfile("FROM alpine:3\nCOPY . .\n", "Dockerfile")
    with pytest.raises(StageRuleReadsFiles):
        lint_dockerfile(df, rules=[_StageRuleReadingFiles], memo=memo, memo_key=1)


@pytest.mark.parametrize("text", list(_fixture_texts()))
def test_stage_rules_do_not_read_files(text, tmp_path):
    """Every rule on its fixtures, with the Dockerfile in a folder that has what file rules look
    for: a stage rule asking about a file raises StageRuleReadsFiles here."""
    (tmp_path / ".dockerignore").write_text("*.md\n")
    (tmp_path / "package.json").write_text("{}\n")
    (tmp_path / "requirements.txt").write_text("flask\n")
    path = str(tmp_path / "Dockerfile")
    lint_dockerfile(parse_dockerfile(text, path), path=path)
    lint_dockerfile(parse_dockerfile(text, path), path=path, memo=StageMemo(), memo_key=1)
