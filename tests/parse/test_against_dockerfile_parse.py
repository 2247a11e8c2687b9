"""dockerfile-parse (the project card's library) as an independent oracle for instruction
boundaries: where it is right (files without heredocs) both parsers must agree on every
instruction's keyword and line span.  Where it is wrong (heredoc bodies read as instructions,
no columns) dockerls' own lexer is used instead; the last test pins that measured shortcoming.
"""

import io

from dockerfile_parse import DockerfileParser

from dockerls.parse.dockerfile import parse_dockerfile
from dockerls.discover import kind_of
from tests.conftest import shared_corpus

HAND_WRITTEN = [
    "FROM a:1\nRUN apt-get update \\\n    && apt-get install -y x\n\n# c\nCMD [\"x\"]\n",
    "ARG V=1\nFROM busybox:$V AS build\nONBUILD RUN echo\nCOPY --from=build a \\\n  b \\\n  /c/\n",
    "# escape=`\nFROM windows:1\nRUN dir `\n  c:\\\n",
]


def _theirs(text):
    structure = DockerfileParser(fileobj=io.BytesIO(text.encode("utf-8"))).structure
    return [(s["instruction"], s["startline"], s["endline"]) for s in structure if s["instruction"] != "COMMENT"]


def _ours(text):
    return [(i.keyword, i.range.start.line, i.range.end.line) for i in parse_dockerfile(text).instructions]


def test_same_instructions_and_lines_on_hand_written_files():
    for text in HAND_WRITTEN:
        assert _ours(text) == _theirs(text), text


def test_same_instructions_and_lines_on_the_official_corpus():
    root = shared_corpus("official")
    for path in sorted(p for p in root.iterdir() if kind_of(p) == "dockerfile"):
        text = path.read_text(encoding="utf-8")
        assert _ours(text) == _theirs(text), path


def test_dockerfile_parse_reads_heredoc_bodies_as_instructions():
    text = "FROM a:1\nRUN <<EOF\napt-get update\nEOF\nCMD x\n"
    assert [k for k, *_ in _theirs(text)] == ["FROM", "RUN", "APT-GET", "EOF", "CMD"]
    assert [k for k, *_ in _ours(text)] == ["FROM", "RUN", "CMD"]
