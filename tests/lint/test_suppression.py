from dockerls.check import lint_text
from dockerls.config import DEFAULT


WATCHED = {"DL3006", "DL3007", "DL4003"}  # the rules these tests suppress; others may fire too


def codes(text, config=DEFAULT):
    return [(f.code, f.range.start.line) for f in lint_text(text, "dockerfile", config, None)[2] if f.code in WATCHED]


def test_pragma_binds_to_the_next_instruction_only():
    text = "# dockerls ignore=DL3006\nFROM ubuntu\nFROM debian\n"
    assert codes(text) == [("DL3006", 2)]


def test_pragma_in_a_comment_block_above():
    text = "# why we do this\n# hadolint ignore=DL3007,DL3006\n# more words\nFROM ubuntu\n"
    assert codes(text) == []


def test_pragma_separated_by_a_blank_line_does_not_apply():
    assert codes("# hadolint ignore=DL3006\n\nFROM ubuntu\n") == [("DL3006", 2)]


def test_global_pragmas_anywhere():
    assert codes("FROM ubuntu\nFROM debian\n# hadolint global ignore=DL3006\n") == []
    assert codes("# dockerls global ignore=untagged-image\nFROM ubuntu\n") == []


def test_check_directive_skip_by_buildkit_name_and_all():
    text = "# check=skip=MultipleInstructionsDisallowed\nFROM busybox:1\nCMD [\"a\"]\nCMD [\"b\"]\n"
    assert codes(text) == []
    text = "# check=skip=all\nFROM busybox:1\nCMD [\"a\"]\nCMD [\"b\"]\n"
    assert codes(text) == []


def test_check_error_true_raises_buildkit_checks_to_errors():
    text = "# check=error=true\nFROM busybox:1\nCMD [\"a\"]\nCMD [\"b\"]\n"
    findings = lint_text(text, "dockerfile", DEFAULT, None)[2]
    assert [(f.code, str(f.severity)) for f in findings if f.code in WATCHED] == [("DL4003", "error")]


def test_a_pragma_may_say_why_after_a_hash():
    from dockerls.check import lint_text
    from dockerls.config import DEFAULT

    text = "FROM debian:12\n# hadolint ignore=DL3003 # the script needs it\nRUN cd /tmp && echo hi\n"
    assert "DL3003" not in {f.code for f in lint_text(text, "dockerfile", DEFAULT, None)[2]}


def test_stage_ignore_covers_its_stage_only():
    from dockerls.check import lint_text
    from dockerls.config import DEFAULT

    text = ("FROM debian:12 AS a\n# hadolint stage ignore=DL3003\nRUN echo\nRUN cd /tmp && echo\n"
            "FROM a\nRUN cd /x && echo\n")
    lines = [f.range.start.line for f in lint_text(text, "dockerfile", DEFAULT, None)[2] if f.code == "DL3003"]
    assert lines == [5]


def test_disable_ignore_pragma():
    import dataclasses

    from dockerls.check import lint_text
    from dockerls.config import DEFAULT

    text = "FROM debian:12\n# hadolint ignore=DL3003\nRUN cd /tmp && echo hi\n"
    config = dataclasses.replace(DEFAULT, disable_ignore_pragma=True)
    assert "DL3003" in {f.code for f in lint_text(text, "dockerfile", config, None)[2]}
