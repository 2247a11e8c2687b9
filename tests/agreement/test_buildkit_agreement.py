"""How far dockerls agrees with BuildKit's build checks on cases like BuildKit's own check tests
(tests/agreement/buildkit_cases.yaml).

Each case is a Dockerfile, the build arguments of the build, and the checks `docker build --check`
reports, as (check name, line).  dockerls' findings are read under BuildKit's names: a rule's
BuildKit check.  The hadolint twins of BuildKit checks (dockerls.lint.suppression.HADOLINT_TWINS)
are turned off, as a BuildKit user would: they keep hadolint's meaning (DL3025 also flags a shell-form
CMD after SHELL), and the BuildKit check they otherwise stand in for reports instead.  BuildKit
places a warning on its instruction's range; both sides' lines are read as the first line of the
instruction they fall in.  Agreement: over all cases, the (check, instruction line) pairs both
report, divided by the pairs either reports; a case where both report nothing counts as one agreed
pair.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from dockerls.check import lint_text
from dockerls.config import DEFAULT
from dockerls.lint.suppression import HADOLINT_TWINS
from dockerls.parse.dockerfile import parse_dockerfile
from dockerls.rules.registry import rules_of

CASES = yaml.safe_load((Path(__file__).parent / "buildkit_cases.yaml").read_text(encoding="utf-8"))["cases"]
TARGET = 0.97

_CHECK_NAMES: dict[str, str] = {}
for _rule in rules_of("dockerfile"):
    if _rule.buildkit_check:
        _CHECK_NAMES[_rule.code] = _rule.buildkit_check
_TWINS = frozenset(code for codes in HADOLINT_TWINS.values() for code in codes)


def _instruction_line(df, line: int) -> int:
    """The first line (1-based) of the instruction holding 0-based ``line``."""
    ins = df.instruction_at_line(line)
    return (ins.range.start.line if ins else line) + 1


def reported(case) -> set[tuple[str, int]]:
    config = dataclasses.replace(DEFAULT.with_ignored(_TWINS),
                                 build_args=tuple((case.get("build_args") or {}).items()))
    df = parse_dockerfile(case["dockerfile"])
    findings = lint_text(case["dockerfile"], "dockerfile", config, None)[2]
    return {(_CHECK_NAMES[f.code], _instruction_line(df, f.range.start.line))
            for f in findings if f.code in _CHECK_NAMES}


def expected(case) -> set[tuple[str, int]]:
    df = parse_dockerfile(case["dockerfile"])
    return {(name, _instruction_line(df, line - 1)) for name, line in case["expected"]}


def agreement() -> tuple[float, list[str]]:
    agreed = total = 0
    misses = []
    for case in CASES:
        want, got = expected(case), reported(case)
        if not want and not got:
            agreed, total = agreed + 1, total + 1
            continue
        agreed += len(want & got)
        total += len(want | got)
        if want != got:
            misses.append(f"{case['name']}: missing {sorted(want - got)}, extra {sorted(got - want)}")
    return agreed / total, misses


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case):
    assert reported(case) == expected(case)


def test_agreement_figure():
    figure, misses = agreement()
    print(f"\nBuildKit agreement: {figure:.1%} over {len(CASES)} cases")
    assert figure >= TARGET, misses
