"""Indenting a continued line as one types the escape character or Enter."""

from dockerls.parse.dockerfile import parse_dockerfile
from dockerls.services.on_type_formatting import on_type_edits
from dockerls.lint.fixes import apply_edits


def _typed(text: str, offset: int, ch: str) -> str:
    return apply_edits(text, on_type_edits(parse_dockerfile(text), offset, ch, "  "))


def test_escape_indents_or_trims_the_next_line():
    text = "FROM a\nRUN x \\\n\t y\n"
    assert _typed(text, 14, "\\") == "FROM a\nRUN x \\\n  y\n"
    assert _typed("FROM a\nRUN x \\\n   \nRUN y\n", 14, "\\") == "FROM a\nRUN x \\\n\nRUN y\n"
    assert _typed("FROM a\nRUN x \\  \ny\n", 14, "\\") == "FROM a\nRUN x \\  \n  y\n"


def test_escape_directive_enter_and_what_is_left_alone():
    text = "# escape=`\nFROM a\nRUN x `\ny\n"
    assert _typed(text, text.index("`\ny") + 1, "`") == "# escape=`\nFROM a\nRUN x `\n  y\n"
    assert _typed(text, 10, "`") == text  # the directive line
    assert _typed("FROM a\nRUN x \\\n\n", 15, "\n") == "FROM a\nRUN x \\\n  \n"
    assert _typed("FROM a\nRUN x \\\n  y\n", 15, "\n") == "FROM a\nRUN x \\\n  y\n"  # already indented
    heredoc = "FROM a\nRUN <<EOF\necho \\\nb\nEOF\n"
    assert _typed(heredoc, heredoc.index("\\") + 1, "\\") == heredoc
    assert _typed("FROM a\n# x \\\ny\n", 12, "\\") == "FROM a\n# x \\\ny\n"
