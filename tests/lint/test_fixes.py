"""``fix_text``: fixing goes on until nothing changes, so a second run has nothing left to do."""

from __future__ import annotations

from dockerls.check import lint_text
from dockerls.config import DEFAULT
from dockerls.finding import SAFE, Edit, Finding, Fix, Severity
from dockerls.lint.fixes import fix_text
from dockerls.text import LineIndex


def _lint(text: str) -> list[Finding]:
    return lint_text(text, "dockerfile", DEFAULT, None)[2]


def test_a_long_file_is_fixed_in_one_run():
    text = "FROM alpine:3.19\n" + "".join(f"ENV V{i} {i}\n" for i in range(120))
    result = fix_text(text, _lint)
    assert len(result.applied) == 120
    assert "ENV V119=119\n" in result.text
    assert not fix_text(result.text, _lint).changed


def _delete(text: str, lines: LineIndex, code: str, ch: str) -> Finding:
    at = text.index(ch)
    return Finding(code, code, Severity.WARNING, f"no {ch}", lines.range(at, at + 1),
                   fix=Fix(f"delete {ch}", [Edit(at, at + 1, "")], SAFE))


def _toy_lint(text: str) -> list[Finding]:
    """B's fix is refused while the text holds an ``a`` (it brings a new finding C); A's fix is fine."""
    lines = LineIndex(text)
    found = [_delete(text, lines, code, ch) for code, ch in (("B", "b"), ("A", "a")) if ch in text]
    if "a" in text and "b" not in text:
        found.append(Finding("C", "C", Severity.WARNING, "a without b", lines.range(0, 0)))
    return found


def test_a_fix_refused_early_is_tried_again_after_other_fixes():
    result = fix_text("ba", _toy_lint)
    assert result.text == "" and [f.code for f in result.applied] == ["A", "B"]
    assert not result.rejected and not fix_text(result.text, _toy_lint).changed


def test_a_fix_refused_at_the_end_is_refused_on_the_next_run():
    def lint(text: str) -> list[Finding]:
        return [f for f in _toy_lint(text) if f.code != "A"]  # nothing removes the a: B stays refused

    first = fix_text("ba", lint)
    assert first.text == "ba" and [f.code for f in first.rejected] == ["B"]
    second = fix_text(first.text, lint)
    assert not second.changed and [f.code for f in second.rejected] == ["B"]
