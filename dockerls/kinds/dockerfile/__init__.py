"""Dockerfiles (and Containerfiles): the model of :mod:`dockerls.parse.dockerfile`, the rules run by
:mod:`dockerls.lint.runner`, and every editor service of :mod:`dockerls.services`.

A new version of a document is worked out from the last one where they agree: the parser takes
over the instructions before the first changed line, and the stage rules run only on the stages
that changed (:mod:`dockerls.lint.incremental`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Hashable

from dockerls.kinds.base import Analysis, FileKind

from dockerls.lint.workspace_fs import PLAIN_FS, WorkspaceFS

if TYPE_CHECKING:
    from dockerls.config import Config
    from dockerls.finding import Edit, Finding
    from dockerls.lint.incremental import StageMemo
    from dockerls.parse.dockerfile.model import Dockerfile
    from dockerls.services.dockerfile_index import DockerfileIndex
    from dockerls.services.workspace import Workspace
    from dockerls.services.results import (
        Completion,
        Fold,
        Hover,
        InlayHint,
        Link,
        Location,
        Occurrence,
        SignatureHelp,
        Symbol,
        Token,
    )
    from dockerls.text import LineIndex


class DockerfileAnalysis(Analysis):
    """The parsed Dockerfile, its name index (built on first use) and the incremental lint's memo."""

    def __init__(self, text: str, model: Dockerfile, path: str | None, memo: StageMemo | None = None,
                 fs: WorkspaceFS = PLAIN_FS):
        self.text = text  # the document's (the model's drops a byte order mark)
        self.model = model
        self.path = path
        self.fs = fs  # how file-scoped rules look around the document (within the workspace folder)
        self.lines = model.lines
        self._index: DockerfileIndex | None = None
        # Kept from version to version (dockerls.lint.incremental); made by the first lint.
        self.memo = memo

    def index(self) -> DockerfileIndex:
        """The name index (variables, stages, heredocs)."""
        if self._index is None:
            from dockerls.services.dockerfile_index import build_index

            self._index = build_index(self.model)
        return self._index

    def lint(self, config: Config, key: Hashable) -> list[Finding]:
        from dockerls.lint.incremental import StageMemo
        from dockerls.lint.runner import lint_dockerfile

        if self.memo is None:
            self.memo = StageMemo()
        return lint_dockerfile(self.model, config, self.path, memo=self.memo, memo_key=key, fs=self.fs)

    def fix_all(self, config: Config) -> str | None:
        from dockerls.lint.fixes import fix_text

        path, fs = self.path, self.fs
        result = fix_text(self.text, lambda text: KIND.lint_text(text, config, path, fs)[2])
        return result.text if result.changed else None

    def ignore_edits(self, offset: int, code: str) -> list[tuple[str, Edit]]:
        from dockerls.services import pragmas

        df = self.model
        if df.is_binary:
            return []
        out = []
        ins = df.instruction_at_line(df.lines.position(offset).line)
        if ins is not None:
            edit = pragmas.ignore_for_instruction(df, ins, code)
            if edit is not None:
                out.append((f"Ignore {code} for this instruction", edit))
        edit = pragmas.ignore_for_file(df, code)
        if edit is not None:
            out.append((f"Ignore {code} for this file", edit))
        return out

    def hover(self, offset: int) -> Hover | None:
        from dockerls.services.hover import hover

        return hover(self.model, offset, self.index)

    def complete(self, offset: int, snippets: bool = True, trigger: str | None = None) -> list[Completion]:
        from dockerls.services.completion import complete

        if trigger == " ":
            return []  # a blank between words: opening the list at each one would be noise
        return complete(self.model, offset, snippets)

    def signature_help(self, offset: int) -> SignatureHelp | None:
        from dockerls.services.signature_help import signature_help

        return signature_help(self.model, offset)

    def symbols(self) -> list[Symbol]:
        from dockerls.services.symbols import document_symbols

        return document_symbols(self.model)

    def workspace_symbols(self) -> list[Symbol]:
        """The named stages (what ``FROM`` and ``COPY --from`` of other files, and ``build.target``,
        can name)."""
        from dataclasses import replace

        named = {s.name for s in self.model.stages if s.name}
        return [replace(s, children=[]) for s in self.symbols() if s.kind == "class" and s.name in named]

    def folding(self) -> list[Fold]:
        from dockerls.services.symbols import folding_ranges

        return folding_ranges(self.model)

    def selection_ranges(self, offset: int) -> list[tuple[int, int]]:
        from dockerls.services.symbols import selection_ranges

        return selection_ranges(self.model, offset)

    def definition(self, offset: int) -> list[Location]:
        from dockerls.services import navigation
        from dockerls.services.results import Location

        return [Location(None, s, e) for s, e in navigation.definition(self.index(), offset)]

    def references(self, offset: int, include_declaration: bool = True,
                   workspace: Workspace | None = None) -> list[Location]:
        from dockerls.services import navigation
        from dockerls.services.results import Location

        found = [Location(None, s, e) for s, e in navigation.references(self.index(), offset, include_declaration)]
        stage = navigation.stage_at(self.index(), offset) if workspace is not None and self.path else None
        name = self.model.stages[stage].name if stage is not None else None
        if workspace is not None and self.path and name:
            from dockerls.kinds.compose.linked import build_targets

            found.extend(Location(p, s, e) for p, s, e in build_targets(workspace, self.path, name))
        return found

    def highlights(self, offset: int) -> list[Occurrence]:
        from dockerls.services import navigation

        return navigation.highlights(self.index(), offset)

    def prepare_rename(self, offset: int, workspace: Workspace | None = None) -> tuple[int, int, str] | None:
        from dockerls.services import navigation

        return navigation.prepare_rename(self.index(), offset)

    def rename(self, offset: int, new_name: str) -> list[Edit]:
        from dockerls.services import navigation

        return navigation.rename(self.index(), offset, new_name)

    def rename_files(self, offset: int, new_name: str, workspace: Workspace | None = None) -> dict[str | None, list[Edit]]:
        """A stage renamed is renamed in the ``build.target`` of the Compose files that build it too."""
        from dockerls.finding import Edit

        out: dict[str | None, list[Edit]] = {}
        edits = self.rename(offset, new_name)
        if edits:
            out[None] = edits
        if edits and workspace is not None:
            for loc in self.references(offset, False, workspace):
                if loc.path is not None:
                    out.setdefault(loc.path, []).append(Edit(loc.start, loc.end, new_name))
        return out

    def format(self, indent: str, first_line: int = 0, last_line: int | None = None) -> list[Edit]:
        from dockerls.services.formatting import format_dockerfile

        return format_dockerfile(self.model, indent, first_line, last_line)

    def on_type_format(self, offset: int, ch: str, indent: str) -> list[Edit]:
        from dockerls.services.on_type_formatting import on_type_edits

        return on_type_edits(self.model, offset, ch, indent)

    def links(self) -> list[Link]:
        from dockerls.services.links import document_links

        return document_links(self.model)

    def semantic_tokens(self, start: int = 0, end: int | None = None) -> list[Token]:
        from dockerls.services.semantic_tokens import tokens

        return tokens(self.model, self.index(), start, end)



    def inlay_hints(self, start: int = 0, end: int | None = None) -> list[InlayHint]:
        from dockerls.services.inlay_hints import dockerfile_hints

        return dockerfile_hints(self.model, start, end)


class DockerfileKind(FileKind):
    name = "dockerfile"
    language_ids = frozenset({"dockerfile", "dockerfile-ts", "containerfile"})

    def analyse(self, text: str, path: str | None, previous: Analysis | None = None,
                fs: WorkspaceFS = PLAIN_FS) -> DockerfileAnalysis:
        from dockerls.parse.dockerfile import parse_dockerfile

        before = previous if isinstance(previous, DockerfileAnalysis) else None
        model = parse_dockerfile(text, path, previous=before.model if before is not None else None)
        return DockerfileAnalysis(text, model, path, before.memo if before is not None else None, fs)

    def lint_text(self, data: bytes | str, config: Config, path: str | None,
                  fs: WorkspaceFS = PLAIN_FS) -> tuple[str, LineIndex, list[Finding]]:
        from dockerls.lint.runner import lint_dockerfile
        from dockerls.parse.dockerfile import parse_dockerfile

        df = parse_dockerfile(data, path)
        return df.text, df.lines, lint_dockerfile(df, config, path, fs=fs)

    def external_findings(self, text: str, config: Config, path: str | None) -> list[Finding]:
        if not config.shellcheck:
            return []
        from dockerls.lint.shellcheck import shellcheck_findings
        from dockerls.parse.dockerfile import parse_dockerfile

        return shellcheck_findings(parse_dockerfile(text, path), path, config)


KIND = DockerfileKind()
