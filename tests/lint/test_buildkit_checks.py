"""BuildKit build checks (DF2xx) answer to BuildKit's own names: the ``# check=`` directive, the
configuration, and "one finding, not two" where a hadolint rule reports the same thing."""

from dockerls.check import lint_text
from dockerls.config import DEFAULT, from_dockerls_mapping

CASING = "FROM alpine:3.20 as Build\ncopy a /a\nRUN b\n"


def findings(text, config=DEFAULT):
    return lint_text(text, "dockerfile", config, None)[2]


def codes(text, config=DEFAULT, only=("DF201", "DF202", "DF204")):
    return sorted({f.code for f in findings(text, config) if f.code in only})


def test_the_checks_report_without_a_directive():
    assert codes(CASING) == ["DF201", "DF202", "DF204"]


def test_skip_by_buildkit_name():
    assert codes("# check=skip=StageNameCasing\n" + CASING, only=("DF201",)) == []
    assert codes("# check=skip=StageNameCasing,FromAsCasing\n" + CASING) == ["DF204"]


def test_skip_all_silences_every_buildkit_check_but_not_hadolint_rules():
    text = "# check=skip=all\nFROM alpine as Build\nENV name value\n"
    got = {f.code for f in findings(text)}
    assert not {"DF201", "DF202", "DF207"} & got
    assert "DL3006" in got  # untagged image: a hadolint rule, not a BuildKit check


def test_error_true_raises_buildkit_checks_to_errors():
    text = "# check=error=true\nFROM alpine:3.20\nENV name value\n"
    legacy = [f for f in findings(text) if f.code == "DF207"]
    assert [str(f.severity) for f in legacy] == ["error"]
    without = [f for f in findings("FROM alpine:3.20\nENV name value\n") if f.code == "DF207"]
    assert [str(f.severity) for f in without] == ["style"]  # fails no build and no CI at the default threshold (see DF207)


def test_skip_and_error_together():
    text = "# check=skip=LegacyKeyValueFormat;error=true\nFROM alpine:3.20 AS Build\nENV name value\n"
    got = {f.code: str(f.severity) for f in findings(text) if f.code.startswith("DF2")}
    assert got == {"DF201": "error"}


def test_configuration_by_buildkit_name():
    cfg = from_dockerls_mapping({"ignore": ["LegacyKeyValueFormat"], "severity": {"StageNameCasing": "error"}},
                                "<test>")
    got = {f.code: str(f.severity) for f in findings("FROM alpine:3.20 AS Build\nENV name value\n", cfg)
           if f.code.startswith("DF2")}
    assert got == {"DF201": "error"}


def test_pragma_by_buildkit_name():
    text = "FROM alpine:3.20\n# dockerls ignore=LegacyKeyValueFormat\nENV name value\nENV other value\n"
    assert [f.range.start.line for f in findings(text) if f.code == "DF207"] == [3]


def test_one_finding_not_two():
    # SecretsUsedInArgOrEnv gives way to DL3064 on the same instruction, and comes back without it.
    text = "FROM alpine:3.20\nENV GITHUB_TOKEN=x\n"
    got = {f.code for f in findings(text)}
    assert "DF215" not in got
    cfg = from_dockerls_mapping({"ignore": ["DL3064"]}, "<test>")
    assert "DF215" in {f.code for f in findings(text, cfg)}


def test_check_comment_before_an_instruction_skips_there_only():
    text = "FROM alpine:3.20\n# check=skip=LegacyKeyValueFormat // why\n\nENV a b\nENV c d\n"
    assert [f.range.start.line for f in findings(text) if f.code == "DF207"] == [4]


def test_check_comment_after_an_empty_comment_line_is_forgotten():
    text = "FROM alpine:3.20\n# check=skip=LegacyKeyValueFormat\n#\nENV a b\n"
    assert [f.range.start.line for f in findings(text) if f.code == "DF207"] == [3]


def test_skipping_a_buildkit_check_skips_its_hadolint_twin():
    text = "FROM alpine:3.20\n# check=skip=JSONArgsRecommended\nCMD serve\nENTRYPOINT run\n"
    assert [f.range.start.line for f in findings(text) if f.code in ("DL3025", "DF214")] == [3]
    text = "# check=skip=all\nFROM alpine:3.20\nWORKDIR srv\n"
    assert not {"DL3000", "DF213"} & {f.code for f in findings(text)}


def test_build_argument_replaces_the_check_directive():
    import dataclasses

    text = "#check=skip=all\nFROM alpine:3.20 as base\n"
    assert codes(text) == []
    cfg = dataclasses.replace(DEFAULT, build_args=(("BUILDKIT_DOCKERFILE_CHECK", "skip=StageNameCasing"),))
    assert codes(text, cfg) == ["DF202"]
