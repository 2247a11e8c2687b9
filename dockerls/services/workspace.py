"""The workspace as the cross-file services see it: the files of the editor's workspace folders that
dockerls knows (Dockerfiles, Compose files, devcontainer.json), their text, and what is derived from
it, read lazily and kept while the file is unchanged.

An open document's text is the editor's (unsaved edits included); any other file is read through a
:class:`~dockerls.lint.workspace_fs.WorkspaceFS` rooted at its workspace folder: nothing outside the
folders is read, not even through a symbolic link, and linked folders are not walked into.  Walking
is bounded (folders ``dockerls check`` skips, such as ``.git`` and ``node_modules``, are left out;
at most :data:`MAX_ENTRIES` entries and :data:`MAX_DEPTH` levels), and a folder is listed again only
when its modification time changed; what is derived from a file (its symbols, its Compose names) is
kept while its size and modification time (or the open document's text) stay the same, and the
text itself is not kept.
"""

from __future__ import annotations

import os
import stat as stat_module
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from dockerls.lint.workspace_fs import WorkspaceFS, is_within

if TYPE_CHECKING:
    from dockerls.kinds.base import FileKind
    from dockerls.services.results import Symbol

MAX_ENTRIES = 20_000  # directory entries looked at per walk
MAX_DEPTH = 12
MAX_FILE_BYTES = 1 << 20  # bigger files are not read for cross-file services
MAX_SYMBOLS = 500  # answered to one workspace/symbol request


class Workspace:
    """``roots``: the workspace folders; ``open_texts``: the open documents' texts by path (called
    each time, so it is always current); ``fs_for``: the view of the files around a path (by default
    one :class:`WorkspaceFS` per root)."""

    def __init__(self, roots: Iterable[str], open_texts: Callable[[], Mapping[str, str]] = dict,
                 fs_for: Callable[[str], WorkspaceFS] | None = None):
        self.roots = sorted({os.path.abspath(r) for r in roots if r}, key=len, reverse=True)
        self._open_texts = open_texts
        self._fs_for = fs_for
        self._own_fs: dict[str, WorkspaceFS] = {}
        self._dirs: dict[str, tuple[int, list[str], list[str]]] = {}  # folder -> (mtime, folders, files)
        self._derived: dict[tuple[str, str], tuple[Any, Any]] = {}  # (path, what) -> (state, value)

    # -- where files are -------------------------------------------------------------------------

    def root_of(self, path: str) -> str | None:
        """The deepest workspace folder holding ``path``, None when it is in none."""
        where = os.path.abspath(path)
        return next((r for r in self.roots if is_within(where, r)), None)

    def fs(self, path: str) -> WorkspaceFS:
        """The view of the files around ``path`` (rooted at its workspace folder)."""
        if self._fs_for is not None:
            return self._fs_for(path)
        root = self.root_of(path) or os.path.dirname(os.path.abspath(path))
        fs = self._own_fs.get(root)
        if fs is None:
            fs = self._own_fs[root] = WorkspaceFS(root=root)
        return fs

    def files(self) -> list[str]:
        """The paths of the workspace's files of a known kind (by name), open documents included."""
        from dockerls.discover import kind_of

        found: dict[str, None] = {}
        budget = [MAX_ENTRIES]
        for root in self.roots:
            for path in self._walk(root, root, 0, budget):
                if kind_of(path) is not None:
                    found[path] = None
        for path in self._open_texts():
            if self.root_of(path) is not None:
                found[os.path.abspath(path)] = None
        return list(found)

    def _walk(self, folder: str, root: str, depth: int, budget: list[int]) -> Iterable[str]:
        listed = self._list(folder, budget)
        if listed is None:
            return
        folders, files = listed
        for name in files:
            yield os.path.join(folder, name)
        if depth < MAX_DEPTH:
            for name in folders:
                yield from self._walk(os.path.join(folder, name), root, depth + 1, budget)

    def _list(self, folder: str, budget: list[int]) -> tuple[list[str], list[str]] | None:
        from dockerls.discover import SKIPPED_DIRS

        try:
            mtime = os.stat(folder).st_mtime_ns
        except OSError:
            return None
        cached = self._dirs.get(folder)
        if cached is not None and cached[0] == mtime:
            budget[0] -= len(cached[1]) + len(cached[2])
            return (cached[1], cached[2]) if budget[0] >= 0 else None
        folders, files = [], []
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    budget[0] -= 1
                    if budget[0] < 0:
                        break
                    try:
                        if entry.is_symlink():
                            if entry.is_file() and self.fs(entry.path).inside(entry.path):
                                files.append(entry.name)  # a link to a file within the folder
                            continue  # never walk through a link (it may lead out of the tree)
                        if entry.is_dir(follow_symlinks=False):
                            if entry.name not in SKIPPED_DIRS:
                                folders.append(entry.name)
                        elif entry.is_file(follow_symlinks=False):
                            files.append(entry.name)
                    except OSError:
                        continue
        except OSError:
            return None
        folders.sort()
        files.sort()
        self._dirs[folder] = (mtime, folders, files)
        return folders, files

    # -- what files say --------------------------------------------------------------------------

    def _state(self, path: str) -> tuple[Any, str | None]:
        """How to tell the text changed (the open text itself, or the file's size and time) and the
        open text, if the file is open."""
        opened = self._open_texts().get(path)
        if opened is not None:
            return ("open", opened), opened
        try:
            st = os.stat(path)
        except (OSError, ValueError):
            return None, None
        if not stat_module.S_ISREG(st.st_mode):
            return None, None
        return ("disk", st.st_size, st.st_mtime_ns), None

    def text(self, path: str) -> str | None:
        """The editor's text of an open document, else the file's (None: missing, unreadable, too
        big, or outside the workspace folders).  Not kept: what is derived from it is."""
        path = os.path.abspath(path)
        state, opened = self._state(path)
        if opened is not None:
            return opened
        if state is None or self.root_of(path) is None:
            return None
        try:
            return self.fs(path).read_text(path, limit=MAX_FILE_BYTES)
        except OSError:
            return None

    def derived(self, path: str, what: str, make: Callable[[str], Any]) -> Any:
        """``make(text)`` of the file at ``path``, kept while the text is unchanged; None when the
        file cannot be read."""
        path = os.path.abspath(path)
        state, _ = self._state(path)
        key = (path, what)
        cached = self._derived.get(key)
        if cached is not None and cached[0] == state and state is not None:
            return cached[1]
        text = self.text(path)
        value = make(text) if text is not None else None
        self._derived[key] = (state, value)
        return value

    def kind_of(self, path: str) -> FileKind | None:
        from dockerls import kinds

        return kinds.for_path(path)

    def symbols_of(self, path: str) -> list[Symbol]:
        """What a workspace symbol search finds in the file at ``path`` (kept while its text is
        unchanged; the analysis itself is not kept: a workspace has thousands of files)."""
        kind = self.kind_of(path)
        if kind is None:
            return []
        found = self.derived(path, "symbols", lambda text: kind.analyse(text, path, None, self.fs(path)).workspace_symbols())
        return found or []

    # -- services --------------------------------------------------------------------------------

    def symbols(self, query: str) -> list[tuple[str, Symbol]]:
        """The symbols of every file whose name contains ``query``'s characters in order (as
        editors filter), at most :data:`MAX_SYMBOLS`; with the path they are in."""
        out: list[tuple[str, Symbol]] = []
        for path in self.files():
            for symbol in self.symbols_of(path):
                if matches(query, symbol.name):
                    out.append((path, symbol))
                    if len(out) >= MAX_SYMBOLS:
                        return out
        return out


def matches(query: str, name: str) -> bool:
    """Whether ``name`` holds the characters of ``query`` in order, ignoring case (``bld`` finds
    ``build``), as editors match workspace symbols."""
    at = 0
    lower = name.lower()
    for ch in query.lower():
        at = lower.find(ch, at) + 1
        if at == 0:
            return False
    return True
