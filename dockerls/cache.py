"""The result cache of ``dockerls check``: a file that has not changed is not checked again.

Where: ``$XDG_CACHE_HOME/dockerls/<project>-<hash of the project root>`` (``~/.cache`` without
XDG_CACHE_HOME; the project root is the Git top level of the working folder, else the working
folder): outside the source tree, because a folder there would be inside the Docker build context
(``COPY . .`` would carry it into images and every check would bust the layer cache).
``--cache-dir`` / ``$DOCKERLS_CACHE_DIR`` put it elsewhere (a project-local cache only when asked
for); ``--no-cache`` neither reads nor writes it.  A cache root dockerls makes holds a ``.gitignore``
(``*``), a ``CACHEDIR.TAG`` (so neither git nor backup tools pick it up) and the marker
``DOCKERLS-CACHE-ROOT``.

What dockerls deletes: only the stale state folders (below) of a root holding its marker, only
real folders named as it names states, never through a symlink.  A root it did not make (a shared
folder given as ``--cache-dir``) is never cleaned; a cache folder inside the project that a symlink
leads out of (a committed ``.dockerls-cache -> ..``) is not used at all, and no folder below the
root may be a symlink.

A state folder also holds the persistent ShellCheck cache (``shellcheck/``, see
:mod:`dockerls.lint.shellcheck_cache` and :meth:`Cache.side_folder`): on and off with this cache,
removed with its state.

What a result depends on, and so what is checked before one is reused:

* the file's bytes (a SHA-256 digest);
* where it is (the absolute path, and the path as shown, which findings and messages carry);
* the configuration in force (every field of :class:`~dockerls.config.Config`), and ShellCheck's
  binary when ShellCheck runs;
* dockerls itself: its version, the Python version and every file of the package that checking
  runs (size and modification time), so a changed rule invalidates everything; each such state
  has its own subfolder (``<version>-<fingerprint>``), and those of other states unused for a week
  are removed;
* what the checks looked at around the file: several rules look around the checked file (is there
  a ``.dockerignore`` next to the Dockerfile, what does it exclude, is there a ``package.json`` in
  the build context, the ``.env``, included and ``extends`` files of a Compose file).  They ask
  through the ``fs`` of their context (:mod:`dockerls.lint.workspace_fs`), which here records each
  path with what mattered about it -- its kind (missing, file, folder), a folder's listing or a
  file's content -- and each environment variable looked up (Compose and devcontainer.json
  interpolation).  The state of each (the kind; a folder's or file's modification time and a
  file's size; a hash of a variable's value, never the value) is stored and compared before reuse.

An entry is a JSON file named after the hash of the file's location and configuration, so an
edited file replaces its entry rather than adding one.  Entries are written to a temporary file
and renamed into place (atomic: concurrent ``dockerls`` processes, as pre-commit starts them, never
see half an entry); an entry that cannot be read, parsed or rebuilt is treated as missing.  A cache
folder that cannot be written disables the cache for the run, with one warning.
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import json
import os
import re
import shutil
import stat as stat_module
import sys
import tempfile
import time
from functools import lru_cache
from typing import Any

from dockerls import __version__
from dockerls.check import FileResult
from dockerls.finding import Edit, Finding, Fix, Related, Severity
from dockerls.lint.workspace_fs import CONTENT, RecordingFS, environment_state, signature, variable_state
from dockerls.text import LineIndex, Position, Range

CACHE_DIR_NAME = ".dockerls-cache"
ENV_VAR = "DOCKERLS_CACHE_DIR"
ENTRY_FORMAT = 2
STALE_STATE_SECONDS = 7 * 24 * 3600
ROOT_MARKER = "DOCKERLS-CACHE-ROOT"  # in a cache root dockerls made: only there does it remove anything
_MARKER_TEXT = "A result cache created by dockerls: it removes its stale <version>-<fingerprint> folders.\n"
_STATE_NAME = re.compile(r"^[0-9][0-9A-Za-z.+!_]*-[0-9a-f]{20}$")  # f"{__version__}-{code_fingerprint()}"
_WHOLE_ENVIRONMENT = "*"  # an env entry for a check that went through every variable

# The fields this module serialises.  Should a class gain a field, the cache turns itself off (and
# a test fails) rather than silently dropping it from cached results.
_KNOWN_FIELDS = {
    Finding: {"code", "name", "severity", "message", "range", "file", "fix", "related", "tags", "source_file"},
    Fix: {"title", "edits", "applicability"},
    Edit: {"start", "end", "new_text"},
    Related: {"range", "message"},
    FileResult: {"path", "kind", "text", "lines", "findings", "fixed"},
}

# Fields that are no part of a result, so not stored: Finding.moved_from links a finding to the one of
# the language server's last lint it was moved from.
_NOT_STORED: dict[type, set[str]] = {Finding: {"moved_from"}}


def serialisable() -> bool:
    return all({f.name for f in dataclasses.fields(cls)} - _NOT_STORED.get(cls, set()) == names
               for cls, names in _KNOWN_FIELDS.items())


# -- where the cache lives ---------------------------------------------------------------------------

def project_root(cwd: str | None = None) -> str:
    """The Git top level of the working folder (the nearest folder above holding ``.git``), else
    the working folder."""
    from dockerls.discover import git_top

    folder = os.path.abspath(cwd or os.getcwd())
    return git_top(folder) or folder


def user_cache_home() -> str:
    """``$XDG_CACHE_HOME``, else ``~/.cache`` (the XDG rule: a relative value is ignored)."""
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return xdg
    return os.path.join(os.path.expanduser("~"), ".cache")


def default_dir(cwd: str | None = None) -> str:
    """``$DOCKERLS_CACHE_DIR``, else ``<user cache>/dockerls/<project name>-<hash of its root>``:
    outside the source tree, so the cache never lands in a Docker build context."""
    explicit = os.environ.get(ENV_VAR)
    if explicit:
        return explicit
    root = os.path.realpath(project_root(cwd))
    digest = hashlib.sha256(root.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    name = re.sub(r"[^A-Za-z0-9._-]", "_", os.path.basename(root))[:40].lstrip(".") or "root"
    return os.path.join(user_cache_home(), "dockerls", f"{name}-{digest}")


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(os.path.join(folder, ""))


# -- what dockerls itself is -----------------------------------------------------------------------

# Parts of the package that checking does not run: the output formats, the command line, the
# language server, the engine and develop-in-container.  Leaving them out keeps the cache of a
# source checkout valid while they are being worked on.
_NOT_CHECKING = frozenset({"cli.py", "__main__.py", "report", "lsp", "services", "engine", "develop"})


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Identifies this dockerls: version, Python version, and the state of the package files that
    checking runs."""
    h = hashlib.sha256(f"{__version__}\0{sys.version_info[:2]}\0{ENTRY_FORMAT}".encode())
    package = os.path.dirname(os.path.abspath(__file__))
    stack = [package]
    rows = []
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError:
            continue
        for e in entries:
            if e.name == "__pycache__" or (folder == package and e.name in _NOT_CHECKING):
                continue
            try:
                if e.is_dir(follow_symlinks=False):
                    stack.append(e.path)
                else:
                    st = e.stat()
                    rows.append(f"{os.path.relpath(e.path, package)}\0{st.st_size}\0{st.st_mtime_ns}")
            except OSError:
                continue
    for extra in _data_files():
        try:
            st = os.stat(extra)
            rows.append(f"{extra}\0{st.st_size}\0{st.st_mtime_ns}")
        except OSError:
            rows.append(f"{extra}\0-")
    for row in sorted(rows):
        h.update(row.encode("utf-8", "surrogateescape"))
        h.update(b"\n")
    return h.hexdigest()[:20]


@lru_cache(maxsize=1)
def _data_files() -> tuple[str, ...]:
    """Data the rules read from outside the package folder: the schemas of a source tree (compose
    files, devcontainer.json; a devcontainer schema may also come from its environment variable)."""
    from dockerls.parse.compose.schema import schema_locations as compose_schemas
    from dockerls.parse.devcontainer.schema import schema_locations as devcontainer_schemas

    return tuple(str(p) for p in (*compose_schemas(), *devcontainer_schemas()))


# -- configuration -----------------------------------------------------------------------------------

def _canonical(value: Any) -> Any:
    if isinstance(value, Severity):
        return str(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (set, frozenset)):
        return sorted((_canonical(v) for v in value), key=repr)
    if isinstance(value, dict):
        return sorted(([str(k), _canonical(v)] for k, v in value.items()), key=repr)
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if dataclasses.is_dataclass(value):
        return {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return repr(value)


def config_fingerprint(config) -> str:
    fields = {f.name: _canonical(getattr(config, f.name)) for f in dataclasses.fields(config) if f.name != "source"}
    if getattr(config, "shellcheck", False):
        fields["$shellcheck"] = _shellcheck_identity()
    return json.dumps(fields, sort_keys=True, separators=(",", ":"))


def _shellcheck_identity() -> Any:
    from dockerls.lint.shellcheck import find_shellcheck

    found = find_shellcheck()
    if found is None:
        return None
    return [str(found), signature(str(found), CONTENT)]


# -- what a check looked at -------------------------------------------------------------------------

def dependencies(fs: RecordingFS) -> dict:
    """What a check asked ``fs`` (:mod:`dockerls.lint.workspace_fs`), with the state of each answer,
    ready to store: ``files`` [path, question, state], ``env`` [name, hash of its value]."""
    files = sorted([p, what, signature(p, what)] for p, what in fs.asked.items())
    env: list[list[Any]] = [[n, variable_state(os.environ, n)] for n in sorted(fs.variables)]
    if fs.whole_environment:
        env.append([_WHOLE_ENVIRONMENT, environment_state(os.environ)])
    return {"files": files, "env": env}


def _unchanged(deps: dict) -> bool:
    for path, what, state in deps["files"]:
        if signature(path, what) != state:
            return False
    for name, state in deps["env"]:
        now = environment_state(os.environ) if name == _WHOLE_ENVIRONMENT else variable_state(os.environ, name)
        if now != state:
            return False
    return True


# -- serialising results ---------------------------------------------------------------------------
# A finding is a list (JSON lists parse faster than objects):
# [code, name, severity, message, range, file, fix, related, tags, source_file]
# with range [start line, start column, end line, end column, start offset, end offset] (code
# points), fix [title, applicability, [[start, end, new text]...]] and related [[range, message]...].

_SEVERITIES = {int(s): s for s in Severity}


def _range_out(r: Range) -> list[int]:
    return [r.start.line, r.start.character, r.end.line, r.end.character, r.start_offset, r.end_offset]


def finding_out(f: Finding) -> list:
    fix = None
    if f.fix is not None:
        fix = [f.fix.title, f.fix.applicability, [[e.start, e.end, e.new_text] for e in f.fix.edits]]
    related = [[_range_out(r.range), r.message] for r in f.related] if f.related else None
    return [f.code, f.name, int(f.severity), f.message, _range_out(f.range), f.file, fix, related,
            list(f.tags) if f.tags else None, f.source_file]


class _Reader:
    """Builds findings back; equal positions share one (immutable) object."""

    def __init__(self) -> None:
        self.positions: dict[tuple[int, int], Position] = {}

    def position(self, line: int, character: int) -> Position:
        key = (line, character)
        p = self.positions.get(key)
        if p is None:
            p = self.positions[key] = Position(line, character)
        return p

    def range(self, v: list[int]) -> Range:
        sl, sc, el, ec, so, eo = v
        return Range(self.position(sl, sc), self.position(el, ec), so, eo)

    def finding(self, v: list) -> Finding:
        code, name, severity, message, rng, file, fix, related, tags, source_file = v
        if fix is not None:
            title, applicability, edits = fix
            fix = Fix(title, [Edit(s, e, t) for s, e, t in edits], applicability)
        return Finding(code, name, _SEVERITIES[severity], message, self.range(rng), file, fix,
                       [Related(self.range(r), m) for r, m in related] if related else [],
                       tuple(tags) if tags else (), source_file)


def finding_in(v: list) -> Finding:
    return _Reader().finding(v)


class _LazyLines(LineIndex):
    """A line index that finds the line starts when first asked (the text format never asks)."""

    __slots__ = ()

    def __init__(self, text: str):  # (LineIndex.__init__ deferred to the first use)
        self.text = text
        self._ascii = None

    def __getattr__(self, name: str):
        if name == "line_starts":
            LineIndex.__init__(self, self.text)
            return self.line_starts
        raise AttributeError(name)


# -- the cache -----------------------------------------------------------------------------------------

class Cache:
    """``lookup`` and ``store`` results; never raises for a cache problem.

    ``project``: the checked project's root (default: :func:`project_root`); a cache folder inside
    it that a symlink leads out of it (a committed ``.dockerls-cache -> ..``) is not used."""

    def __init__(self, root: str, warn=None, project: str | None = None):
        self.root = os.path.abspath(root)
        self.state_dir = os.path.join(self.root, f"{__version__}-{code_fingerprint()}")
        self.enabled = serialisable()
        self._warn = warn or (lambda message: sys.stderr.write(f"dockerls: {message}\n"))
        self._made: set[str] = set()
        self._reader = _Reader()
        self.hits = self.misses = 0
        tree = project_root() if project is None else os.path.abspath(project)
        if _inside(self.root, tree) and not _inside(os.path.realpath(self.root), os.path.realpath(tree)):
            self.enabled = False
            self._warn(f"cache disabled: {self.root} is a symlink that leads out of {tree}")

    # keys and paths

    @staticmethod
    def digest(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()

    def key(self, path: str, shown: str, kind: str, config_fp: str) -> str:
        ident = json.dumps([ENTRY_FORMAT, os.path.abspath(path), shown, kind, config_fp], separators=(",", ":"))
        return hashlib.sha256(ident.encode("utf-8", "surrogateescape")).hexdigest()

    def _entry_path(self, key: str) -> str:
        return os.path.join(self.state_dir, key[:2], key[2:] + ".json")

    # reading

    def lookup(self, key: str, digest: str, data: bytes, shown: str, kind: str) -> FileResult | None:
        if not self.enabled:
            return None
        try:
            with open(self._entry_path(key), "rb") as fh:
                entry = json.loads(fh.read())
            if entry.get("format") != ENTRY_FORMAT or entry.get("digest") != digest:
                raise LookupError
            if not _unchanged(entry["deps"]):
                raise LookupError
            text = entry["text"]
            if text is None:
                text = data.decode("utf-8")
            read = self._reader.finding
            findings = [read(v) for v in entry["findings"]]
        except Exception:  # noqa: BLE001 - missing, stale, corrupt or from another format: a miss
            self.misses += 1
            return None
        self.hits += 1
        return FileResult(shown, kind, text, _LazyLines(text), findings)

    # writing

    def store(self, key: str, digest: str, data: bytes, result: FileResult, deps: dict) -> None:
        if not self.enabled or result.fixed is not None:
            return
        try:
            try:
                same = data.decode("utf-8") == result.text
            except UnicodeDecodeError:
                same = False
            entry = {
                "format": ENTRY_FORMAT, "digest": digest, "file": result.path, "deps": deps,
                "text": None if same else result.text,
                "findings": [finding_out(f) for f in result.findings],
            }
            payload = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
            target = self._entry_path(key)
            folder = os.path.dirname(target)
            if folder not in self._made:
                self._prepare(folder)
                self._made.add(folder)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(payload)
                os.replace(tmp, target)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except (OSError, ValueError, TypeError) as err:
            self.enabled = False
            self._warn(f"cache disabled for this run: cannot write to {self.root}: {getattr(err, 'strerror', None) or err}")

    def side_folder(self, name: str) -> str | None:
        """A folder ``name`` of this state for another cache to keep its entries in (the persistent
        ShellCheck cache), made as entry folders are; None when the cache is off or cannot be written.
        It lives and goes with the state: a new dockerls starts it afresh, stale states remove it."""
        if not self.enabled:
            return None
        folder = os.path.join(self.state_dir, name)
        try:
            if folder not in self._made:
                self._prepare(folder)
                self._made.add(folder)
        except OSError as err:
            self.enabled = False
            self._warn(f"cache disabled for this run: cannot write to {self.root}: {err.strerror or err}")
            return None
        return folder

    def _prepare(self, folder: str) -> None:
        """Make the entry folder ``folder``; the root's marker when dockerls makes the root; and
        the removal of stale states when this state is new.  Folders below the root must be real
        folders: a symlink planted there raises (and so disables the cache)."""
        if not os.path.isdir(self.root):
            os.makedirs(os.path.dirname(self.root), exist_ok=True)
            try:
                os.mkdir(self.root)
            except FileExistsError:
                pass  # another dockerls was quicker: it writes the marker
            else:
                _write_if_missing(os.path.join(self.root, ".gitignore"), "# Created by dockerls.\n*\n")
                _write_if_missing(os.path.join(self.root, "CACHEDIR.TAG"),
                                  "Signature: 8a477f597d28d172789f06886806bc55\n"
                                  "# This file is a cache directory tag created by dockerls.\n"
                                  "# For information about cache directory tags, see https://bford.info/cachedir/\n")
                _write_if_missing(os.path.join(self.root, ROOT_MARKER), _MARKER_TEXT)
        new_state = _real_folder(self.state_dir)
        _real_folder(folder)
        if new_state:
            self._remove_stale_states()
        elif not self._made:  # in use: keep it from looking stale to another dockerls version
            try:
                os.utime(self.state_dir)
            except OSError:
                pass

    def _marked(self) -> bool:
        """The root is one dockerls made: its marker is a regular file with dockerls' text."""
        marker = os.path.join(self.root, ROOT_MARKER)
        try:
            if not stat_module.S_ISREG(os.lstat(marker).st_mode):
                return False
            with open(marker, encoding="utf-8") as fh:
                return fh.read(len(_MARKER_TEXT) + 1) == _MARKER_TEXT
        except (OSError, ValueError):
            return False

    def _remove_stale_states(self) -> None:
        """Remove the states of other dockerls versions unused for a week: only in a root dockerls
        made (its marker), only real folders (never through a symlink) named as dockerls names
        its states."""
        if not self._marked():
            return
        now = time.time()
        try:
            with os.scandir(self.root) as it:
                for e in it:
                    if (e.path != self.state_dir and _STATE_NAME.match(e.name) and e.is_dir(follow_symlinks=False)
                            and now - e.stat(follow_symlinks=False).st_mtime > STALE_STATE_SECONDS):
                        # (shutil.rmtree does not follow symlinks below it either)
                        shutil.rmtree(e.path, ignore_errors=True)
        except OSError:
            pass


def _real_folder(path: str) -> bool:
    """Make the folder ``path`` (its parent exists); True when it was made.  OSError when ``path``
    is anything but a real folder (a symlink included)."""
    try:
        os.mkdir(path)
        return True
    except FileExistsError:
        pass
    if not stat_module.S_ISDIR(os.lstat(path).st_mode):
        raise OSError(errno.ENOTDIR, "not a folder (or a symlink)", path)
    return False


def _write_if_missing(path: str, text: str) -> None:
    try:
        with open(path, "x", encoding="utf-8") as fh:
            fh.write(text)
    except FileExistsError:
        pass

