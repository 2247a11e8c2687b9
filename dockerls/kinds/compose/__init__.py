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
    from dockerls.parse.compose.model import ComposeProject
    from dockerls.services.results import Completion, Hover, Link, Location, Occurrence, Symbol

_SYMBOL_KINDS = {"section": "namespace", "service": "class", "volume": "object", "network": "interface",
                 "secret": "key", "config": "field"}
_COMPLETION_KINDS = {"key": "property", "value": "enum", "service": "service", "volume": "value",
                     "network": "value", "secret": "value", "config": "value", "stage": "stage"}
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

    def _mine(self, location: Location) -> bool:
        return location.path is None or location.path == self.path

    # -- services ------------------------------------------------------------------------------

    def lint(self, config: Config, key: Hashable) -> list[Finding]:
        from dockerls.lint.compose_runner import lint_compose

        result = lint_compose(self.text, config, self.path, fs=self.fs)
        return [f for f in result.findings if f.file == self.path]  # findings in included files are theirs

    def hover(self, offset: int) -> Hover | None:
        from dockerls.services.compose import hover_in
        from dockerls.services.results import Hover

        project = self.project
        found = hover_in(project, self._project_offset(project, offset), self.fs.environ) \
            if project is not None else None
        if found is None:
            return None
        return Hover(found.markdown, found.range.start_offset, found.range.end_offset)

    def complete(self, offset: int, snippets: bool = True) -> list[Completion]:
        from dockerls.parse.compose.project import read_file
        from dockerls.services.compose import complete
        from dockerls.services.results import Completion

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
            from dockerls.services.results import Symbol

            def convert(s) -> Symbol:
                return Symbol(s.name, _SYMBOL_KINDS.get(s.kind, "object"), s.range.start_offset,
                              s.range.end_offset, s.selection_range.start_offset, s.selection_range.end_offset,
                              s.detail, [convert(c) for c in s.children])

            self._symbols = [convert(s) for s in document_symbols(self.text, self.path)]
        return self._symbols

    def definition(self, offset: int) -> list[Location]:
        from dockerls.services.compose import definition_in

        project = self.project
        if project is None:
            return []
        return _locations(definition_in(project, self._project_offset(project, offset)))

    def references(self, offset: int, include_declaration: bool = True) -> list[Location]:
        from dockerls.services.compose import references_in

        project = self.project
        if project is None:
            return []
        return _locations(references_in(project, self._project_offset(project, offset), include_declaration))

    def highlights(self, offset: int) -> list[Occurrence]:
        """Occurrences in this document; the definition is the write."""
        from dockerls.services.results import Occurrence

        defined = {(d.start, d.end) for d in self.definition(offset) if self._mine(d)}
        spans = {(r.start, r.end) for r in self.references(offset, True) if self._mine(r)}
        return [Occurrence(s, e, (s, e) in defined) for s, e in sorted(spans)]

    def prepare_rename(self, offset: int) -> tuple[int, int, str] | None:
        for r in self.references(offset, True):
            if self._mine(r) and r.start <= offset <= r.end:
                return r.start, r.end, self.text[r.start : r.end]
        return None

    def rename(self, offset: int, new_name: str) -> list[Edit]:
        """Edits renaming a service, volume, network... everywhere in this file; ValueError when the
        name is used in other files too, or is not a valid name."""
        from dockerls.finding import Edit

        if self.prepare_rename(offset) is None:
            return []
        if not new_name or any(ch.isspace() or ch in _NOT_IN_NAMES for ch in new_name):
            raise ValueError(f"'{new_name}' is not a valid name")
        found = self.references(offset, True)
        if not all(self._mine(r) for r in found):
            raise ValueError("the name is also used in other files: rename it there too")
        return [Edit(s, e, new_name) for s, e in sorted({(r.start, r.end) for r in found})]

    def links(self) -> list[Link]:
        from dockerls.services.compose_links import document_links

        return document_links(self.full_project, self.path)


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
