"""Compose files: the project model of :mod:`dockerls.parse.compose`, the rules run by
:mod:`dockerls.lint.compose_runner` and the services of :mod:`dockerls.services.compose`.

The project is loaded once per version of the document, when a service first needs it: in the form
the services read (this file and what it includes or extends), and for the document links in the
form ``docker compose`` reads (with the sibling override files and the environment).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Hashable

from dockerls.kinds.base import Analysis, FileKind
from dockerls.text import LineIndex

from dockerls.lint.workspace_fs import PLAIN_FS, WorkspaceFS

if TYPE_CHECKING:
    from dockerls.config import Config
    from dockerls.finding import Edit, Finding
    from dockerls.kinds.compose.linked import Name
    from dockerls.parse.compose.model import ComposeProject
    from dockerls.parse.compose.yaml_tree import YamlDocument
    from dockerls.services.workspace import Workspace
    from dockerls.services.results import (
        Completion,
        Fold,
        Hover,
        InlayHint,
        Link,
        Location,
        Occurrence,
        Symbol,
    )

_SYMBOL_KINDS = {"section": "namespace", "service": "class", "volume": "object", "network": "interface",
                 "secret": "key", "config": "field"}
_COMPLETION_KINDS = {"key": "property", "value": "enum", "service": "service", "volume": "value",
                     "network": "value", "secret": "value", "config": "value", "stage": "stage"}
_WORKSPACE_SECTIONS = ("services", "volumes", "networks")  # what a workspace symbol search finds
_NOT_IN_NAMES = ":#{}[],&*!|>'\"%@`"
_UNSET: Any = object()


class ComposeAnalysis(Analysis):
    def __init__(self, text: str, path: str | None, fs: WorkspaceFS = PLAIN_FS):
        self.text = text
        self.path = path
        self.fs = fs  # included, extended and env files are read through it (within its root)
        self.lines = self._lines = LineIndex(text)
        self._project: ComposeProject | None = _UNSET
        self._full_project: ComposeProject | None = None
        self._symbols: list[Symbol] | None = None
        self._yaml: YamlDocument | None = None

    # -- the project, loaded on first use ------------------------------------------------------

    @property
    def project(self) -> ComposeProject | None:
        """The project as the services read it; None when the text does not parse."""
        if self._project is _UNSET:
            from dockerls.services.compose import project_of

            self._project = project_of(self.text, self.path, None, self.fs)
        return self._project

    @property
    def full_project(self) -> ComposeProject:
        """The project as ``docker compose`` reads it (sibling files, environment, schema)."""
        if self._full_project is None:
            from dockerls.parse.compose.project import load_project

            self._full_project = load_project(self.text, self.path, fs=self.fs)
        return self._full_project

    def _project_offset(self, project: ComposeProject, offset: int) -> int:
        """``offset`` in the project's text (decoding drops a byte order mark), by line and column."""
        return project.main.doc.lines.offset(self._lines.position(offset))

    @property
    def yaml(self) -> YamlDocument:
        """This file's YAML alone, as written (nothing merged into it)."""
        if self._yaml is None:
            from dockerls.parse.compose.yaml_tree import parse_yaml

            self._yaml = parse_yaml(self.text, self.path)
        return self._yaml

    def _to_yaml(self, offset: int) -> int:
        """``offset`` in the YAML document's text (decoding drops a byte order mark)."""
        return self.yaml.lines.offset(self._lines.position(offset))

    def _from_yaml(self, offset: int) -> int:
        return self._lines.offset(self.yaml.lines.position(offset))

    def _mine(self, location: Location) -> bool:
        return location.path is None or location.path == self.path

    # -- services ------------------------------------------------------------------------------

    def lint(self, config: Config, key: Hashable) -> list[Finding]:
        from dockerls.lint.compose_runner import lint_compose

        result = lint_compose(self.text, config, self.path, fs=self.fs)
        return [f for f in result.findings if f.file == self.path]  # findings in included files are theirs

    def ignore_edits(self, offset: int, code: str) -> list[tuple[str, Edit]]:
        from dockerls.services import compose_pragmas

        out = []
        edit = compose_pragmas.ignore_for_line(self._lines, self._lines.position(offset).line, code)
        if edit is not None:
            out.append((f"Ignore {code} for this entry", edit))
        edit = compose_pragmas.ignore_for_file(self._lines, code)
        if edit.new_text:
            out.append((f"Ignore {code} for this file", edit))
        return out

    def hover(self, offset: int) -> Hover | None:
        from dockerls.services.compose import hover_in
        from dockerls.services.results import Hover

        project = self.project
        found = hover_in(project, self._project_offset(project, offset), self.fs.environ) \
            if project is not None else None
        if found is None:
            return None
        return Hover(found.markdown, found.range.start_offset, found.range.end_offset)

    def complete(self, offset: int, snippets: bool = True, trigger: str | None = None) -> list[Completion]:
        from dockerls.parse.compose.project import read_file
        from dockerls.services.compose import complete
        from dockerls.services.results import Completion

        if trigger == " " and not _starts_key_or_value(self.text, offset):
            return []
        out = []
        fs = self.fs
        for c in complete(self.text, self._lines.position(offset), self.path, lambda p: read_file(p, fs),
                          project=lambda: self.project):
            replace = (c.range.start_offset, c.range.end_offset) if c.range is not None else None
            out.append(Completion(c.label, _COMPLETION_KINDS.get(c.kind, "value"), c.detail, c.documentation,
                                  c.insert_text, False, replace))
        return out

    def symbols(self) -> list[Symbol]:
        if self._symbols is None:
            from dockerls.services.compose import document_symbols

            self._symbols = [_symbol(s) for s in document_symbols(self.text, self.path)]
        return self._symbols

    def workspace_symbols(self) -> list[Symbol]:
        return [entry for section in self.symbols() if section.name in _WORKSPACE_SECTIONS
                for entry in section.children]

    def folding(self) -> list[Fold]:
        from dockerls.services.compose_structure import folding_ranges

        return folding_ranges(self.yaml)

    def selection_ranges(self, offset: int) -> list[tuple[int, int]]:
        from dockerls.services.compose_structure import selection_ranges

        spans = selection_ranges(self.yaml, self._to_yaml(offset))
        return [(self._from_yaml(s), self._from_yaml(e)) for s, e in spans]

    def definition(self, offset: int) -> list[Location]:
        from dockerls.services.compose import definition_in

        project = self.project
        if project is None:
            return []
        found = _locations(definition_in(project, self._project_offset(project, offset)))
        return found or self._build_target_stage(project, self._project_offset(project, offset))

    def _build_target_stage(self, project: ComposeProject, offset: int) -> list[Location]:
        """The ``FROM ... AS name`` of the stage a ``build.target`` under ``offset`` names."""
        from dockerls.parse.compose.yaml_tree import Mapping, Scalar
        from dockerls.parse.dockerfile import parse_dockerfile
        from dockerls.services.results import Location

        for service in project.services.values():
            build = service.get("build")
            target = build.get("target") if type(build) is Mapping else None
            if type(target) is not Scalar or target.doc is not project.main.doc \
                    or not target.start <= offset <= target.end:
                continue
            dockerfile = project.dockerfile_of(service)
            if dockerfile is None or not dockerfile.is_file():
                return []
            df = parse_dockerfile(dockerfile.read_bytes(), str(dockerfile))
            stage = df.stage_by_name(str(target.value))
            word = stage.from_instruction.stage_name if stage is not None else None
            if word is None:
                return []
            return [Location(str(dockerfile), word.range.start_offset, word.range.end_offset)]
        return []

    def references(self, offset: int, include_declaration: bool = True,
                   workspace: Workspace | None = None) -> list[Location]:
        """In this file and what it includes or extends; with a ``workspace``, in every Compose file
        linked to this one (:mod:`dockerls.kinds.compose.linked`)."""
        from dockerls.services.compose import references_in

        if workspace is not None and self.path:
            linked = self._linked(offset, workspace)
            if linked:
                from dockerls.services.results import Location

                return [Location(n.path, n.start, n.end) for n in linked if include_declaration or not n.declaration]
        project = self.project
        if project is None:
            return []
        return _locations(references_in(project, self._project_offset(project, offset), include_declaration))

    def _linked(self, offset: int, workspace: Workspace) -> list[Name]:
        from dockerls.kinds.compose.linked import occurrences

        return occurrences(workspace, self.path or "", offset, self.text)

    def highlights(self, offset: int) -> list[Occurrence]:
        """Occurrences in this document; the definition is the write."""
        from dockerls.services.results import Occurrence

        defined = {(d.start, d.end) for d in self.definition(offset) if self._mine(d)}
        spans = {(r.start, r.end) for r in self.references(offset, True) if self._mine(r)}
        return [Occurrence(s, e, (s, e) in defined) for s, e in sorted(spans)]

    def prepare_rename(self, offset: int, workspace: Workspace | None = None) -> tuple[int, int, str] | None:
        for r in self.references(offset, True, workspace):
            if self._mine(r) and r.start <= offset <= r.end:
                return r.start, r.end, self.text[r.start : r.end]
        return None

    def rename(self, offset: int, new_name: str) -> list[Edit]:
        """Edits renaming a service, volume, network... everywhere in this file; ValueError when the
        name is used in other files too, or is not a valid name."""
        found = self.rename_files(offset, new_name)
        if any(path is not None for path in found):
            raise ValueError("the name is also used in other files: rename it there too")
        return found.get(None, [])

    def rename_files(self, offset: int, new_name: str, workspace: Workspace | None = None) -> dict[str | None, list[Edit]]:
        """With a ``workspace``, in every Compose file linked to this one: the files it includes
        or extends, those that include or extend it, the overrides loaded with it."""
        from dockerls.finding import Edit

        if self.prepare_rename(offset, workspace) is None:
            return {}
        if not new_name or any(ch.isspace() or ch in _NOT_IN_NAMES for ch in new_name):
            raise ValueError(f"'{new_name}' is not a valid name")
        out: dict[str | None, list[Edit]] = {}
        for r in self.references(offset, True, workspace):
            key = None if self._mine(r) else r.path
            edits = out.setdefault(key, [])
            if not any(e.start == r.start and e.end == r.end for e in edits):
                edits.append(Edit(r.start, r.end, new_name))
        return {key: sorted(edits, key=lambda e: e.start) for key, edits in out.items()}

    def format(self, indent: str, first_line: int = 0, last_line: int | None = None) -> list[Edit]:
        """Whitespace only (:mod:`dockerls.services.compose_formatting`); YAML indents with spaces,
        so a tab indent formats with two."""
        from dockerls.finding import Edit
        from dockerls.services.compose_formatting import format_compose

        unit = 2 if "\t" in indent else len(indent)
        edits = format_compose(self.yaml, unit, first_line, last_line)
        return [Edit(self._from_yaml(e.start), self._from_yaml(e.end), e.new_text) for e in edits]

    def links(self) -> list[Link]:
        from dockerls.services.compose_links import document_links

        return document_links(self.full_project, self.path)

    def inlay_hints(self, start: int = 0, end: int | None = None) -> list[InlayHint]:
        from dockerls.services.inlay_hints import compose_hints
        from dockerls.services.results import InlayHint

        project = self.full_project
        if project.main.doc.root is None:
            return []
        doc_lines = project.main.doc.lines
        to_doc = [doc_lines.offset(self._lines.position(o)) for o in (start, end if end is not None else len(self.text))]
        return [InlayHint(self._lines.offset(doc_lines.position(h.offset)), h.label, h.tooltip)
                for h in compose_hints(project, to_doc[0], to_doc[1])]


def _locations(found) -> list[Location]:
    from dockerls.services.results import Location

    return [Location(loc.path, loc.range.start_offset, loc.range.end_offset) for loc in found]


class ComposeKind(FileKind):
    name = "compose"
    language_ids = frozenset({"dockercompose", "docker-compose", "yaml.docker-compose", "compose"})
    generic_language_ids = frozenset({"yaml", "yml"})

    def matches_content(self, text: str) -> bool:
        from dockerls.discover import looks_like_compose

        return looks_like_compose(text)

    def analyse(self, text: str, path: str | None, previous: Analysis | None = None,
                fs: WorkspaceFS = PLAIN_FS) -> ComposeAnalysis:
        return ComposeAnalysis(text, path, fs)

    def lint_text(self, data: bytes | str, config: Config, path: str | None,
                  fs: WorkspaceFS = PLAIN_FS) -> tuple[str, LineIndex, list[Finding]]:
        from dockerls.lint.compose_runner import lint_compose_text

        return lint_compose_text(data, config, path, fs)


KIND = ComposeKind()


def _symbol(s) -> Symbol:
    """A compose symbol as the editor services' (a module function: a recursive closure would be a
    reference cycle, kept until the cyclic collector runs)."""
    from dockerls.services.results import Symbol

    return Symbol(s.name, _SYMBOL_KINDS.get(s.kind, "object"), s.range.start_offset, s.range.end_offset,
                  s.selection_range.start_offset, s.selection_range.end_offset, s.detail,
                  [_symbol(c) for c in s.children])


def _starts_key_or_value(text: str, offset: int) -> bool:
    """Whether the blank just typed at ``offset`` indents a new key, or follows ``key:`` or ``-``:
    the places where the list may open by itself as one types."""
    line = text[text.rfind("\n", 0, offset) + 1 : offset]
    return not line.strip() or line.endswith((": ", "- "))
