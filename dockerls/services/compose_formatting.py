"""Formatting a Compose file without changing what it says, its comments or its anchors.

Only whitespace changes, so nothing written can be lost:

* block mappings and lists are indented by one unit per level; a list written at its key's column
  (``ports:`` then ``- "80:80"`` below it, at the same column) stays so, and the lines that belong
  to an entry (a ``|`` block's content, a quoted string or a flow list over several lines) move
  with it, so their relative indentation is kept; a comment line moves with the line after it;
* one space after a key's colon (``image:   nginx`` and ``image : nginx`` become ``image: nginx``)
  and after a list item's dash;
* no trailing whitespace (except inside a scalar written over several lines, where it may be
  content), no blank lines at the end, a final newline.

The result is read again and compared with the text, event by event (keys, values, their quoting
styles, tags, anchors and aliases): when they differ, the indentation is left as it was, and when
even that differs, or the text does not parse, nothing is formatted.  Formatting formatted text
changes nothing.
"""

from __future__ import annotations

import re

import yaml

from dockerls.finding import Edit
from dockerls.parse.compose.yaml_tree import Mapping, Node, Scalar, Sequence, YamlDocument, iter_nodes, parse_yaml

_KEY_GAP = re.compile(r"[ ]*:[ ]+")
_DASH = re.compile(r"^([ ]*)-[ ]{2,}(?=[^ #])")


def format_compose(doc: YamlDocument, unit: int = 2, first_line: int = 0,
                   last_line: int | None = None) -> list[Edit]:
    """Edits formatting lines ``first_line..last_line`` of ``doc`` (the whole file by default),
    indenting by ``unit`` spaces per level."""
    if doc.root is None or doc.problems or doc.extra_roots or doc.is_binary or "\t" in _indents(doc):
        return []
    lines = doc.lines
    last_line = lines.line_count - 1 if last_line is None else min(last_line, lines.line_count - 1)
    for reindent in (True, False):
        new_text = _formatted(doc, max(1, unit), reindent, first_line, last_line)
        if new_text == doc.text:
            return []
        if _same_events(doc.text, new_text):
            return _edits(doc.text, new_text)
    return []


def _indents(doc: YamlDocument) -> str:
    return "".join(line[: len(line) - len(line.lstrip(" \t"))] for line in doc.text.splitlines())


def _formatted(doc: YamlDocument, unit: int, reindent: bool, first_line: int, last_line: int) -> str:
    lines = doc.lines
    count = lines.line_count
    shift: dict[int, int] = {}  # line -> columns its first token moves by
    gaps: dict[int, list[tuple[int, int]]] = {}  # line -> spans of ``key   :   `` to make ``: ``
    protected: set[int] = set()  # lines inside a multi-line scalar: trailing whitespace may be content
    _protect(doc, protected)
    _walk(doc, doc.root, 0, unit, shift, gaps, protected)
    out: list[str] = []
    carry = 0
    pending_comments: list[int] = []
    for number in range(count):
        text = lines.line_text(number)
        if number in shift:
            carry = shift[number]
            for c in pending_comments:  # a comment moves with the line after it
                out[c] = _shifted(out[c], carry)
            pending_comments = []
        line_start = lines.line_starts[number]
        if not first_line <= number <= last_line:
            out.append(text)
            continue
        new = text
        for start, end in sorted(gaps.get(number, []), reverse=True):
            new = new[: start - line_start] + ": " + new[end - line_start :]
        if number not in protected:
            new = _DASH.sub(r"\1- ", new).rstrip(" \t")
        if reindent and new.strip():
            stripped = new.lstrip(" ")
            if number not in protected and stripped.startswith("#") and number not in shift:
                pending_comments.append(len(out))
                out.append(new)
                continue
            new = _shifted(new, carry)
        out.append(new)
    if reindent:
        for c in pending_comments:  # comments at the end: with the last entry
            out[c] = _shifted(out[c], 0)
    result = _join(doc.text, out)
    if last_line >= count - 1:
        result = result.rstrip("\r\n") + _newline(doc.text) if result.strip() else result
    return result


def _shifted(line: str, by: int) -> str:
    if not by or not line.strip():
        return line
    col = len(line) - len(line.lstrip(" "))
    return " " * max(0, col + by) + line[col:]


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _join(original: str, lines: list[str]) -> str:
    """``lines`` with the line endings of ``original``."""
    endings = re.findall(r"\r\n|\r|\n", original)
    parts = []
    for i, line in enumerate(lines):
        parts.append(line)
        if i < len(endings):
            parts.append(endings[i])
    return "".join(parts)


def _first_on_line(doc: YamlDocument, offset: int) -> bool:
    line_start = doc.lines.line_starts[doc.lines.position(offset).line]
    return not doc.text[line_start:offset].strip(" ")


def _col(doc: YamlDocument, offset: int) -> int:
    return doc.lines.position(offset).character


def _line(doc: YamlDocument, offset: int) -> int:
    return doc.lines.position(offset).line


def _last(doc: YamlDocument, node: Node) -> int:
    return _line(doc, max(node.start, node.end - 1))


def _is_block(node: Node) -> bool:
    return type(node) in (Mapping, Sequence) and not getattr(node, "flow", False)


def _protect(doc: YamlDocument, protected: set[int]) -> None:
    """The lines inside a scalar or flow collection written over several lines."""
    for node in iter_nodes(doc.root) if doc.root is not None else ():
        if node.doc is doc and (type(node) is Scalar or getattr(node, "flow", False)):
            protected.update(range(_line(doc, node.start) + 1, _last(doc, node) + 1))


def _first_entry(doc: YamlDocument, node: Node) -> int | None:
    """Where the first entry of a block mapping (its key) or list (its dash) is written."""
    if type(node) is Mapping:
        keys = [p.key.start for p in node.pairs if not p.merged and p.key.doc is doc and p.key.start >= node.start]
        return min(keys) if keys else None
    items = [i for i in getattr(node, "items", []) if i.doc is doc and i.start >= node.start]
    if not items:
        return None
    at = items[0].start - 1
    while at >= node.start and doc.text[at] in " \t\r\n":
        at -= 1
    return at if at >= node.start and doc.text[at] == "-" else None


def _walk(doc: YamlDocument, node: Node | None, col: int, unit: int, shift: dict[int, int],
          gaps: dict[int, list[tuple[int, int]]], protected: set[int], seen: set[int] | None = None) -> None:
    """Record where the lines of the block ``node`` go when its entries start at column ``col``:
    every line of its span that starts at the column of its first entry is one of its entries (a
    key, a ``<<`` merge key, a dash)."""
    seen = set() if seen is None else seen
    if node is None or node.doc is not doc or id(node) in seen or not _is_block(node):
        return
    seen.add(id(node))
    first = _first_entry(doc, node)
    if first is None:
        return
    actual = _col(doc, first)
    lines = doc.lines
    for number in range(_line(doc, min(first, node.start)), _last(doc, node) + 1):
        if number in protected or number in shift:
            continue
        text = lines.line_text(number)
        indent = len(text) - len(text.lstrip(" "))
        rest = text[indent:]
        if indent != actual or not rest or rest.startswith("#"):
            continue
        if type(node) is Sequence and not (rest == "-" or rest.startswith("- ")):
            continue
        shift[number] = col - actual
    if type(node) is Mapping:
        for pair in node.pairs:
            key, value = pair.key, pair.value
            if pair.merged or key.doc is not doc or key.start < node.start:
                continue
            if value.doc is not doc or value.start < key.end:
                continue  # an alias
            gap = doc.text[key.end : value.start]
            if type(value) is Scalar and _line(doc, value.start) == _line(doc, key.end) and _KEY_GAP.fullmatch(gap):
                gaps.setdefault(_line(doc, key.end), []).append((key.end, value.start))
            entry = _first_entry(doc, value) if _is_block(value) else None
            if entry is not None and _line(doc, entry) > _line(doc, key.start):
                indentless = type(value) is Sequence and _col(doc, entry) <= _col(doc, key.start)
                _walk(doc, value, col if indentless else col + unit, unit, shift, gaps, protected, seen)
    else:
        for item in getattr(node, "items", []):
            if item.doc is not doc or item.start < node.start or not _is_block(item):
                continue
            entry = _first_entry(doc, item)
            if entry is None:
                continue
            on_dash_line = not _first_on_line(doc, entry)
            _walk(doc, item, col + 2 if on_dash_line else col + unit, unit, shift, gaps, protected, seen)


def _events(text: str) -> list[tuple]:
    out = []
    for ev in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        out.append((type(ev).__name__, getattr(ev, "anchor", None), getattr(ev, "tag", None),
                    getattr(ev, "implicit", None), getattr(ev, "value", None), getattr(ev, "style", None)))
    return out


def _same_events(before: str, after: str) -> bool:
    """Whether ``after`` reads as exactly the same YAML as ``before``."""
    try:
        return _events(before) == _events(after) and not parse_yaml(after).problems
    except yaml.YAMLError:
        return False


def _edits(old: str, new: str) -> list[Edit]:
    """Line-wise edits turning ``old`` into ``new`` (both have the same line breaks, but the end)."""
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    out: list[Edit] = []
    offset = 0
    for i, line in enumerate(old_lines):
        if i >= len(new_lines):
            out.append(Edit(offset, len(old), ""))
            break
        if line != new_lines[i]:
            out.append(Edit(offset, offset + len(line), new_lines[i]))
        offset += len(line)
    else:
        if len(new_lines) > len(old_lines):
            out.append(Edit(len(old), len(old), "".join(new_lines[len(old_lines):])))
    return out
