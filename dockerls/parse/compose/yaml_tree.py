"""YAML as Compose reads it, with the exact range of every key and value.

PyYAML's parser (libyaml's when it is installed) turns the text into events; this module builds the
tree from them itself instead of calling ``yaml.compose``, for three reasons:

* libyaml's composer recurses in C, so a deeply nested document crashes the interpreter (a
  segmentation fault, not an exception); here nesting is counted and cut at :data:`MAX_DEPTH`;
* on a 10 MB file it is several times slower than reading the events and building the tree here;
* aliases keep their own position, which the node graph forgets.

Plain scalars are resolved the way Docker Compose (go-yaml v3, close to YAML 1.2) does, not the YAML
1.1 way of PyYAML's SafeLoader: ``yes``/``on`` stay strings and ``22:22`` is a string, not the
base-60 integer 1342.  Anchors and aliases share nodes, so the tree is a DAG; merge keys (``<<``)
are applied; duplicate keys are reported (Compose refuses them); every node knows its expanded size
so an alias bomb is caught before anything walks it.

A document of more than :data:`MAX_NODES` values is cut there (DC005): the tree keeps what was read
up to the top-level entry being read (a service, a volume...: the one cut in the middle is left
out, so nothing is checked half-read), and the rest of the text is still scanned for YAML syntax
errors, without building nodes.  So a file over the cap still gets its syntax findings, at their
lines, and schema findings for what was read; ``YamlDocument.cut_at`` says where the tree ends.
An alias bomb still stops everything at once: it is refused before anything expands it.
"""

from __future__ import annotations

import gc
import re
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from dockerls.parse.compose import problems as P
from dockerls.parse.compose.problems import Problem
from dockerls.parse.dockerfile.decode import decode
from dockerls.text import LineIndex, Range

MAX_DEPTH = 64  # Compose files nest about 8 deep; libyaml itself slows down quadratically past thousands
MAX_ALIAS_EXPANSION = 100_000  # nodes that aliases may add to the document once expanded
MAX_NODES = 200_000  # a 300-service project has about 10,000; this is some 2 MB of dense YAML

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TRUES = frozenset(("true", "True", "TRUE"))
_FALSES = frozenset(("false", "False", "FALSE"))
_SPECIAL_FLOATS = {".inf": float("inf"), ".Inf": float("inf"), ".INF": float("inf"),
                   "+.inf": float("inf"), "+.Inf": float("inf"), "+.INF": float("inf"),
                   "-.inf": float("-inf"), "-.Inf": float("-inf"), "-.INF": float("-inf"),
                   ".nan": float("nan"), ".NaN": float("nan"), ".NAN": float("nan")}
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INT_BASES = {"0x": 16, "0X": 16, "0o": 8, "0O": 8, "0b": 2, "0B": 2}
_TAG = "tag:yaml.org,2002:"


class Node:
    """A YAML node: where it is (``doc``, ``start``, ``end``: code-point offsets) and its tag.

    A node reaches its document through a weak reference (the document holds the tree): a tree
    with no cycle is freed as soon as its last user lets go of it, without waiting for the cyclic
    collector, which an editor's server parsing a file on every keystroke would otherwise feed a
    whole tree per version.  Keep the :class:`YamlDocument` while its nodes are in use."""

    __slots__ = ("_doc", "start", "end", "tag", "size")

    def __init__(self, doc: YamlDocument, start: int, end: int, tag: str | None):
        self._doc = doc.ref
        self.start = start
        self.end = end
        self.tag = tag  # an explicit tag as written (``!reset``, ``!override``, ``tag:yaml.org,2002:str``)
        self.size = 1  # nodes in this subtree once aliases are expanded

    @property
    def doc(self) -> YamlDocument:
        doc = self._doc()
        if doc is None:
            raise ReferenceError("a YAML node used after its document was dropped")
        return doc

    @property
    def range(self) -> Range:
        return self.doc.lines.range(self.start, self.end)

    @property
    def path(self) -> str | None:
        return self.doc.path


class Scalar(Node):
    """A scalar.  ``value`` is resolved (str, int, float, bool or None) and, for strings, interpolated
    once the project is loaded; ``text`` is the scalar's content as written (quotes removed)."""

    __slots__ = ("value", "text", "style", "interpolated")

    def __init__(self, doc, start, end, tag, value, text, style):
        self._doc = doc.ref  # the base initialiser is inlined: millions of scalars in a large file
        self.start = start
        self.end = end
        self.tag = tag
        self.size = 1
        self.value = value
        self.text = text
        self.style = style  # "" plain, "'", '"', "|", ">"
        self.interpolated = False  # the value came out of ``${...}`` substitution

    @property
    def plain(self) -> bool:
        return self.style == ""

    def content_start(self) -> int:
        """Offset of the first character of the content (after an opening quote)."""
        return self.start + (1 if self.style in ("'", '"') else 0)

    def __repr__(self) -> str:
        return f"Scalar({self.value!r}@{self.start})"


class Pair:
    """A key and its value.  ``merged`` pairs come from a ``<<`` merge key."""

    __slots__ = ("key", "value", "merged")

    def __init__(self, key: Node, value: Node, merged: bool = False):
        self.key = key
        self.value = value
        self.merged = merged

    @property
    def name(self) -> str:
        return key_text(self.key)

    def __repr__(self) -> str:
        return f"Pair({self.name!r})"


class Mapping(Node):
    """A mapping; ``pairs`` are the effective entries in order (merge keys applied, the last of
    duplicate keys kept)."""

    __slots__ = ("pairs", "index", "flow")

    def __init__(self, doc, start, end, tag, flow: bool = False):
        super().__init__(doc, start, end, tag)
        self.pairs: list[Pair] = []
        self.index: dict[str, Pair] = {}
        self.flow = flow

    def get(self, key: str) -> Node | None:
        pair = self.index.get(key)
        return pair.value if pair is not None else None

    def pair(self, key: str) -> Pair | None:
        return self.index.get(key)

    def __contains__(self, key: str) -> bool:
        return key in self.index

    def keys(self) -> list[str]:
        return list(self.index)

    def add(self, pair: Pair) -> None:
        """Append a pair, or replace the pair with the same key (keeping its place)."""
        name = pair.name
        old = self.index.get(name)
        if old is not None:
            self.pairs[self.pairs.index(old)] = pair
        else:
            self.pairs.append(pair)
        self.index[name] = pair

    def remove(self, key: str) -> None:
        old = self.index.pop(key, None)
        if old is not None:
            self.pairs.remove(old)

    def __repr__(self) -> str:
        return f"Mapping({[p.name for p in self.pairs]}@{self.start})"


class Sequence(Node):
    __slots__ = ("items", "flow")

    def __init__(self, doc, start, end, tag, flow: bool = False):
        super().__init__(doc, start, end, tag)
        self.items: list[Node] = []
        self.flow = flow

    def __repr__(self) -> str:
        return f"Sequence({len(self.items)}@{self.start})"


@dataclass(slots=True)
class Alias:
    """Where an alias is used, and the node it stands for."""

    name: str
    start: int
    end: int
    target: Node


@dataclass(eq=False)
class YamlDocument:
    """One YAML file: its text, its tree (``None`` when it could not be read) and its problems."""

    text: str
    lines: LineIndex
    path: str | None = None
    root: Node | None = None
    problems: list[Problem] = field(default_factory=list)
    aliases: list[Alias] = field(default_factory=list)
    extra_roots: list[Node] = field(default_factory=list)  # documents after the first (``---``)
    node_count: int = 0
    is_binary: bool = False
    # Where the tree stops when the document is over MAX_NODES (the text after it was only scanned).
    cut_at: int | None = None
    # What its nodes hold instead of the document itself (see Node): no reference cycle.
    ref: weakref.ref = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.ref = weakref.ref(self)

    @property
    def folder(self) -> Path | None:
        return Path(self.path).parent if self.path else None

    def problem(self, code: str, message: str, start: int, end: int) -> None:
        # Clamped: "at least one character" ranges must not end past the document's last one.
        size = len(self.text)
        start = min(start, size)
        self.problems.append(Problem(code, message, self.lines.range(start, min(max(end, start), size)), self.path))


def key_text(node: Node) -> str:
    """The name of a mapping key: the scalar as written (``true`` stays ``"true"``)."""
    if isinstance(node, Scalar):
        return node.text
    return f"<{type(node).__name__.lower()} at {node.start}>"


def resolve_plain(text: str) -> Any:
    """The value of a plain scalar as go-yaml v3 reads it into an untyped value."""
    if text in _NULLS:
        return None
    if text in _TRUES:
        return True
    if text in _FALSES:
        return False
    first = text[0]
    if first not in "+-.0123456789":
        return text
    if text in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[text]
    number = text.replace("_", "")
    value = _parse_go_int(number)
    if value is not None:
        return value
    if _FLOAT.fullmatch(number):
        return float(number)
    return text


def _parse_go_int(text: str) -> int | None:
    sign, body = (text[0], text[1:]) if text[:1] in "+-" else ("", text)
    if not body or not body[0].isdigit():
        return None
    try:
        base = _INT_BASES.get(body[:2])
        if base is not None:
            value = int(body[2:], base)
        elif len(body) > 1 and body[0] == "0":
            value = int(body, 8)  # Go's base-0 parsing: a leading zero means octal
        elif body.isdigit():
            value = int(body)
        else:
            return None
    except ValueError:
        return None
    value = -value if sign == "-" else value
    return value if -(1 << 63) <= value < (1 << 64) else None


def _scalar_value(ev: ScalarEvent) -> Any:
    tag = ev.tag
    if ev.style:  # quoted or block: a string unless tagged otherwise
        if tag is None or tag == "!" or tag == _TAG + "str":
            return ev.value
    elif tag is None or tag == "!" or not tag.startswith(_TAG):
        return resolve_plain(ev.value) if ev.value else None
    if tag == _TAG + "str" or tag == _TAG + "binary" or tag == _TAG + "timestamp":
        return ev.value
    if tag == _TAG + "null":
        return None
    value = resolve_plain(ev.value) if ev.value else None
    if tag == _TAG + "bool" and isinstance(value, bool):
        return value
    if tag == _TAG + "int" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if tag == _TAG + "float" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return ev.value if tag.startswith(_TAG) else value


class _Stop(Exception):
    """Ends composition early (too deep, alias bomb); the problem is already recorded."""


class _Cut(Exception):
    """The document is over MAX_NODES: keep what was read, scan the rest for syntax only."""


class _Composer:
    def __init__(self, doc: YamlDocument, loader: Any = None):
        self.doc = doc
        self.loader = loader  # the parser the events come from (to scan the rest of a document cut short)
        self.anchors: dict[str, Node] = {}
        self.open: set[int] = set()  # ids of containers not closed yet (an alias to one is recursive)
        self.stack: list[list] = []  # [container, pending key, end of the last child]
        self.roots: list[Node] = []
        self.count = 0
        self.widest_alias: Alias | None = None

    def run(self, events: Iterator) -> None:
        doc = self.doc
        stack = self.stack
        anchors = self.anchors
        attach = self.attach
        scalar_value = _scalar_value
        count = 0
        try:
            for ev in events:
                cls = type(ev)
                if cls is ScalarEvent:
                    count += 1
                    if count > MAX_NODES:
                        raise _Cut
                    end = ev.end_mark.index
                    node = Scalar(doc, ev.start_mark.index, end, ev.tag, scalar_value(ev), ev.value, ev.style or "")
                    if ev.anchor:
                        anchors[ev.anchor] = node
                    if stack:  # attach() inlined for the common case
                        frame = stack[-1]
                        parent = frame[0]
                        parent.size += 1
                        frame[2] = end
                        if type(parent) is Sequence:
                            parent.items.append(node)
                        elif frame[1] is None:
                            frame[1] = node
                        else:
                            parent.pairs.append(Pair(frame[1], node))
                            frame[1] = None
                    else:
                        attach(node, end)
                elif cls is MappingStartEvent or cls is SequenceStartEvent:
                    if len(stack) >= MAX_DEPTH:
                        at = ev.start_mark.index
                        doc.problem(P.NESTING_TOO_DEEP, f"The document nests deeper than {MAX_DEPTH} levels; "
                                    "it was not read further", at, at + 1)
                        raise _Stop
                    count += 1
                    if count > MAX_NODES:
                        raise _Cut
                    kind = Mapping if cls is MappingStartEvent else Sequence
                    container = kind(doc, ev.start_mark.index, ev.end_mark.index, ev.tag, bool(ev.flow_style))
                    if ev.anchor:
                        anchors[ev.anchor] = container
                    self.open.add(id(container))
                    stack.append([container, None, container.start])
                elif cls is MappingEndEvent or cls is SequenceEndEvent:
                    node, _, last_end = stack.pop()
                    self.open.discard(id(node))
                    node.end = ev.end_mark.index if node.flow or last_end == node.start else last_end
                    if cls is MappingEndEvent:
                        self.finish_mapping(node)
                    attach(node, node.end)
                    if not stack and node.size - count > MAX_ALIAS_EXPANSION and self.widest_alias is not None:
                        self.too_big(self.widest_alias)
                elif cls is AliasEvent:
                    self.alias(ev)
        except _Cut:
            self.count = count
            self.cut(ev)
            self.scan_rest(events)
        finally:
            self.count = count

    def scan_rest(self, events: Iterator) -> None:
        """Parse the rest of the text without building anything: a syntax error raises as usual.
        libyaml's parser does it in C, without an event object each (the 10 MB test)."""
        raw_parse = getattr(self.loader, "raw_parse", None)
        if raw_parse is not None:
            raw_parse()
            return
        for _ in events:
            pass

    def cut(self, ev) -> None:
        """Close the tree read so far, without the top-level entry being read (frames below the
        second level, and the second level's pending key)."""
        stack = self.stack
        first_dropped = None
        while len(stack) > 2:
            frame = stack.pop()
            self.open.discard(id(frame[0]))
            first_dropped = frame[0].start
        if stack:
            top = stack[-1]
            if top[1] is not None:
                first_dropped = top[1].start
                top[1] = None
        at = ev.start_mark.index if first_dropped is None else first_dropped
        self.doc.cut_at = at
        line = self.doc.lines.position(at).line + 1
        self.doc.problem(P.TOO_LARGE, f"The document has more than {MAX_NODES:,} values: too large to check whole; "
                         f"from line {line} on it is only checked for YAML syntax", at, at + 1)
        while stack:
            node, _, last_end = stack.pop()
            self.open.discard(id(node))
            node.end = last_end
            if type(node) is Mapping:
                self.finish_mapping(node)
            self.attach(node, node.end)

    def alias(self, ev: AliasEvent) -> None:
        doc = self.doc
        start, end = ev.start_mark.index, ev.end_mark.index  # type: ignore[union-attr]  # events from the parser have marks
        name = ev.anchor or ""
        target = self.anchors.get(name)
        if target is None:
            doc.problem(P.YAML_SYNTAX, f"Unknown alias `*{ev.anchor}`: no anchor `&{ev.anchor}` before it", start, end)
            raise _Stop
        if id(target) in self.open:
            doc.problem(P.YAML_SYNTAX, f"The alias `*{ev.anchor}` refers to a node that contains it", start, end)
            raise _Stop
        alias = Alias(name, start, end, target)
        doc.aliases.append(alias)
        if self.widest_alias is None or target.size > self.widest_alias.target.size:
            self.widest_alias = alias
        if target.size > MAX_ALIAS_EXPANSION:
            self.too_big(alias)
        self.attach(target, end)

    def too_big(self, alias: Alias) -> None:
        self.doc.problem(P.TOO_LARGE, f"Aliases expand this document beyond {MAX_ALIAS_EXPANSION:,} nodes "
                         f"(`*{alias.name}` alone stands for {alias.target.size:,}): it was not read further",
                         alias.start, alias.end)
        raise _Stop

    def attach(self, node: Node, end: int) -> None:
        stack = self.stack
        if not stack:
            self.roots.append(node)
            return
        frame = stack[-1]
        parent = frame[0]
        parent.size += node.size
        frame[2] = end
        if type(parent) is Sequence:
            parent.items.append(node)
        elif frame[1] is None:
            frame[1] = node
        else:
            parent.pairs.append(Pair(frame[1], node))
            frame[1] = None

    def finish_mapping(self, node: Mapping) -> None:
        """Apply merge keys and report duplicate keys; ``pairs`` becomes the effective entries."""
        own: dict[str, Pair] = {}
        order: list[Pair] = []
        merges: list[Node] = []
        for pair in node.pairs:
            key = pair.key
            if isinstance(key, Scalar) and key.plain and key.text == "<<" and key.tag is None:
                merges.append(pair.value)
                continue
            name = key_text(key)
            first = own.get(name)
            if first is not None:
                line = first.key.range.start.line + 1
                self.doc.problem(P.DUPLICATE_KEY, f"Duplicate key `{name}` (first on line {line}): "
                                 "Compose refuses the file", key.start, key.end)
                order.remove(first)
            own[name] = pair
            order.append(pair)
        for source in merges:
            for merged in self.merge_sources(source):
                for pair in merged.pairs:
                    name = pair.name
                    if name not in own:
                        entry = Pair(pair.key, pair.value, merged=True)
                        own[name] = entry
                        order.append(entry)
        node.pairs = order
        node.index = own

    def merge_sources(self, value: Node) -> list[Mapping]:
        if type(value) is Mapping:
            return [value]
        if type(value) is Sequence and all(type(v) is Mapping for v in value.items):
            return [v for v in value.items if type(v) is Mapping]  # earlier mappings win: they are applied first
        self.doc.problem(P.YAML_SYNTAX, "A merge key `<<` takes a mapping or a list of mappings",
                         value.start, max(value.end, value.start + 1))
        return []


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def parse_yaml(source: bytes | str, path: str | None = None) -> YamlDocument:
    """Read one YAML file.  Never raises: what went wrong is in ``problems``."""
    decoded = decode(source)
    text = decoded.text
    surrogate = _LONE_SURROGATE.search(text)
    if surrogate is not None:  # only an editor's text can hold them; the YAML reader refuses them
        text = _LONE_SURROGATE.sub("\ufffd", text)  # one code point each: offsets stay
    doc = YamlDocument(text, LineIndex(text), path)
    if surrogate is not None:
        doc.problem(P.INVALID_UTF8, "The text holds a lone surrogate (not a character); it was read with "
                    "replacement characters", surrogate.start(), surrogate.start() + 1)
    if decoded.binary:
        at = text.find("\x00")
        doc.problem(P.BINARY_FILE, "This is a binary file (it holds NUL bytes), not a Compose file", at, at + 1)
        doc.is_binary = True
        return doc
    if decoded.invalid_utf8_at is not None:
        at = max(text.find("\ufffd"), 0)
        doc.problem(P.INVALID_UTF8, f"The file is not valid UTF-8 (first bad byte at byte offset "
                    f"{decoded.invalid_utf8_at}); it was read with replacement characters", at, at + 1)
    loader = _Loader(text)
    composer = _Composer(doc, loader)
    collecting = gc.isenabled()
    gc.disable()  # the tree is millions of objects for a large file: cyclic GC passes would dominate
    try:
        composer.run(_events(loader))
    except _Stop:
        composer.roots = []
    except yaml.MarkedYAMLError as err:
        _syntax_problem(doc, err)
        if doc.cut_at is None:  # over the cap, the tree read before the cut stands
            composer.roots = []
    except (yaml.YAMLError, RecursionError, MemoryError) as err:
        doc.problem(P.YAML_SYNTAX, f"Cannot read the YAML: {err}", 0, 0)
        composer.roots = []
    finally:
        loader.dispose()
        if collecting:
            gc.enable()
    doc.node_count = composer.count
    if composer.roots:
        doc.root = composer.roots[0]
        doc.extra_roots = composer.roots[1:]
    return doc


def _events(loader: Any) -> Iterator:
    """The parser's events (as ``yaml.parse``, with the loader kept in hand)."""
    while loader.check_event():
        yield loader.get_event()


def _syntax_problem(doc: YamlDocument, err: yaml.MarkedYAMLError) -> None:
    mark = err.problem_mark or err.context_mark
    at = min(mark.index, len(doc.text)) if mark is not None else 0
    end = at + 1 if at < len(doc.text) and doc.text[at] not in "\r\n" else at
    if "nesting depth" in (err.problem or ""):
        # PyYAML >= 6.0.3 cuts deep flow nesting in its scanner, before our own count sees the
        # events: the same answer as ours, whichever limit is hit first.
        doc.problem(P.NESTING_TOO_DEEP, f"The document nests deeper than {MAX_DEPTH} levels; "
                    "it was not read further", at, end)
        return
    if at < len(doc.text) and doc.text[at] == "\t":
        doc.problem(P.YAML_SYNTAX, "A tab character here: YAML indents with spaces only", at, end)
        return
    problem = err.problem or "invalid YAML"
    message = problem[0].upper() + problem[1:]
    if err.context and err.context_mark is not None and err.problem_mark is not None:
        where = err.context_mark.line + 1
        message += f" ({err.context} on line {where})" if where != err.problem_mark.line + 1 else f" ({err.context})"
    doc.problem(P.YAML_SYNTAX, message, at, end)


def iter_nodes(root: Node) -> Iterator[Node]:
    """Every distinct node once (aliases are not followed twice), parents before children."""
    seen: set[int] = set()
    todo = [root]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        if type(node) is Mapping:
            for pair in reversed(node.pairs):
                todo.append(pair.value)
                todo.append(pair.key)
        elif type(node) is Sequence:
            todo.extend(reversed(node.items))
