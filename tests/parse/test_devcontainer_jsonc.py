"""JSON with comments and trailing commas, as devcontainer.json is written."""

import pytest

from dockerls.parse.devcontainer.jsonc import JsoncError, parse_jsonc


def test_comments_and_trailing_commas():
    doc = parse_jsonc('{\n  // a comment\n  "a": [1, 2,], /* block\n comment */ "b": {"c": "x // not a comment",},\n}')
    assert doc.value == {"a": [1, 2], "b": {"c": "x // not a comment"}}
    assert doc.range_of("b", "c").start.line == 3
    assert doc.range_of("a", 1).start.character == 11
    assert doc.range_of("b", "missing") == doc.range_of("b")  # the nearest written parent


@pytest.mark.parametrize("text, where", [
    ('{"a": 1,,}', (0, 8)),
    ('{"a": }', (0, 6)),
    ('{\n "a": "unterminated\n}', (1, 6)),
    ('{"a": 1} extra', (0, 9)),
    ('{"a": 1 /* open', (0, 8)),
])
def test_errors_say_where(text, where):
    with pytest.raises(JsoncError) as info:
        parse_jsonc(text)
    assert (info.value.range.start.line, info.value.range.start.character) == where
