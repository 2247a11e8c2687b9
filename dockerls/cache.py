"""The result cache of ``dockerls check``: a file that has not changed is not checked again.

Where: ``.dockerls-cache/`` in the working directory (as ruff, mypy and pytest keep theirs: one per
project, next to the code, and CI can save it between runs), or ``--cache-dir`` /
``$DOCKERLS_CACHE_DIR``.  ``--no-cache`` neither reads nor writes it.  The folder holds a
``.gitignore`` (``*``) and a ``CACHEDIR.TAG``, so neither git nor backup tools pick it up.

What a result depends on, and so what is checked before one is reused:

* the file's bytes (a SHA-256 digest);
* where it is (the absolute path, and the path as shown, which findings and messages carry);
* the configuration in force (every field of :class:`~dockerls.config.Config`), and ShellCheck's
  binary when ShellCheck runs;
* dockerls itself: its version, the Python version and every file of the package that checking
  runs (size and modification time), so a changed rule invalidates everything; each such state
  has its own subfolder, and folders of other states unused for a week are removed;
* the files and folders the rules looked at while checking it: several rules look around the
  checked file (is there a ``.dockerignore`` next to the Dockerfile, what does it exclude, is there
  a ``package.json`` in the build context, the ``.env`` and included files of a Compose file).
  These are recorded while the file is checked -- every ``os.stat`` (``Path.exists``,
  ``os.path.isfile``...), every ``open`` and every folder listing -- and each one's state (missing,
  a folder, or a file's size and modification time) is stored and compared before reuse;
* for Compose (and devcontainer) files, the environment: the variables their text and the files
  they read refer to (``${NAME}``), stored as hashes of their values, never the values.

An entry is a JSON file named after the hash of the file's location and configuration, so an
edited file replaces its entry rather than adding one.  Entries are written to a temporary file
and renamed into place (atomic: concurrent ``dockerls`` processes, as pre-commit starts them, never
see half an entry); an entry that cannot be read, parsed or rebuilt is treated as missing.  A cache
folder that cannot be written disables the cache for the run, with one warning.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import shutil
import stat as stat_module
import sys
import tempfile
import time
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, Iterator

from dockerls import __version__
from dockerls.check import FileResult
from dockerls.finding import Edit, Finding, Fix, Related, Severity
from dockerls.text import LineIndex, Position, Range

CACHE_DIR_NAME = ".dockerls-cache"
ENV_VAR = "DOCKERLS_CACHE_DIR"
ENTRY_FORMAT = 1
STALE_STATE_SECONDS = 7 * 24 * 3600

# The fields this module serialises.  Should a class gain a field, the cache turns itself off (and
# a test fails) rather than silently dropping it from cached results.
_KNOWN_FIELDS = {
    Finding: {"code", "name", "severity", "message", "range", "file", "fix", "related", "tags", "source_file"},
    Fix: {"title", "edits", "applicability"},
    Edit: {"start", "end", "new_text"},
    Related: {"range", "message"},
    FileResult: {"path", "kind", "text", "lines", "findings", "fixed"},
}


def serialisable() -> bool:
    return all({f.name for f in dataclasses.fields(cls)} == names for cls, names in _KNOWN_FIELDS.items())


def default_dir() -> str:
    return os.environ.get(ENV_VAR) or os.path.join(os.getcwd(), CACHE_DIR_NAME)


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
    """Data the rules read from outside the package folder (the Compose schema of a source tree)."""
    try:
        from dockerls.parse.compose.schema import schema_locations

        return tuple(str(p) for p in schema_locations())
    except Exception:  # noqa: BLE001 - no Compose support here: nothing to add
        return ()


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
    return [str(found), _signature(str(found))]


# -- recording what a check looks at ---------------------------------------------------------------

_real_stat = os.stat
_recorder: _Recorder | None = None
_hook_installed = False


class _Recorder:
    def __init__(self, exclude: tuple[str, ...], own: frozenset[str]):
        self.exclude = exclude  # folders, each with a trailing separator
        self.own = own  # the checked file (its digest covers it) and dockerls' data files
        self.paths: set[str] = set()
        self.listed: set[str] = set()
        self.read: set[str] = set()

    def _normal(self, path: Any) -> str | None:
        try:
            p = os.fspath(path)
        except TypeError:
            return None  # a file descriptor
        if isinstance(p, bytes):
            p = os.fsdecode(p)
        p = os.path.abspath(p)
        if p in self.own or p.startswith(self.exclude):
            return None
        return p

    def stat(self, path: Any) -> None:
        p = self._normal(path)
        if p is not None:
            self.paths.add(p)

    def opened(self, path: Any) -> None:
        p = self._normal(path)
        if p is not None:
            self.paths.add(p)
            self.read.add(p)

    def listing(self, path: Any) -> None:
        p = self._normal("." if path is None else path)
        if p is not None:
            self.listed.add(p)


def _recording_stat(path, *args, **kwargs):
    rec = _recorder
    if rec is not None and not kwargs.get("dir_fd"):
        rec.stat(path)
    return _real_stat(path, *args, **kwargs)


def _audit(event: str, args: tuple) -> None:
    rec = _recorder
    if rec is None:
        return
    if event == "open":
        if args and args[0] is not None and not isinstance(args[0], int):
            rec.opened(args[0])
    elif event in ("os.listdir", "os.scandir"):
        if not args or not isinstance(args[0], int):
            rec.listing(args[0] if args else None)


@lru_cache(maxsize=1)
def _excluded_prefixes() -> tuple[str, ...]:
    import site
    import sysconfig

    # dockerls' own files and Python's libraries (imports while checking), not the interpreter's
    # prefix: a project may live below it (/usr/src/app).
    roots = {os.path.dirname(os.path.abspath(__file__))}
    for name in ("stdlib", "platstdlib", "purelib", "platlib"):
        try:
            roots.add(sysconfig.get_path(name))
        except KeyError:
            pass
    try:
        roots.update(site.getsitepackages())
    except AttributeError:
        pass
    return tuple(os.path.join(os.path.abspath(r), "") for r in roots if r)


@contextmanager
def recording(checked: str | None) -> Iterator[_Recorder]:
    """Record the files and folders looked at inside the block (not re-entrant)."""
    global _recorder, _hook_installed
    if not _hook_installed:
        sys.addaudithook(_audit)
        _hook_installed = True
    own = {os.path.abspath(p) for p in _data_files()}
    if checked and checked != "-":
        own.add(os.path.abspath(checked))
    rec = _Recorder(_excluded_prefixes(), frozenset(own))
    _recorder = rec
    os.stat = _recording_stat
    try:
        yield rec
    finally:
        os.stat = _real_stat
        _recorder = None


def _signature(path: str, listed: bool = False) -> Any:
    """None: missing; "d": a folder ([d, mtime] when its listing matters); [size, mtime]: a file."""
    try:
        st = _real_stat(path)
    except (OSError, ValueError):
        return None
    if stat_module.S_ISDIR(st.st_mode):
        return ["d", st.st_mtime_ns] if listed else "d"
    return [st.st_size, st.st_mtime_ns]


_ENV_REF = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def _env_hash(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None:
        return None
    return hashlib.sha256(f"{name}={value}".encode("utf-8", "surrogateescape")).hexdigest()[:16]


def dependencies(rec: _Recorder, kind: str, data: bytes) -> dict:
    """What a check recorded, with the state of each, ready to store."""
    files = sorted([p, _signature(p, p in rec.listed)] for p in rec.paths | rec.listed)
    env: list[list[Any]] = []
    if kind != "dockerfile":  # Compose interpolates ${NAME} from the environment
        names = set(_ENV_REF.findall(data.decode("utf-8", "replace")))
        for p in rec.read:
            try:
                if os.path.getsize(p) <= 1 << 20:
                    with open(p, encoding="utf-8", errors="replace") as fh:
                        names.update(_ENV_REF.findall(fh.read()))
            except OSError:
                pass
        env = [[n, _env_hash(n)] for n in sorted(names)]
    return {"files": files, "env": env}


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

    def __init__(self, text: str):  # noqa: super().__init__ deferred to the first use
        self.text = text
        self._ascii = None

    def __getattr__(self, name: str):
        if name == "line_starts":
            LineIndex.__init__(self, self.text)
            return self.line_starts
        raise AttributeError(name)


# -- the cache -----------------------------------------------------------------------------------------

class Cache:
    """``lookup`` and ``store`` results; never raises for a cache problem."""

    def __init__(self, root: str, warn=None):
        self.root = os.path.abspath(root)
        self.state_dir = os.path.join(self.root, f"{__version__}-{code_fingerprint()}")
        self.enabled = serialisable()
        self._warn = warn or (lambda message: sys.stderr.write(f"dockerls: {message}\n"))
        self._made: set[str] = set()
        self._reader = _Reader()
        self.hits = self.misses = 0

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
            deps = entry["deps"]
            for path, sig in deps["files"]:
                if _signature(path, isinstance(sig, list) and sig[:1] == ["d"]) != sig:
                    raise LookupError
            for name, value in deps["env"]:
                if _env_hash(name) != value:
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

    def _prepare(self, folder: str) -> None:
        new_root = not os.path.isdir(self.root)
        new_state = not os.path.isdir(self.state_dir)
        os.makedirs(folder, exist_ok=True)
        if new_root:
            _write_if_missing(os.path.join(self.root, ".gitignore"), "# Created by dockerls.\n*\n")
            _write_if_missing(os.path.join(self.root, "CACHEDIR.TAG"),
                              "Signature: 8a477f597d28d172789f06886806bc55\n"
                              "# This file is a cache directory tag created by dockerls.\n"
                              "# For information about cache directory tags, see https://bford.info/cachedir/\n")
        if new_state:
            self._remove_stale_states()
        elif not self._made:  # in use: keep it from looking stale to another dockerls version
            try:
                os.utime(self.state_dir)
            except OSError:
                pass

    def _remove_stale_states(self) -> None:
        now = time.time()
        try:
            with os.scandir(self.root) as it:
                for e in it:
                    if (e.is_dir(follow_symlinks=False) and e.path != self.state_dir
                            and now - e.stat(follow_symlinks=False).st_mtime > STALE_STATE_SECONDS):
                        shutil.rmtree(e.path, ignore_errors=True)
        except OSError:
            pass


def _write_if_missing(path: str, text: str) -> None:
    try:
        with open(path, "x", encoding="utf-8") as fh:
            fh.write(text)
    except FileExistsError:
        pass

