"""Open documents: their text, what kind of file each is, and the analysis every feature shares.

A document is analysed at most once per version (lazily, by the first feature that asks) and
linted at most once per version and configuration; hover, completion, symbols... all ask the same
cached analysis (:class:`dockerls.kinds.base.Analysis`), whatever the kind.  A new version's
analysis is given the last one's, which a Dockerfile's builds on (:mod:`dockerls.kinds.dockerfile`).
Incremental changes are applied here, with positions converted from the client's encoding by
:class:`dockerls.text.LineIndex`, so pygls keeps no second copy of the text.

Each document looks at the files around it (included Compose files, ``env_file``, a Dockerfile's
``.dockerignore``...) through a :class:`~dockerls.lint.workspace_fs.WorkspaceFS` whose root is the
workspace folder holding it (the deepest one), or its own folder when it is in none: as ``dockerls
check`` reads nothing outside the checked folder, an editor opening a hostile repository reads
nothing outside it either (a reference out of it gets the same finding: "outside the checked
folder: not read").
"""

from __future__ import annotations

import logging
import os
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

from dockerls import kinds
from dockerls.kinds import Analysis, FileKind
from dockerls.lint.workspace_fs import PLAIN_FS, WorkspaceFS, is_within
from dockerls.text import Encoding, LineIndex, Position

if TYPE_CHECKING:
    from dockerls.services.workspace import Workspace

log = logging.getLogger(__name__)

# Bigger documents are kept but not analysed: a Dockerfile of megabytes is a file opened by mistake.
MAX_ANALYSED_CHARS = 1_000_000

# The view of a document with no path (untitled): rooted in a folder that does not exist.
_NOWHERE = WorkspaceFS(root=os.path.join(os.sep, "nonexistent", "dockerls-untitled"))


def uri_to_path(uri: str) -> str | None:
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if os.name == "nt" and path.startswith("/") and len(path) > 2 and path[2] == ":":
        path = path[1:]
    return path


def classify(uri: str, language_id: str | None, text: str | None = None) -> FileKind | None:
    """The kind of the document at ``uri`` (None: not ours), from the languageId, the file name
    and (a generic ``yaml`` document) its content."""
    name = urlparse(uri).path.rsplit("/", 1)[-1]
    path = uri_to_path(uri) or unquote(urlparse(uri).path) or name
    return kinds.classify(path if name else None, language_id, text)


def workspace_folders(server: Any) -> list[str]:
    """The paths of the client's workspace folders (``initialize``'s ``workspaceFolders``, kept up
    to date by pygls), else of its ``rootUri``; [] before ``initialize``."""
    try:
        workspace = server.workspace
    except Exception:  # not initialised yet
        return []
    folders = [uri_to_path(f.uri) for f in list(getattr(workspace, "folders", {}).values())]
    paths = [p for p in folders if p]
    root = getattr(workspace, "root_path", None)
    return paths or ([root] if root else [])


@dataclass
class Document:
    uri: str
    language_id: str
    version: int
    text: str
    kind: FileKind | None
    path: str | None = None
    fs: WorkspaceFS = PLAIN_FS  # rooted at the document's workspace folder (see the module docstring)
    _lines: LineIndex | None = field(default=None, repr=False)
    _analysis: Analysis | None = field(default=None, repr=False)
    _findings: dict[Any, list] = field(default_factory=dict, repr=False)
    # The last version's analysis, until this version is analysed: the next one builds on it.
    _previous: Analysis | None = field(default=None, repr=False)

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines

    @property
    def too_big(self) -> bool:
        return len(self.text) > MAX_ANALYSED_CHARS

    @property
    def analysis(self) -> Analysis | None:
        """This version analysed, or None when the document is not ours or too big to analyse."""
        if self._analysis is None and self.kind is not None and not self.too_big:
            self._analysis = self.kind.analyse(self.text, self.path, self._previous, self.fs)
            self._previous = None
            if self._analysis.lines is not None:
                self._lines = self._analysis.lines  # the same index: one per version
        return self._analysis

    def findings(self, config, key: Any) -> list:
        """Findings under ``config``; ``key`` identifies the configuration for the cache."""
        cached = self._findings.get(key)
        if cached is not None:
            return cached
        try:
            analysis = self.analysis
            found = analysis.lint(config, key) if analysis is not None else []
        except Exception as err:  # a bug must show as one diagnostic, not as no diagnostics at all
            from dockerls.rules.run.dls000_internal_error import InternalError

            log.exception("linting %s failed", self.uri)
            found = [InternalError.of(self.path, err)]
        self._findings = {key: found}
        return found

    def offset_at(self, line: int, character: int, encoding: Encoding) -> int:
        lines = self.lines
        return lines.offset(lines.from_client(Position(line, character), encoding))

    def apply_change(self, change: Any, encoding: Encoding) -> None:
        """Apply one ``TextDocumentContentChangeEvent`` (full text, or a range and its new text)."""
        rng = getattr(change, "range", None)
        if rng is None:
            self._set_text(change.text)
            return
        start = self._edit_offset(rng.start, encoding)
        end = self._edit_offset(rng.end, encoding)
        if end < start:
            start, end = end, start
        self._set_text(self.text[:start] + change.text + self.text[end:])

    def _edit_offset(self, position: Any, encoding: Encoding) -> int:
        """The offset of an edit's end.  Inside a UTF-16 surrogate pair (an editor working on UTF-16
        code units can put it there), the character is split into its two surrogates first, as in
        the editor's text: the text then stays the editor's, unit for unit."""
        offset = self.offset_at(position.line, position.character, encoding)
        if encoding != "utf-16" or offset == 0 or ord(self.text[offset - 1]) <= 0xFFFF:
            return offset
        lines = self.lines
        if lines.to_client(lines.position(offset), encoding).character == position.character:
            return offset
        code = ord(self.text[offset - 1]) - 0x10000
        pair = chr(0xD800 + (code >> 10)) + chr(0xDC00 + (code & 0x3FF))
        self._set_text(self.text[:offset - 1] + pair + self.text[offset:])
        return offset

    def forget_analysis(self) -> None:
        """Drop this version's analysis (memory); the findings stay, and it is made again if asked."""
        self._analysis = self._previous = None
        self._lines = None

    def _set_text(self, text: str) -> None:
        if self._analysis is not None:
            self._previous = self._analysis
        self.text = text
        self._lines = self._analysis = None
        self._findings = {}


# Analyses kept: those of the documents used last (linted, or asked about).  An editor restoring a
# session opens thousands; keeping all their trees cost ~190 KB each (5,000 files: 943 MB).
KEEP_ANALYSED = 32


class Documents:
    """The open documents by URI."""

    def __init__(self) -> None:
        self._docs: dict[str, Document] = {}
        self._roots: list[str] = []  # the workspace folders (absolute paths), deepest first
        self._fs: dict[str, WorkspaceFS] = {}  # one per root
        self._used: OrderedDict[str, Document] = OrderedDict()  # the last used, newest last
        self._workspace: Workspace | None = None

    @property
    def workspace(self) -> Workspace:
        """The workspace folders as the cross-file services read them: open documents' texts, the
        other files through each folder's view (made on first use; the same while the folders are)."""
        if self._workspace is None:
            from dockerls.services.workspace import Workspace

            self._workspace = Workspace(self._roots, self._open_texts, self.fs_for)
        return self._workspace

    def _open_texts(self) -> dict[str, str]:
        return {os.path.abspath(doc.path): doc.text for doc in self._docs.values() if doc.path}

    def set_roots(self, folders: list[str]) -> None:
        """The workspace folders (paths); documents opened from now on are confined to theirs."""
        roots = sorted({os.path.abspath(f) for f in folders if f}, key=len, reverse=True)
        if roots != self._roots:
            self._workspace = None
        self._roots = roots

    def fs_for(self, path: str | None) -> WorkspaceFS:
        """The file system view of a document at ``path``: rooted at the deepest workspace folder
        holding it, else at its own folder (a document with no path reads nothing around it).
        Where the document is (not where a link to it leads) says which folder holds it."""
        if path is None:
            return _NOWHERE
        where = os.path.abspath(path)
        root = next((r for r in self._roots if is_within(where, r)), os.path.dirname(where))
        fs = self._fs.get(root)
        if fs is None:
            fs = self._fs[root] = WorkspaceFS(root=root)
        return fs

    def used(self, doc: Document) -> None:
        """``doc`` was just used: keep its analysis, and drop that of the least recently used."""
        self._used[doc.uri] = doc
        self._used.move_to_end(doc.uri)
        while len(self._used) > KEEP_ANALYSED:
            self._used.popitem(last=False)[1].forget_analysis()

    def open(self, uri: str, language_id: str, version: int, text: str) -> Document:
        path = uri_to_path(uri)
        doc = Document(uri, language_id, version, text, classify(uri, language_id, text), path, self.fs_for(path))
        self._docs[uri] = doc
        if doc.too_big:
            log.warning("%s has %d characters: not analysed (the limit is %d)", uri, len(text), MAX_ANALYSED_CHARS)
        return doc

    def get(self, uri: str, quiet: bool = False) -> Document | None:
        doc = self._docs.get(uri)
        if doc is None:
            if not quiet:
                log.warning("request for a document that is not open: %s", uri)
        elif not quiet:
            self.used(doc)
        return doc

    def close(self, uri: str) -> Document | None:
        self._used.pop(uri, None)
        return self._docs.pop(uri, None)

    def __iter__(self):
        return iter(list(self._docs.values()))
