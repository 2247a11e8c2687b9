"""The Dockerfile formatter: what it changes, what it must never change, and that a second run
changes nothing, on hand-written cases and on every corpus Dockerfile."""

from __future__ import annotations

import pytest

from dockerls.lint.fixes import apply_edits
from dockerls.parse.dockerfile import parse_dockerfile
from dockerls.services.formatting import format_dockerfile
from tests.conftest import shared_corpus


def fmt(text: str, indent: str = "    ", first: int = 0, last: int | None = None) -> str:
    return apply_edits(text, format_dockerfile(parse_dockerfile(text), indent, first, last))


def meaning(text: str) -> list[tuple]:
    """What BuildKit sees, up to whitespace: keywords, flags, arguments and heredoc bodies."""
    df = parse_dockerfile(text)
    return [(i.keyword, [f.raw for f in i.flags], " ".join(i.args_text.split()), [h.body for h in i.heredocs])
            for i in df.walk()] + [(d.name, d.value) for d in df.directives]


@pytest.mark.parametrize("before, after", [
    ("from alpine:3.20 as build\n", "FROM alpine:3.20 AS build\n"),
    ("  RUN    echo hi   \n", "RUN echo hi\n"),
    ("RUN a && \\\n        b && \\\n  c\n", "RUN a && \\\n    b && \\\n    c\n"),
    ("onbuild   run   echo hi\n", "ONBUILD RUN echo hi\n"),
    ("FROM a\n\n\n   # comment   \nRUN b", "FROM a\n\n\n# comment\nRUN b\n"),
    ("RUN a \\\n\n  b\n", "RUN a \\\n\n    b\n"),
    ("RUN a \\\n   # inside\n  b\n", "RUN a \\\n    # inside\n    b\n"),
], ids=["keywords", "spacing", "continuations", "onbuild", "comments-and-final-newline", "empty-continuation",
        "comment-in-continuation"])
def test_formats(before, after):
    assert fmt(before) == after


@pytest.mark.parametrize("text", [
    "RUN <<EOF\n   indented   body   \n\tEOF-ish\nEOF\n",
    "RUN cat <<-EOT\n\t\tbody\n\tEOT\n",
    'RUN echo "a \\\n   b"\n',  # inside quotes: the indentation is part of the string
    "RUN foo\\\nbar\n",  # no whitespace: "foo" + "bar" is one word
    "# syntax=docker/dockerfile:1   \nFROM a\n",  # directives stay as written
    "# escape=`\nRUN a `\n      b\n",
])
def test_leaves_meaningful_text_alone(text):
    formatted = fmt(text)
    assert meaning(formatted) == meaning(text)
    for keep in ("   indented   body   ", "\t\tbody", '"a \\\n   b"', "foo\\\nbar", "dockerfile:1   "):
        if keep in text:
            assert keep in formatted


def test_crlf_line_endings_are_kept():
    assert fmt("from a\r\nrun  b\r\n") == "FROM a\r\nRUN b\r\n"


def test_tabs_when_asked():
    assert fmt("RUN a \\\n  b\n", indent="\t") == "RUN a \\\n\tb\n"


def test_a_range_formats_only_its_lines():
    assert fmt("from a\nrun  b\nrun  c\n", first=1, last=1) == "from a\nRUN b\nrun  c\n"


def test_binary_files_are_not_touched():
    assert format_dockerfile(parse_dockerfile(b"\x00\x01ELF")) == []


def _corpus():
    return sorted(shared_corpus("official").glob("*Dockerfile"))


def test_corpus_keeps_its_meaning_and_is_idempotent():
    for path in _corpus():
        text = path.read_text(encoding="utf-8")
        once = fmt(text)
        assert meaning(once) == meaning(text), path.name
        assert fmt(once) == once, path.name
