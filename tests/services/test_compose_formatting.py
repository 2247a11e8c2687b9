"""Formatting Compose files (dockerls.services.compose_formatting): whitespace only, comments and
anchors kept, the same YAML read back, idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockerls import kinds
from dockerls.parse.compose.yaml_tree import parse_yaml
from dockerls.services.compose_formatting import _events

MESSY = (
    "x-env: &env   \n"
    "    A: 1\n"
    "services:\n"
    "    web:   \n"
    "        <<: *base_anchor_free\n"
    "        image :   nginx:1.25   \n"
    "        environment: *env\n"
    "        command: |\n"
    "            echo \"a\"   \n"
    "              indented\n"
    "        ports:\n"
    "        -   \"80:80\"\n"
    "        -   target: 1\n"
    "            published: 2\n"
    "        # between\n"
    "        volumes: [\n"
    "            a, b]\n"
    "\n\n"
).replace("        <<: *base_anchor_free\n", "")

FORMATTED = (
    "x-env: &env\n"
    "  A: 1\n"
    "services:\n"
    "  web:\n"
    "    image: nginx:1.25\n"
    "    environment: *env\n"
    "    command: |\n"
    "        echo \"a\"   \n"  # a block scalar's content moves as a whole, its trailing spaces kept
    "          indented\n"
    "    ports:\n"
    "    - \"80:80\"\n"  # a list at its key's column stays there
    "    - target: 1\n"
    "      published: 2\n"
    "    # between\n"
    "    volumes: [\n"
    "        a, b]\n"
)


def fmt(text: str, indent: str = "  ", first: int = 0, last: int | None = None) -> str:
    analysis = kinds.named("compose").analyse(text, None)
    edits = analysis.format(indent, first, last)
    assert edits is not None
    for e in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: e.start] + e.new_text + text[e.end :]
    return text


def test_indentation_key_spacing_dashes_and_trailing_whitespace():
    assert fmt(MESSY) == FORMATTED


def test_formatting_is_idempotent_and_reads_the_same():
    assert fmt(FORMATTED) == FORMATTED
    assert _events(fmt(MESSY)) == _events(MESSY)


def test_four_space_indent_and_merge_keys():
    text = "x-base: &base\n  restart: always\nservices:\n  web:\n    <<: *base\n    ports:\n      - \"80\"\n"
    assert fmt(text, "    ") == ("x-base: &base\n    restart: always\nservices:\n    web:\n        <<: *base\n"
                                  "        ports:\n            - \"80\"\n")
    assert fmt(fmt(text, "    "), "  ") == text


def test_a_tab_indent_formats_with_two_spaces():
    assert fmt("services:\n    web:\n        image: a\n", "\t") == "services:\n  web:\n    image: a\n"


def test_comments_move_with_the_line_after_them():
    text = "services:\n    # the web server\n    web:\n        image: a  # pinned later\n"
    assert fmt(text) == "services:\n  # the web server\n  web:\n    image: a  # pinned later\n"


def test_range_formatting_touches_only_the_lines_asked_for():
    text = "services:\n  web:\n    image:    a   \n    user:    b   \n"
    assert fmt(text, "  ", 2, 2) == "services:\n  web:\n    image: a\n    user:    b   \n"


def test_a_byte_order_mark_and_crlf_are_kept():
    text = "\ufeffservices:\r\n    web:\r\n        image:  a\r\n"
    assert fmt(text) == "\ufeffservices:\r\n  web:\r\n    image: a\r\n"


@pytest.mark.parametrize("text", ["services:\n  web: [\n", "a: 1\n---\nb: 2\n", "services:\n\tweb: {}\n"])
def test_text_that_does_not_parse_or_holds_several_documents_is_left_alone(text):
    assert kinds.named("compose").analyse(text, None).format("  ") == []


FIXTURES = sorted(Path(__file__).parents[1].joinpath("fixtures", "compose").rglob("*.y*ml"))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
@pytest.mark.parametrize("indent", ["  ", "    "])
def test_the_compose_fixtures_format_idempotently(path, indent):
    text = path.read_text(encoding="utf-8")
    once = fmt(text, indent)
    if parse_yaml(text).problems:  # the broken fixtures: left as they are
        assert once == text
        return
    assert _events(once) == _events(text)
    assert fmt(once, indent) == once
    assert [line.strip() for line in once.splitlines() if line.strip().startswith("#")] == \
        [line.strip() for line in text.splitlines() if line.strip().startswith("#")]
