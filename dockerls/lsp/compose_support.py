"""Compose files in the language server: a bridge to the compose parser and linter
(:mod:`dockerls.parse.compose`, :mod:`dockerls.lint.compose_runner`) and the compose language
services (:mod:`dockerls.services.compose`), turning their answers into the shapes the feature
modules use (offsets, and ``(uri, lines, start, end)`` locations, which may be in other files).
While one of those modules is missing, its features answer empty.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from dockerls.text import LineIndex

if TYPE_CHECKING:
    from dockerls.services.completion import Completion
    from dockerls.services.hover import Hover
    from dockerls.services.symbols import Symbol

log = logging.getLogger("dockerls.lsp")

_SYMBOL_KINDS = {"section": "namespace", "service": "class", "volume": "object", "network": "interface",
                 "secret": "key", "config": "field"}
_COMPLETION_KINDS = {"key": "property", "value": "enum", "service": "service", "volume": "value",
                     "network": "value", "secret": "value", "config": "value", "stage": "stage"}


def _module(name: str):
    try:
        return __import__(name, fromlist=["_"])
    except ImportError:
        return None


def _services():
    return _module("dockerls.services.compose")


def parse(doc):
    """The compose project the document belongs to (its text, not the file on disk)."""
    project = _module("dockerls.parse.compose.project")
    if project is None:
        return None
    return project.load_project(doc.text, doc.path)


def lint(doc, config) -> list:
    runner = _module("dockerls.lint.compose_runner")
    if runner is None:
        return []
    result = runner.lint_compose(doc.text, config, doc.path)
    return [f for f in result.findings if f.file == doc.path]  # findings in included files are theirs


def hover(doc, offset: int) -> Hover | None:
    services = _services()
    found = services.hover(doc.text, doc.lines.position(offset), doc.path) if services else None
    if found is None:
        return None
    from dockerls.services.hover import Hover

    return Hover(found.markdown, found.range.start_offset, found.range.end_offset)


def complete(doc, offset: int, snippets: bool) -> list[Completion]:
    services = _services()
    if services is None:
        return []
    from dockerls.services.completion import Completion

    out = []
    for c in services.complete(doc.text, doc.lines.position(offset), doc.path):
        replace = (c.range.start_offset, c.range.end_offset) if c.range is not None else None
        out.append(Completion(c.label, _COMPLETION_KINDS.get(c.kind, "value"), c.detail, c.documentation,
                              c.insert_text, False, replace))
    return out


def symbols(doc) -> list[Symbol]:
    services = _services()
    if services is None:
        return []
    from dockerls.services.symbols import Symbol

    def convert(s) -> Symbol:
        return Symbol(s.name, _SYMBOL_KINDS.get(s.kind, "object"), s.range.start_offset, s.range.end_offset,
                      s.selection_range.start_offset, s.selection_range.end_offset, s.detail,
                      [convert(c) for c in s.children])

    return [convert(s) for s in services.document_symbols(doc.text, doc.path)]


def _where(doc, documents, location) -> tuple[str, LineIndex, int, int] | None:
    """A compose service ``Location`` as ``(uri, lines, start, end)``."""
    path = location.path
    if path is None or path == doc.path:
        return doc.uri, doc.lines, location.range.start_offset, location.range.end_offset
    uri = Path(path).resolve().as_uri()
    other = documents.get(uri, quiet=True) if documents is not None else None
    if other is not None:
        lines = other.lines
    else:
        try:
            lines = LineIndex(Path(path).read_text(encoding="utf-8", errors="replace"))
        except OSError:
            return None
    return uri, lines, location.range.start_offset, location.range.end_offset


def definition(doc, offset: int, documents=None) -> list[tuple]:
    services = _services()
    if services is None:
        return []
    found = services.definition(doc.text, doc.lines.position(offset), doc.path)
    return [w for w in (_where(doc, documents, loc) for loc in found) if w]


def references(doc, offset: int, include_declaration: bool, documents=None) -> list[tuple]:
    services = _services()
    if services is None:
        return []
    found = services.references(doc.text, doc.lines.position(offset), doc.path, include_declaration)
    return [w for w in (_where(doc, documents, loc) for loc in found) if w]


def highlights(doc, offset: int) -> list[tuple[int, int, bool]]:
    """Occurrences in this document; the definition is the write."""
    defined = {(s, e) for uri, _, s, e in definition(doc, offset) if uri == doc.uri}
    spans = [(s, e) for uri, _, s, e in references(doc, offset, True) if uri == doc.uri]
    return [(s, e, (s, e) in defined) for s, e in sorted(set(spans))]


def prepare_rename(doc, offset: int) -> tuple[int, int, str] | None:
    for uri, _, s, e in references(doc, offset, True):
        if uri == doc.uri and s <= offset <= e:
            return s, e, doc.text[s:e]
    return None


def rename(doc, offset: int, new_name: str) -> list:
    """Edits renaming a service, volume, network... everywhere in this file; ValueError when the
    name is used in other files too, or is not a valid name."""
    from dockerls.finding import Edit

    if prepare_rename(doc, offset) is None:
        return []
    if not new_name or any(ch.isspace() or ch in ":#{}[],&*!|>'\"%@`" for ch in new_name):
        raise ValueError(f"'{new_name}' is not a valid name")
    found = references(doc, offset, True)
    if any(uri != doc.uri for uri, _, _, _ in found):
        raise ValueError("the name is also used in other files: rename it there too")
    return [Edit(s, e, new_name) for _, _, s, e in sorted(set(found), key=lambda w: w[2])]


def links(doc) -> list:
    """``build`` (the Dockerfile), ``env_file`` and ``extends.file`` to the files they name."""
    from dockerls.services.links import Link

    project = doc.model()
    main = getattr(project, "main", None)
    if main is None or main.doc.root is None:
        return []
    base = Path(doc.path).parent if doc.path else None
    if base is None:
        return []
    out: list[Link] = []
    for service in project.services.values():
        node = service.node
        build = node.get("build")
        if _scalar(build, main):
            out.append(_file_link(base / build.value / "Dockerfile", build))
        elif build is not None and hasattr(build, "get"):
            context = build.get("context")
            folder = base / context.value if _scalar(context, main) or _scalar(context, None) else base
            dockerfile = build.get("dockerfile")
            if _scalar(dockerfile, main):
                out.append(_file_link(folder / dockerfile.value, dockerfile))
        env_file = node.get("env_file")
        for item in _items(env_file):
            target = item.get("path") if hasattr(item, "get") else item
            if _scalar(target, main):
                out.append(_file_link(base / target.value, target))
        extends = node.get("extends")
        file = extends.get("file") if extends is not None and hasattr(extends, "get") else None
        if _scalar(file, main):
            out.append(_file_link(base / file.value, file))
    return [link for link in out if link is not None]


def _scalar(node, main) -> bool:
    return (node is not None and isinstance(getattr(node, "value", None), str) and node.value
            and (main is None or node.doc is main.doc))


def _items(node) -> list:
    if node is None:
        return []
    return list(node.items) if hasattr(node, "items") and not hasattr(node, "get") else [node]


def _file_link(path: Path, node):
    from dockerls.services.links import Link

    if not path.is_file():
        return None
    return Link(node.start, node.end, path.resolve().as_uri(), f"Open {path.name}")
