"""A kind of file (Dockerfile, Compose file, devcontainer.json...) as one object: how it is
recognised, how one version of it is analysed, and the editor services that analysis answers.

The language server and ``dockerls check`` only talk to these two classes, so they never branch on
the kind, and a new kind of file is one new package under ``dockerls/kinds/`` added to the registry
(:mod:`dockerls.kinds`).  Every service answers with the offset-based results of
:mod:`dockerls.services.results`; an analysis answers nothing for the services its kind lacks.

Subclasses import their parsers and services inside their methods: the registry is imported when
the language server starts, and start-up is kept cheap.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Hashable

from dockerls.lint.workspace_fs import PLAIN_FS, WorkspaceFS

if TYPE_CHECKING:
    from dockerls.config import Config
    from dockerls.finding import Edit, Finding
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
    from dockerls.services.workspace import Workspace
    from dockerls.text import LineIndex


class Analysis:
    """One version of one document, analysed once; every editor service answers from it.

    The defaults answer nothing: a kind overrides the services it has."""

    # The line index of the text the analysis works on, when it has one (the document then uses it
    # rather than indexing the text a second time).
    lines: LineIndex | None = None

    def lint(self, config: Config, key: Hashable) -> list[Finding]:
        """Findings under ``config``; ``key`` names the configuration (for incremental lints)."""
        return []

    def fix_all(self, config: Config) -> str | None:
        """The text with every safe fix applied (and checked again), or None when it is unchanged
        or the kind has no such action."""
        return None

    def ignore_edits(self, offset: int, code: str) -> list[tuple[str, Edit]]:
        """``(title, edit)`` pairs that silence rule ``code`` for what is at ``offset``."""
        return []

    def hover(self, offset: int) -> Hover | None:
        return None

    def complete(self, offset: int, snippets: bool = True, trigger: str | None = None) -> list[Completion]:
        """Completions at ``offset``.  ``trigger`` is the character whose typing asked for them (None
        when asked explicitly or while typing a word); trigger characters are the server's, shared by
        every kind, so a kind returns nothing for one it does not handle."""
        return []

    def signature_help(self, offset: int) -> SignatureHelp | None:
        return None

    def symbols(self) -> list[Symbol]:
        return []

    def workspace_symbols(self) -> list[Symbol]:
        """What a workspace-wide symbol search finds in this file (stages, services...), flat."""
        return []

    def folding(self) -> list[Fold]:
        return []

    def selection_ranges(self, offset: int) -> list[tuple[int, int]] | None:
        """The spans around ``offset``, innermost first; None when the kind has no selection ranges."""
        return None

    def definition(self, offset: int) -> list[Location]:
        return []

    def references(self, offset: int, include_declaration: bool = True,
                   workspace: Workspace | None = None) -> list[Location]:
        """Where what is at ``offset`` is named; with a ``workspace``, in the other files of the
        workspace that refer to it too."""
        return []

    def highlights(self, offset: int) -> list[Occurrence]:
        return []

    def prepare_rename(self, offset: int, workspace: Workspace | None = None) -> tuple[int, int, str] | None:
        """The span and text of the name at ``offset`` that :meth:`rename` can rename, or None."""
        return None

    def rename(self, offset: int, new_name: str) -> list[Edit]:
        """Edits in this document; ValueError (with the reason) when the name cannot be used."""
        return []

    def rename_files(self, offset: int, new_name: str, workspace: Workspace | None = None) -> dict[str | None, list[Edit]]:
        """The edits of a rename by file (None: this document), in every file of the ``workspace``
        that names what is renamed; ValueError as :meth:`rename`."""
        edits = self.rename(offset, new_name)
        return {None: edits} if edits else {}

    def format(self, indent: str, first_line: int = 0, last_line: int | None = None) -> list[Edit] | None:
        """Edits formatting the lines ``first_line..last_line``; None when the kind has no formatter."""
        return None

    def on_type_format(self, offset: int, ch: str, indent: str) -> list[Edit]:
        """Edits after ``ch`` was typed (the cursor at ``offset``, just after it)."""
        return []

    def links(self) -> list[Link]:
        return []

    def semantic_tokens(self, start: int = 0, end: int | None = None) -> list[Token]:
        return []

    def inlay_hints(self, start: int = 0, end: int | None = None) -> list[InlayHint]:
        """Values that come from elsewhere, shown between ``start`` and ``end``."""
        return []


class FileKind:
    """A kind of file.  ``name`` is what ``dockerls check`` reports and configuration uses."""

    name: str = ""
    # languageIds that make a document this kind whatever its file name.
    language_ids: frozenset[str] = frozenset()
    # Generic languageIds (yaml, json): the document is this kind only when its name says so.
    generic_language_ids: frozenset[str] = frozenset()

    def matches_name(self, path: str | os.PathLike[str]) -> bool:
        """Whether the file name says this kind (:func:`dockerls.discover.kind_of` knows the names)."""
        from dockerls.discover import kind_of

        return kind_of(path) == self.name

    def matches_content(self, text: str) -> bool:
        """Whether a document whose name says nothing (``app.yaml`` opened as ``yaml``) is of this
        kind by its content; only the start of ``text`` is looked at."""
        return False

    def analyse(self, text: str, path: str | None, previous: Analysis | None = None,
                fs: WorkspaceFS = PLAIN_FS) -> Analysis:
        """The analysis of ``text``; ``previous`` is the analysis of an earlier version of the same
        document, which a kind may build on.  ``fs``: how the analysis looks at the files around the
        document (the language server's has the workspace folder as its root: nothing outside it is
        read, as ``dockerls check`` reads nothing outside the checked folder)."""
        raise NotImplementedError

    def lint_text(self, data: bytes | str, config: Config, path: str | None,
                  fs: WorkspaceFS = PLAIN_FS) -> tuple[str, LineIndex, list[Finding]]:
        """Decode, parse and lint a file's content: its text, line index and findings."""
        raise NotImplementedError

    def external_findings(self, text: str, config: Config, path: str | None) -> list[Finding]:
        """Findings of external tools (ShellCheck...), run once on the final text of a check."""
        return []

    def __repr__(self) -> str:
        return f"<file kind {self.name}>"
