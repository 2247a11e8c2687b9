"""Compose's variable substitution and its ``.env`` format."""

import pytest

from dockerls.parse.compose.envfile import Environment, parse_env_file
from dockerls.parse.compose.interpolate import interpolate

ENV = {"A": "a", "EMPTY": "", "PORT": "8080"}.get


@pytest.mark.parametrize("template,value", [
    ("plain", "plain"),
    ("$A", "a"), ("${A}", "a"), ("x${A}y$A-z", "xay" + "a-z"),
    ("${UNSET}", ""), ("$UNSET", ""),
    ("${UNSET:-d}", "d"), ("${EMPTY:-d}", "d"), ("${EMPTY-d}", ""), ("${UNSET-d}", "d"),
    ("${A:+alt}", "alt"), ("${EMPTY:+alt}", ""), ("${EMPTY+alt}", "alt"), ("${UNSET+alt}", ""),
    ("${UNSET:-${A}}", "a"), ("${UNSET:-${UNSET2:-deep}}", "deep"), ("${A:-${UNSET}}", "a"),
    ("$$A", "$A"), ("$${A}", "${A}"), ("cost: $ 5", "cost: $ 5"), ("$1", "$1"), ("50$", "50$"),
    ("${PORT}:${PORT}", "8080:8080"),
])
def test_values(template, value):
    result = interpolate(template, ENV)
    assert result.value == value
    assert not result.errors


def test_uses_are_located_and_unset_ones_flagged():
    result = interpolate("img:${A}-$UNSET-${UNSET:-x}", ENV)
    assert [(u.name, u.start, u.end, u.missing) for u in result.uses] == [
        ("A", 4, 8, False), ("UNSET", 9, 15, True), ("UNSET", 16, 27, False)]


def test_default_not_needed_is_not_evaluated():
    result = interpolate("${A:-${UNSET}}", ENV)
    assert not any(u.missing for u in result.uses)


@pytest.mark.parametrize("template", ["${1}", "${A", "${}", "${A:=x}", "${A B}"])
def test_invalid_templates(template):
    result = interpolate(template, ENV)
    assert len(result.errors) == 1 and not result.errors[0].required
    assert result.errors[0].start == 0


@pytest.mark.parametrize("template,required_error", [
    ("${UNSET:?say why}", "not set: say why"), ("${EMPTY:?}", "empty"), ("${UNSET?}", "not set")])
def test_required(template, required_error):
    result = interpolate(template, ENV)
    assert len(result.errors) == 1 and result.errors[0].required
    assert required_error in result.errors[0].message


def test_required_satisfied():
    assert not interpolate("${A:?x}${EMPTY?y}", ENV).errors


def test_env_file_format():
    text = ("# comment\n\nexport A=1\nB = two words # comment\nC='single ${A}'\nD=\"double ${A}\\n\"\n"
            "E=\"multi\nline\"\nINHERITED\nNOT_IN_SHELL\nG=${A}x\nH=a#b\nI=\n")
    env = parse_env_file(text, ".env", {"INHERITED": "from shell"}.get)
    assert env.values == {"A": "1", "B": "two words", "C": "single ${A}", "D": "double 1\n", "E": "multi\nline",
                          "INHERITED": "from shell", "G": "1x", "H": "a#b", "I": ""}
    assert [e.line for e in env.entries] == [2, 3, 4, 5, 6, 8, 10, 11, 12]
    assert not env.errors


def test_env_file_errors():
    env = parse_env_file("GOOD=1\nbad line here\nQ=\"open\n", ".env")
    assert env.values["GOOD"] == "1"
    assert len(env.errors) == 2


def test_environment_prefers_the_shell():
    env = Environment({"A": "shell"}, parse_env_file("A=file\nB=file\n", ".env"))
    assert env.lookup("A") == "shell" and env.lookup("B") == "file" and env.lookup("C") is None
    assert env.source("A") == "the environment" and env.source("B") == ".env"
