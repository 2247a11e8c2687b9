"""``compile_cache``: the code attrs and cattrs generate, compiled once and kept on disk.

Most of the server's start-up is ``import lsprotocol.types`` (about 550 attrs classes) and the
converter that turns LSP messages into those classes and back.  attrs (for the classes) and cattrs
(for each message type's structure and unstructure functions, the first time that type is seen)
generate Python source and compile it.  The code objects only depend on that source and the
Python, so they are kept in a cache file (marshal, keyed by filename and source) and reused by the
next start: ``compile`` in attrs' and cattrs' generating modules is looked up from this cache.
attrs gets the builtin back once lsprotocol is imported (:func:`finish_import`); cattrs keeps the
cache for the life of the server, which writes what it learnt with :func:`save`.

Private parts relied on (tests/lsp/speedups/test_contracts.py): ``attr._make`` and ``cattrs.gen``
call ``compile(source, filename, "exec")`` through their module globals.

The cache lives in ``$XDG_CACHE_HOME/dockerls`` (``~/.cache/dockerls``), one file per Python and
attrs/cattrs/lsprotocol install (the few most recently written are kept); if it cannot be read or
written, start-up is just slower.
"""

from __future__ import annotations

import builtins
import marshal
import os
import sys
from pathlib import Path

from dockerls.lsp.speedups import enabled

_KEEP = 4  # cache files kept: one per install in use (several virtual environments, upgrades)

_state: dict = {}


def _cache_file(modules) -> Path | None:
    """The cache for this Python and these library files (told apart by size and time:
    importlib.metadata would cost more than it saves)."""
    from importlib.util import find_spec

    try:
        spec = find_spec("lsprotocol.types")
        origin = spec.origin if spec is not None else None
        stamps = [os.stat(f) for f in (*(m.__file__ for m in modules), origin)]
    except (ImportError, AttributeError, OSError, TypeError, ValueError):
        return None
    key = "-".join(f"{s.st_size:x}{s.st_mtime_ns:x}" for s in stamps)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dockerls" / f"code-{sys.implementation.cache_tag}-{key}.marshal"


def _read(path: Path) -> dict:
    try:
        cache = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    return cache if isinstance(cache, dict) else {}


def install() -> None:
    """Serve attrs' and cattrs' ``compile`` calls from the cache (attrs' until :func:`finish_import`)."""
    if not enabled("compile_cache") or "lsprotocol.types" in sys.modules:
        return
    try:
        import attr._make as attrs_make
        import cattrs.gen as cattrs_gen
    except ImportError:
        return
    path = _cache_file((attrs_make, cattrs_gen))
    if path is None:
        return
    cache = _read(path)
    new: dict = {}
    real = builtins.compile

    def cached_compile(source, filename, mode, *args, **kwargs):
        if args or kwargs or mode != "exec" or not isinstance(source, str):
            return real(source, filename, mode, *args, **kwargs)
        key = (filename, source)
        code = cache.get(key)
        if code is None:
            code = new[key] = cache[key] = real(source, filename, mode)
        return code

    # Module globals shadow the builtin for the code of these two modules only.
    setattr(attrs_make, "compile", cached_compile)  # noqa: B010 (not an attribute mypy knows)
    setattr(cattrs_gen, "compile", cached_compile)  # noqa: B010
    _state.update(attrs_make=attrs_make, new=new, path=path)


def finish_import() -> None:
    """Give attrs the builtin ``compile`` back (lsprotocol is imported)."""
    attrs_make = _state.pop("attrs_make", None)
    if attrs_make is not None:
        attrs_make.__dict__.pop("compile", None)


def save() -> None:
    """Write what the cache learnt since the last save (nothing to do, the usual case, is free)."""
    new, path = _state.get("new"), _state.get("path")
    if not new or path is None:
        return
    learnt = dict(new)
    new.clear()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps({**_read(path), **learnt}))  # another server may have written too
        os.replace(tmp, path)
        files = sorted(path.parent.glob("*code-*.marshal"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in files[_KEEP:]:
            stale.unlink()
    except (OSError, ValueError):
        pass
