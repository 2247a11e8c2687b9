"""Start-up: most of the server's start-up is ``import lsprotocol.types`` (about 550 attrs classes),
and most of that is attrs compiling the source of each class's generated methods.  The compiled
code objects only depend on that source, so they are kept in a cache file (marshal, keyed by the
Python, attrs and lsprotocol files) and reused by the next start: ``compile`` in attrs' module
is looked up from this cache while lsprotocol is being imported, then attrs gets the builtin back.

The cache lives in ``$XDG_CACHE_HOME/dockerls`` (``~/.cache/dockerls``); if it cannot be read or
written, start-up is just slower.  ``DOCKERLS_NO_COMPILE_CACHE=1`` turns it off.
"""

from __future__ import annotations

import builtins
import marshal
import os
import sys
from pathlib import Path

_state: dict = {}


def _cache_file(attrs_make) -> Path | None:
    """The cache for this Python and these attrs and lsprotocol files (told apart by size and time:
    importlib.metadata would cost more than it saves)."""
    from importlib.util import find_spec

    try:
        spec = find_spec("lsprotocol.types")
        stamps = [os.stat(f) for f in (attrs_make.__file__, spec.origin)]
    except (ImportError, AttributeError, OSError, TypeError, ValueError):
        return None
    key = "-".join(f"{s.st_size:x}{s.st_mtime_ns:x}" for s in stamps)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dockerls" / f"attrs-code-{sys.implementation.cache_tag}-{key}.marshal"


def install() -> None:
    """Serve attrs' ``compile`` calls from the cache until :func:`finish`."""
    if os.environ.get("DOCKERLS_NO_COMPILE_CACHE") or "lsprotocol.types" in sys.modules:
        return
    try:
        import attr._make as make
    except ImportError:
        return
    path = _cache_file(make)
    if path is None:
        return
    try:
        cache = marshal.loads(path.read_bytes())
        if not isinstance(cache, dict):
            cache = {}
    except (OSError, ValueError, EOFError, TypeError):
        cache = {}
    new: dict = {}
    real = builtins.compile

    def cached_compile(source, filename, mode, *args, **kwargs):
        if args or kwargs or mode != "exec" or not isinstance(source, str):
            return real(source, filename, mode, *args, **kwargs)
        key = (filename, source)
        code = cache.get(key)
        if code is None:
            code = new[key] = real(source, filename, mode)
        return code

    make.compile = cached_compile
    _state.update(module=make, cache=cache, new=new, path=path)


def finish() -> None:
    """Give attrs the builtin ``compile`` back; write the cache if it learnt something."""
    make = _state.pop("module", None)
    if make is None:
        return
    make.__dict__.pop("compile", None)
    new, cache, path = _state.pop("new"), _state.pop("cache"), _state.pop("path")
    if not new:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps({**cache, **new}))
        os.replace(tmp, path)
        for stale in path.parent.glob("attrs-code-*.marshal"):  # other Python / library versions
            if stale != path:
                stale.unlink()
    except (OSError, ValueError):
        pass
