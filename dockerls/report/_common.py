"""What the machine-readable formats share: where a finding is, in the units those formats count.

Lines and columns in these formats are 1-based and columns count UTF-16 code units, as SARIF does
by default (``columnKind: utf16CodeUnits``) and as GitHub's and GitLab's viewers (JavaScript strings)
do.  An end column is exclusive: one past the last character, again as in SARIF.

Paths are shown relative to the working directory (where CI checks the repository out) with ``/``
separators; a file outside it keeps its absolute path.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache

from dockerls.finding import Finding
from dockerls.text import LineIndex, Range


@dataclass(frozen=True, slots=True)
class Span:
    """1-based lines and UTF-16 columns; ``end_column`` is exclusive."""

    start_line: int
    start_column: int
    end_line: int
    end_column: int


@lru_cache(maxsize=4096)
def display_path(path: str) -> str:
    """``path`` relative to the working directory, with ``/`` separators (``-`` stays ``-``)."""
    if path == "-":
        return path
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        rel = os.path.abspath(path)
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        rel = os.path.abspath(path)
    return rel.replace(os.sep, "/")


class Located:
    """A finding's file and the line index of that file.

    A finding usually lies in the file that was checked; a Compose finding may lie in a file that
    file includes or extends (``Finding.file`` names it), whose text is then read to count columns.
    """

    def __init__(self) -> None:
        self._others: dict[str, LineIndex | None] = {}

    def file_of(self, result, f: Finding) -> str:
        return f.file if f.file and f.file != result.path and result.path != "-" else result.path

    def lines_of(self, result, f: Finding) -> LineIndex:
        path = self.file_of(result, f)
        if path == result.path:
            return result.lines
        if path not in self._others:
            try:
                with open(path, encoding="utf-8", errors="replace", newline="") as fh:
                    self._others[path] = LineIndex(fh.read())
            except OSError:
                self._others[path] = None
        return self._others[path] or result.lines


def span(lines: LineIndex, rng: Range) -> Span:
    start, end = lines.range_to_client(rng, "utf-16")
    return Span(start.line + 1, start.character + 1, end.line + 1, end.character + 1)


def edit_span(lines: LineIndex, start: int, end: int) -> Span:
    return span(lines, lines.range(start, end))


def line_text(lines: LineIndex, line: int) -> str:
    """The content of a 0-based line ('' past the end)."""
    return lines.line_text(line) if 0 <= line < lines.line_count else ""


class Fingerprints:
    """Stable identities for findings, for the systems that track them across commits (GitLab,
    GitHub code scanning): a hash of the file, the rule and the content of the finding's first line,
    whitespace-normalised, so that a finding keeps its identity when lines above it move.  Equal
    triples are told apart by their order of occurrence."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str, str], int] = {}

    def __call__(self, path: str, code: str, line_content: str) -> str:
        content = " ".join(line_content.split())
        key = (path, code, content)
        n = self._seen.get(key, 0)
        self._seen[key] = n + 1
        data = "\0".join((path, code, content, str(n))).encode("utf-8", "surrogatepass")
        return hashlib.sha256(data).hexdigest()[:32]


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(s: str) -> str:
    """``s`` without the characters XML 1.0 cannot hold (control characters, lone surrogates),
    each replaced by U+FFFD.  Escaping is left to the XML writer."""
    return _XML_INVALID.sub("\ufffd", s)


def xml_attr(s: str) -> str:
    """An XML attribute value, quoted: ``&<>"`` and the whitespace an attribute would normalise
    (tab, newline, carriage return) as character references."""
    s = xml_text(s)
    return '"' + s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;") \
        .replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;") + '"'


def xml_body(s: str) -> str:
    s = xml_text(s)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")



dumps = json.JSONEncoder(ensure_ascii=False).encode  # compact, non-ASCII kept; one encoder for all calls


def write_json_array(out, items: list) -> None:
    """A JSON array with one item per line.  (``json.dump(indent=...)`` runs the pure-Python encoder,
    ten times slower: seconds for a repository's findings.)"""
    if not items:
        out.write("[]\n")
        return
    out.write("[\n  ")
    out.write(",\n  ".join(map(dumps, items)))
    out.write("\n]\n")


def write_json_document(out, document: dict, path: tuple[str | int, ...]) -> None:
    """``document`` indented, except for the (long) array at ``path``, written one item per line."""
    holder = document
    for step in path[:-1]:
        holder = holder[step]
    items = holder[path[-1]]
    marker = "\0items\0"
    holder[path[-1]] = marker
    try:
        head, tail = json.dumps(document, indent=2, ensure_ascii=False).split(json.dumps(marker), 1)
    finally:
        holder[path[-1]] = items
    inner, outer = " " * (2 * len(path) + 2), " " * (2 * len(path))
    out.write(head)
    if items:
        out.write("[\n" + inner + (",\n" + inner).join(map(dumps, items)) + "\n" + outer + "]")
    else:
        out.write("[]")
    out.write(tail)
    out.write("\n")
