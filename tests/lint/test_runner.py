"""The lint runner's own behaviour (the rules are tested by their fixtures)."""

from __future__ import annotations

from dataclasses import replace

from dockerls.config import DEFAULT
from dockerls.lint.runner import enabled_rules


def test_enabled_rules_are_remembered_per_configuration_and_follow_a_new_one():
    first = enabled_rules(DEFAULT)
    again = enabled_rules(DEFAULT)
    assert again == first and again is not first  # a list of its own: callers may change it
    again.clear()
    assert enabled_rules(DEFAULT) == first
    code = first[0].code
    without = enabled_rules(replace(DEFAULT, ignored=frozenset({code.lower()})))
    assert [r.code for r in without] == [r.code for r in first if r.code != code]
    assert enabled_rules(DEFAULT, "compose") != first
