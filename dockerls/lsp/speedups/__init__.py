"""The language server's performance patches, fenced: everything that leans on private parts of
pygls, lsprotocol, attrs or cattrs (or steers the garbage collector) lives in this package, and
nowhere else in dockerls.

Each patch has a name, a module, and a contract test in ``tests/lsp/speedups/`` for every private
API it uses, so that upgrading one of those libraries fails a test rather than a user's editor
(pyproject.toml also bounds their versions from above).  The figures are what each saves on the
845-line benchmark file (``bench/bench_speedups.py``, a non-editable install):

``compile_cache`` (:mod:`.compile_cache`)
    attrs and cattrs generate and ``compile`` Python source for lsprotocol's ~550 classes and for
    each message type's (un)structure functions; the code objects are cached on disk and reused.
    Private: ``attr._make`` and ``cattrs.gen`` call ``compile`` as a module global.
``lazy_types`` (:mod:`.lazy_types`)
    lsprotocol's converter resolves the forward references of all ~550 classes up front; this one
    resolves a class when cattrs first needs it.  Private: ``lsprotocol._hooks._resolved_forward_references``.
``startup_gc`` (:mod:`.startup_gc`)
    Start-up allocates ~100,000 long-lived objects: collect only the youngest generation while
    building the server, then ``gc.freeze`` what start-up made (standard library only).
``pipe_stdio`` (:mod:`.pipe_stdio`)
    Reads stdin with asyncio instead of pygls' thread pool.  Private: ``JsonRPCServer._stop_event``.
``framed_publish`` (:mod:`.framed_publish`)
    ``publishDiagnostics`` framed by hand from diagnostic JSON text serialized once per finding
    (a per-document side table).  Private: ``JsonRPCProtocol._include_headers``.

The switch: ``DOCKERLS_PLAIN_PYGLS=1`` runs plain pygls with none of them;
``DOCKERLS_PLAIN_PYGLS=lazy_types,pipe_stdio`` turns off only the patches named.  It is read once,
when this package is imported.
"""

from __future__ import annotations

import os

ENV = "DOCKERLS_PLAIN_PYGLS"
NAMES = ("compile_cache", "lazy_types", "startup_gc", "pipe_stdio", "framed_publish")
# Measured and dropped: ``gc_pause`` (the collector paused while a document was analysed, the
# survivors frozen, a full collection when idle): with start-up's objects frozen (startup_gc) it no
# longer changed edit -> diagnostics beyond noise (p50 -0.2 ms, p99 -4.2 ms without it).


def _turned_off(value: str) -> frozenset[str]:
    value = value.strip()
    if not value or value == "0":
        return frozenset()
    if value.lower() in ("1", "true", "yes", "all"):
        return frozenset(NAMES)
    return frozenset(name.strip() for name in value.split(",") if name.strip())


_OFF = _turned_off(os.environ.get(ENV, ""))


def enabled(name: str) -> bool:
    """Whether the patch ``name`` is on (see the module: ``DOCKERLS_PLAIN_PYGLS`` turns them off)."""
    if name not in NAMES:
        raise ValueError(f"no speed-up named {name!r}")
    return name not in _OFF


def plain() -> bool:
    """Whether every patch is off: plain pygls."""
    return _OFF >= set(NAMES)
