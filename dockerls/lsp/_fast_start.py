"""Start-up.  Most of the server's start-up is ``import lsprotocol.types`` (about 550 attrs classes)
and the converter that turns LSP messages into those classes and back; this module trims both, and
the garbage collections start-up sets off.

* A compile cache.  attrs (for the classes) and cattrs (for each message type's structure and
  unstructure functions, the first time that type is seen) generate Python source and compile it.
  The code objects only depend on that source and the Python, so they are kept in a cache file
  (marshal, keyed by filename and source) and reused by the next start: ``compile`` in attrs' and
  cattrs' generating modules is looked up from this cache.  attrs gets the builtin back once
  lsprotocol is imported (:func:`finish_import`); cattrs keeps the cache for the life of the
  server, which writes what it learnt with :func:`save`.

* Forward references resolved when they are needed.  lsprotocol's converter first resolves the
  string annotations of every class (``attrs.resolve_types`` on all of them); :func:`converter`
  skips that pass and resolves a class just before cattrs first generates its functions.

* Fewer garbage collections (:func:`collect_less` until :func:`collect_as_usual`).  Start-up
  allocates ~100,000 objects that live as long as the server, so the collector's older
  generations, and the full collections they trigger, kept walking them all: ~40 ms.  Only the
  youngest generation is collected, less often; that still frees what attrs throws away (each
  slotted class replaces the class it was made from), which a collector turned off would leave
  behind for good (+8 MB).

The cache lives in ``$XDG_CACHE_HOME/dockerls`` (``~/.cache/dockerls``), one file per Python and
attrs/cattrs/lsprotocol install (the few most recently written are kept); if it cannot be read or
written, start-up is just slower.  ``DOCKERLS_NO_COMPILE_CACHE=1`` turns it off.
"""

from __future__ import annotations

import builtins
import gc
import marshal
import os
import sys
from pathlib import Path

_KEEP = 4  # cache files kept: one per install in use (several virtual environments, upgrades)
_START_THRESHOLDS = (5000, 1000, 1000)  # gc.set_threshold: no older generation is reached

_state: dict = {}


def _cache_file(modules) -> Path | None:
    """The cache for this Python and these library files (told apart by size and time:
    importlib.metadata would cost more than it saves)."""
    from importlib.util import find_spec

    try:
        spec = find_spec("lsprotocol.types")
        stamps = [os.stat(f) for f in (*(m.__file__ for m in modules), spec.origin)]
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


def collect_less() -> None:
    """Garbage collection for start-up (once; until :func:`collect_as_usual`)."""
    if "thresholds" not in _state:
        _state["thresholds"] = gc.get_threshold()
        gc.set_threshold(*_START_THRESHOLDS)


def collect_as_usual() -> None:
    thresholds = _state.pop("thresholds", None)
    if thresholds is not None:
        gc.set_threshold(*thresholds)


def install() -> None:
    """Serve attrs' and cattrs' ``compile`` calls from the cache (attrs' until :func:`finish_import`)."""
    if os.environ.get("DOCKERLS_NO_COMPILE_CACHE") or "lsprotocol.types" in sys.modules:
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

    attrs_make.compile = cattrs_gen.compile = cached_compile
    _state.update(attrs_make=attrs_make, new=new, path=path)


def finish_import() -> None:
    """Give attrs the builtin ``compile`` back (lsprotocol is imported)."""
    attrs_make = _state.pop("attrs_make", None)
    if attrs_make is not None:
        attrs_make.__dict__.pop("compile", None)


def save() -> None:
    """Write what the cache learnt since the last save (nothing to do, the usual case, is free)."""
    new, path = _state.get("new"), _state.get("path")
    if not new:
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


def converter():
    """pygls' converter, resolving each lsprotocol class's forward references (``"Position"``,
    ``Optional["Range"]``) when cattrs first needs the class, instead of all ~550 up front."""
    import attrs
    from lsprotocol import _hooks, types
    from pygls.protocol import default_converter

    _hooks._resolved_forward_references = True  # lsprotocol's flag: its eager pass is done
    conv = default_converter()
    resolved: set = set()

    def unresolved(cls) -> bool:
        return getattr(cls, "__module__", None) == types.__name__ and cls not in resolved and attrs.has(cls)

    def resolving(get_hook):
        def factory(cls):
            attrs.resolve_types(cls, types.ALL_TYPES_MAP, {})
            resolved.add(cls)
            return get_hook(cls, cache_result=False)  # now the next factory's: lsprotocol's own

        return factory

    conv.register_structure_hook_factory(unresolved, resolving(conv.get_structure_hook))
    conv.register_unstructure_hook_factory(unresolved, resolving(conv.get_unstructure_hook))
    return conv
