"""The Compose files linked to one another across the workspace, and the names they share: what
renaming a service, volume or network, and finding its references, work on.

Two files are linked when one ``include``s the other, names it in ``extends.file``, or when
``docker compose`` loads them together (``compose.yaml`` and ``compose.override.yaml`` in one
folder: :func:`dockerls.parse.compose.selection.project_files`).  The links are followed both ways:
from ``base.yaml`` the ``compose.yaml`` that extends it is found among the workspace's Compose files.
The files linked this way share their names: a service ``db`` declared in one and named in the
``depends_on`` of another is one service (a file extended by several projects makes them one group,
which is what a rename there must change anyway).

Each file is read through the :class:`~dockerls.services.workspace.Workspace` (the editor's text of
open documents, nothing outside the workspace folders) and scanned once per version of its text.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from dockerls.parse.compose.model import RESOURCE_KINDS
from dockerls.parse.compose.references import name_span, service_references
from dockerls.parse.compose.values import names, text_of
from dockerls.parse.compose.yaml_tree import Mapping, Node, Scalar, Sequence, parse_yaml
from dockerls.text import LineIndex

if TYPE_CHECKING:
    from dockerls.services.workspace import Workspace

MAX_LINKED_FILES = 64
# the references a rename changes (secrets and configs are named the same way, and are renamed too)
RENAMED_KINDS = ("services", *RESOURCE_KINDS)


@dataclass(frozen=True, slots=True)
class Name:
    """A name declared (a key under ``services:``, ``volumes:``...) or referred to, in the text of
    the file at ``path`` (offsets into that text as the editor has it)."""

    kind: str  # services, volumes, networks, secrets, configs
    name: str
    path: str
    start: int
    end: int
    declaration: bool


@dataclass(slots=True)
class Scanned:
    path: str
    names: list[Name] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # files it includes or extends (absolute paths)

    def at(self, offset: int) -> Name | None:
        return next((n for n in self.names if n.start <= offset <= n.end), None)


def scan(text: str, path: str) -> Scanned:
    """The names a Compose file declares and refers to, and the files it links to."""
    path = os.path.abspath(path)
    doc = parse_yaml(text, path)
    out = Scanned(path)
    root = doc.root
    if type(root) is not Mapping:
        return out
    to_text = _offsets(text, doc.text, doc.lines)
    folder = Path(path).parent

    def add(kind: str, name: str, start: int, end: int, declaration: bool) -> None:
        out.names.append(Name(kind, name, path, to_text(start), to_text(end), declaration))

    for kind in RENAMED_KINDS:
        section = root.get(kind)
        if type(section) is Mapping:
            for pair in section.pairs:
                if not pair.merged and pair.key.doc is doc:
                    add(kind, pair.name, *_key_span(pair.key), True)
    services = root.get("services")
    if type(services) is Mapping:
        for pair in services.pairs:
            if type(pair.value) is not Mapping or pair.value.doc is not doc:
                continue
            for ref in service_references(pair.value):
                if ref.node.doc is doc and ref.kind in RENAMED_KINDS:
                    add(ref.kind, ref.name, ref.start, ref.end, False)
            ext = pair.value.get("extends")
            if type(ext) is Mapping and (file := text_of(ext.get("file"))):
                out.links.append(_join(folder, file))
                target = ext.get("service")
                if target is not None and (name := text_of(target)):  # a service of the other file
                    add("services", name, *name_span(target, name), False)
    include = root.get("include")
    for item in include.items if type(include) is Sequence else []:
        written = item.get("path") if type(item) is Mapping else item
        out.links.extend(_join(folder, p) for p, _ in names(written))
    return out


def _key_span(key: Node) -> tuple[int, int]:
    return name_span(key, key.text) if type(key) is Scalar else (key.start, key.end)


def _offsets(text: str, parsed: str, lines: LineIndex):
    """Offsets of the parsed text (a byte order mark dropped) in the editor's text."""
    if parsed == text:
        return lambda offset: offset
    mine = LineIndex(text)
    return lambda offset: mine.offset(lines.position(offset))


def _join(folder: Path, written: str) -> str:
    return os.path.normpath(os.path.expanduser(written) if written.startswith("~") else folder / written)


# -- the group of linked files --------------------------------------------------------------------

def scanned(workspace: Workspace, path: str) -> Scanned | None:
    return workspace.derived(path, "compose-names", lambda text: scan(text, path))


def linked_files(workspace: Workspace, path: str, first: Scanned | None = None) -> list[Scanned]:
    """The file at ``path`` and every Compose file linked to it, directly or not (at most
    :data:`MAX_LINKED_FILES`); files outside the workspace folders are not read.  ``first``: the
    file at ``path`` already scanned (from the text being analysed)."""
    from dockerls.discover import COMPOSE, kind_of

    start = os.path.abspath(path)
    first = first if first is not None else scanned(workspace, start)
    if first is None:
        return []
    others: list[Scanned] | None = None  # the workspace's Compose files, scanned when first needed
    group: dict[str, Scanned] = {start: first}
    todo = [first]
    while todo and len(group) < MAX_LINKED_FILES:
        current = todo.pop()
        neighbours = set(current.links) | set(_loaded_together(workspace, current.path))
        if others is None:
            others = [s for p in workspace.files() if kind_of(p) == COMPOSE and p != start
                      and (s := scanned(workspace, p))]
        neighbours |= {s.path for s in others if current.path in s.links}
        for p in sorted(neighbours):
            if p in group or workspace.root_of(p) is None:
                continue
            found = scanned(workspace, p)
            if found is not None:
                group[p] = found
                todo.append(found)
    return list(group.values())


def _loaded_together(workspace: Workspace, path: str) -> list[str]:
    """The files ``docker compose`` reads with ``path`` (a file and its ``.override``)."""
    from dockerls.parse.compose.selection import project_files

    fs = workspace.fs(path)
    return [os.path.abspath(p) for p in project_files(path, fs) if fs.inside(p)]


def occurrences(workspace: Workspace, path: str, offset: int, text: str | None = None) -> list[Name]:
    """Every declaration of and reference to the name under ``offset`` in the file at ``path``
    (whose text is ``text`` when given, else the workspace's), across the files linked to it; []
    when no service, volume, network... is named there."""
    own = scan(text, path) if text is not None and text != workspace.text(path) else scanned(workspace, path)
    target = own.at(offset) if own is not None else None
    if target is None:
        return []
    out: list[Name] = []
    for file in linked_files(workspace, path, own):
        out.extend(n for n in file.names if n.kind == target.kind and n.name == target.name)
    return sorted(set(out), key=lambda n: (n.path != target.path, n.path, n.start))


# -- the Compose files that build a Dockerfile's stage --------------------------------------------

def build_targets(workspace: Workspace, dockerfile: str, stage: str) -> list[tuple[str, int, int]]:
    """Where a Compose file names ``stage`` of ``dockerfile`` in a ``build.target`` (path and
    offsets): the Compose files of the Dockerfile's folder and of its parents, up to the workspace
    folder, whose service builds that Dockerfile."""
    from dockerls.discover import COMPOSE, kind_of

    dockerfile = os.path.abspath(dockerfile)
    root = workspace.root_of(dockerfile)
    if root is None:
        return []
    fs = workspace.fs(dockerfile)
    real = fs.real_path(dockerfile)
    out: list[tuple[str, int, int]] = []
    folder = os.path.dirname(dockerfile)
    while True:
        for name in fs.list_dir(folder):
            path = os.path.join(folder, name)
            if kind_of(path) != COMPOSE:
                continue
            for built, target, start, end in _targets_of(workspace, path):
                if built == real and target.lower() == stage.lower():  # stage names are case-insensitive
                    out.append((path, start, end))
        if folder == root or os.path.dirname(folder) == folder:
            return out
        folder = os.path.dirname(folder)


def _targets_of(workspace: Workspace, path: str) -> list[tuple[str, str, int, int]]:
    return workspace.derived(path, "compose-targets", lambda text: _targets(workspace, text, path)) or []


def _targets(workspace: Workspace, text: str, path: str) -> list[tuple[str, str, int, int]]:
    """``(the Dockerfile's real path, target, start, end)`` of each ``build.target`` in the file."""
    from dockerls.services.compose import project_of

    fs = workspace.fs(path)
    project = project_of(text, path, None, fs)
    if project is None:
        return []
    doc = project.main.doc
    to_text = _offsets(text, doc.text, doc.lines)
    out = []
    for service in project.services.values():
        build = service.get("build")
        target = build.get("target") if type(build) is Mapping else None
        if type(target) is not Scalar or target.doc is not doc or not (name := text_of(target)):
            continue
        dockerfile = project.dockerfile_of(service)
        if dockerfile is not None:
            start, end = name_span(target, name)
            out.append((fs.real_path(dockerfile), name, to_text(start), to_text(end)))
    return out
