"""Folding and selection ranges of a Compose file, from its YAML tree.

A key whose value is a block (a mapping, a list, a ``|`` scalar) on the lines below it folds from
the key's line to the value's last line; so does a list item written over several lines, and a run
of two or more comment lines.  Trailing blank and comment lines are not part of the value they
follow (they usually introduce the next key).

Selection grows from the scalar (or key) under the cursor to its ``key: value`` entry, the mapping
or list holding it, that mapping's entry, and so on to the whole document.

Aliases and merge keys (``<<: *base``) point at nodes written elsewhere: those are not walked
where they are used, only where they are written.
"""

from __future__ import annotations

from dockerls.parse.compose.yaml_tree import Mapping, Node, Sequence, YamlDocument
from dockerls.services.results import Fold


def _last_line(doc: YamlDocument, start: int, end: int) -> int:
    """The last line of the node ``start..end`` that holds something other than a comment."""
    lines = doc.lines
    first = lines.position(start).line
    last = lines.position(max(start, end - 1)).line if end > start else first
    while last > first:
        stripped = lines.line_text(last).strip()
        if stripped and not stripped.startswith("#"):
            break
        last -= 1
    return last


def _own(doc: YamlDocument, node: Node, after: int) -> bool:
    """Whether ``node`` is written here (after ``after``), not an alias of a node written earlier."""
    return node.doc is doc and node.start >= after


def folding_ranges(doc: YamlDocument) -> list[Fold]:
    out: list[Fold] = []
    if doc.root is not None:
        _fold(doc, doc.root, out, set())
    out.extend(_comment_folds(doc))
    return sorted(set(out), key=lambda f: (f.start_line, -f.end_line))


def _fold(doc: YamlDocument, node: Node, out: list[Fold], seen: set[int]) -> None:
    if id(node) in seen:
        return
    seen.add(id(node))
    lines = doc.lines
    if type(node) is Mapping:
        for pair in node.pairs:
            if pair.merged or not _own(doc, pair.key, node.start):
                continue
            value = pair.value
            if _own(doc, value, pair.key.end):
                first = lines.position(pair.key.start).line
                last = _last_line(doc, value.start, value.end)
                if last > first:
                    out.append(Fold(first, last))
                _fold(doc, value, out, seen)
    elif type(node) is Sequence:
        for item in node.items:
            if not _own(doc, item, node.start):
                continue
            first = lines.position(item.start).line
            last = _last_line(doc, item.start, item.end)
            if last > first and type(item) in (Mapping, Sequence):
                out.append(Fold(first, last))
            _fold(doc, item, out, seen)


def _comment_folds(doc: YamlDocument) -> list[Fold]:
    out = []
    run_start = None
    count = doc.lines.line_count
    for number in range(count + 1):
        is_comment = number < count and doc.lines.line_text(number).lstrip().startswith("#")
        if is_comment and run_start is None:
            run_start = number
        elif not is_comment and run_start is not None:
            if number - 1 > run_start:
                out.append(Fold(run_start, number - 1, "comment"))
            run_start = None
    return out


def selection_ranges(doc: YamlDocument, offset: int) -> list[tuple[int, int]]:
    """The spans around ``offset``, innermost first, ending with the whole text."""
    spans: list[tuple[int, int]] = []
    node = doc.root
    while node is not None and node.doc is doc:
        if type(node) is Mapping:
            spans.append(_trimmed(doc, node.start, node.end))
            nxt = None
            for pair in node.pairs:
                if pair.merged or pair.key.doc is not doc:
                    continue
                value_end = pair.value.end if _own(doc, pair.value, pair.key.end) else pair.key.end
                entry = _trimmed(doc, pair.key.start, max(value_end, pair.key.end))
                if not entry[0] <= offset <= entry[1]:
                    continue
                spans.append(entry)
                if pair.key.start <= offset <= pair.key.end:
                    spans.append((pair.key.start, pair.key.end))
                elif _own(doc, pair.value, pair.key.end) and pair.value.start <= offset <= pair.value.end:
                    nxt = pair.value
                break
            node = nxt
        elif type(node) is Sequence:
            spans.append(_trimmed(doc, node.start, node.end))
            node = next((i for i in node.items if _own(doc, i, node.start) and i.start <= offset <= i.end), None)
        else:
            spans.append((node.start, node.end))
            node = None
    return _nested([*spans[::-1], (0, len(doc.text))])


def _nested(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Keep only spans that contain the one before (clients require each parent to contain its child)."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if not out or (start <= out[-1][0] and out[-1][1] <= end and (start, end) != out[-1]):
            out.append((start, end))
    return out


def _trimmed(doc: YamlDocument, start: int, end: int) -> tuple[int, int]:
    """``start..end`` without the trailing blank and comment lines a block's end takes in."""
    last = _last_line(doc, start, end)
    line_end = doc.lines.line_starts[last] + len(doc.lines.line_text(last))
    return start, max(start, min(end, line_end))
