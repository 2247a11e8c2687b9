"""How checks look at the files around the checked one: through one small object, so what a check
looked at is known.

Rules, the Compose project loader and the devcontainer analysis never call ``open``, ``os.path`` or
``pathlib`` on the workspace themselves; they ask the ``fs`` of their context.  The plain
:class:`WorkspaceFS` just answers (the language server, tests).  :class:`RecordingFS` also notes
each question -- which path, and whether its content, its listing or only its kind mattered -- and
each environment variable looked up; the result cache (:mod:`dockerls.cache`) stores the state of
exactly those and compares it before reusing a result.  Stage-scoped Dockerfile rules get
:data:`NO_FS`, which refuses every question: their results are reused while the stage's text is
unchanged, so they must not depend on files (see :mod:`dockerls.lint.incremental`).
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat as stat_module
from typing import Any, Iterator, Mapping, Union

PathLike = Union[str, "os.PathLike[str]"]

MAX_READ = 16 << 20  # larger files are not read (a rule reads manifests and ignore files)

# What was asked of a path, weakest first: its kind (missing, file, folder), its listing, its content.
KIND, LISTING, CONTENT = "kind", "list", "read"
_STRENGTH = {KIND: 0, LISTING: 1, CONTENT: 2}


class OutsideRoot(PermissionError):
    """A read of a path whose real path lies outside the checked folder (``WorkspaceFS.root``)."""

    def __init__(self, path: str):
        super().__init__(errno.EACCES, "outside the checked folder; not read", path)


class WorkspaceFS:
    """Read-only questions about the workspace; ``environ`` is the environment Compose and
    devcontainer.json interpolate from (default: the process environment).

    ``root``: the folder being checked.  With a root, the content and listings of paths whose real
    path (symbolic links resolved) lies outside it are refused (:class:`OutsideRoot`, an
    ``OSError``; ``list_dir`` answers []): a repository must not make dockerls read, and quote,
    files of the machine it runs on through a symbolic link, ``include: /etc/passwd`` or
    ``env_file: ../../x``.  Whether a path exists and its kind may still be asked anywhere (a bind
    mount of ``/var/run/docker.sock`` is normal); that tells nothing of any file's content."""

    def __init__(self, environ: Mapping[str, str] | None = None, root: PathLike | None = None):
        self.environ: Mapping[str, str] = os.environ if environ is None else environ
        self.root: str | None = os.path.realpath(root) if root is not None else None

    def inside(self, path: PathLike) -> bool:
        """Whether ``path`` (symbolic links resolved) lies in the root; always true without one."""
        return self.root is None or is_within(os.path.realpath(os.fspath(path)), self.root)

    def _refuse_outside(self, path: str) -> None:
        if not self.inside(path):
            raise OutsideRoot(path)

    def _note(self, path: str, what: str) -> None:
        """Hook for :class:`RecordingFS`."""

    def stat(self, path: PathLike) -> os.stat_result | None:
        """The path's status (symlinks followed), None when it does not exist."""
        p = os.fspath(path)
        self._note(p, KIND)
        try:
            return os.stat(p)
        except (OSError, ValueError):
            return None

    def exists(self, path: PathLike) -> bool:
        return self.stat(path) is not None

    def is_file(self, path: PathLike) -> bool:
        st = self.stat(path)
        return st is not None and stat_module.S_ISREG(st.st_mode)

    def is_dir(self, path: PathLike) -> bool:
        st = self.stat(path)
        return st is not None and stat_module.S_ISDIR(st.st_mode)

    def real_path(self, path: PathLike) -> str:
        """The path with symlinks resolved (as ``os.path.realpath``)."""
        p = os.fspath(path)
        self._note(p, KIND)
        return os.path.realpath(p)

    def list_dir(self, path: PathLike) -> list[str]:
        """The names in a folder, sorted; [] when it is not a readable folder."""
        p = os.fspath(path)
        self._note(p, LISTING)
        try:
            self._refuse_outside(p)
            return sorted(os.listdir(p))
        except (OSError, ValueError):
            return []

    def read_bytes(self, path: PathLike, limit: int = MAX_READ) -> bytes:
        """A regular file's bytes; OSError when it is missing, not a file, unreadable or larger than
        ``limit``."""
        p = os.fspath(path)
        self._note(p, CONTENT)
        self._refuse_outside(p)
        with open(p, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat_module.S_ISREG(st.st_mode):
                raise OSError(errno.EISDIR if stat_module.S_ISDIR(st.st_mode) else errno.EINVAL,
                              "not a regular file", p)
            if st.st_size > limit:
                raise OSError(errno.EFBIG, "file too large to read", p)
            return fh.read(limit + 1)

    def read_text(self, path: PathLike, limit: int = MAX_READ) -> str:
        """A file's text (UTF-8, undecodable bytes replaced); OSError as :meth:`read_bytes`."""
        return self.read_bytes(path, limit).decode("utf-8", "replace")


class RecordingFS(WorkspaceFS):
    """A :class:`WorkspaceFS` that notes every path asked about and every variable looked up.

    ``own``: paths not to note (the checked file: its digest covers it)."""

    def __init__(self, environ: Mapping[str, str] | None = None, own: tuple[str, ...] = (),
                 root: PathLike | None = None):
        super().__init__(environ, root)
        self.asked: dict[str, str] = {}  # absolute path -> the strongest question asked of it
        self.variables: set[str] = set()
        self.whole_environment = False  # something iterated the environment
        self._own = frozenset(os.path.abspath(p) for p in own)
        self.environ = _RecordingEnviron(self.environ, self)

    def _note(self, path: str, what: str) -> None:
        p = os.path.abspath(path)
        if p in self._own:
            return
        before = self.asked.get(p)
        if before is None or _STRENGTH[what] > _STRENGTH[before]:
            self.asked[p] = what


class _RecordingEnviron(Mapping[str, str]):
    def __init__(self, base: Mapping[str, str], fs: RecordingFS):
        self._base, self._fs = base, fs

    def __getitem__(self, name: str) -> str:
        self._fs.variables.add(name)
        return self._base[name]

    def __contains__(self, name: object) -> bool:
        if isinstance(name, str):
            self._fs.variables.add(name)
        return name in self._base

    def __iter__(self) -> Iterator[str]:
        self._fs.whole_environment = True
        return iter(self._base)

    def __len__(self) -> int:
        self._fs.whole_environment = True
        return len(self._base)

    def __bool__(self) -> bool:  # ``environ or {}``: not a look at its variables
        return bool(self._base)


class _NoFS(WorkspaceFS):
    """The ``fs`` of stage-scoped rules: every question is a programming error."""

    def __init__(self) -> None:
        super().__init__({})

    def _note(self, path: str, what: str) -> None:
        raise StageRuleReadsFiles(f"a scope = \"stage\" rule asked about {path}: make it scope = \"file\"")

    def __getattribute__(self, name: str) -> Any:
        if name == "environ":
            raise StageRuleReadsFiles("a scope = \"stage\" rule read the environment: make it scope = \"file\"")
        return super().__getattribute__(name)


def is_within(real: str, folder: str) -> bool:
    """Whether the real path ``real`` is ``folder`` or below it (both absolute, symlinks resolved)."""
    return real == folder or real.startswith(folder.rstrip(os.sep) + os.sep)


class StageRuleReadsFiles(RuntimeError):
    """A stage-scoped rule asked about files (its findings would go stale when they change)."""


NO_FS: WorkspaceFS = _NoFS()
PLAIN_FS = WorkspaceFS()


# -- the state of what was asked, for the cache ------------------------------------------------------

def signature(path: str, what: str) -> Any:
    """What a question about ``path`` depends on, comparable with ==: its kind (None missing, "d" a
    folder, "f" a file, "o" other) for ``KIND``; a folder's modification time too for ``LISTING``;
    a file's size and modification time for ``CONTENT``."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    if stat_module.S_ISDIR(st.st_mode):
        return ["d", st.st_mtime_ns] if what == LISTING else "d"
    if not stat_module.S_ISREG(st.st_mode):
        return "o"
    return [st.st_size, st.st_mtime_ns] if what == CONTENT else "f"


def variable_state(environ: Mapping[str, str], name: str) -> str | None:
    """A hash of a variable's value (never the value), None when unset."""
    value = environ.get(name)
    if value is None:
        return None
    return hashlib.sha256(f"{name}={value}".encode("utf-8", "surrogateescape")).hexdigest()[:16]


def environment_state(environ: Mapping[str, str]) -> str:
    """A hash of the whole environment (when a check iterated it)."""
    h = hashlib.sha256()
    for name in sorted(environ):
        h.update(f"{name}={environ[name]}\0".encode("utf-8", "surrogateescape"))
    return h.hexdigest()[:16]
