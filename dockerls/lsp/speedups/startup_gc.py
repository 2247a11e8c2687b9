"""``startup_gc``: fewer garbage collections while the server starts, and none of start-up's
objects walked again afterwards (standard library only: :mod:`gc`).

* :func:`collect_less` until :func:`collect_as_usual`.  Start-up allocates ~100,000 objects that
  live as long as the server, so the collector's older generations, and the full collections they
  trigger, kept walking them all.  Only the youngest generation is collected, less often; that
  still frees what attrs throws away (each slotted class replaces the class it was made from),
  which a collector turned off would leave behind for good (+8 MB).

* :func:`freeze` moves what start-up created (pygls, lsprotocol's classes, the converter's hooks)
  out of the collector's sight, so collections during a lint do not walk it.  It runs once the
  server is built and again after ``initialized`` (with a collection first: that costs ~18 ms,
  too much before ``initialize`` is answered).
"""

from __future__ import annotations

import gc

from dockerls.lsp.speedups import enabled

_START_THRESHOLDS = (5000, 1000, 1000)  # gc.set_threshold: no older generation is reached
_state: dict = {}


def collect_less() -> None:
    """Garbage collection for start-up (once; until :func:`collect_as_usual`)."""
    if enabled("startup_gc") and "thresholds" not in _state:
        _state["thresholds"] = gc.get_threshold()
        gc.set_threshold(*_START_THRESHOLDS)


def collect_as_usual() -> None:
    thresholds = _state.pop("thresholds", None)
    if thresholds is not None:
        gc.set_threshold(*thresholds)


def freeze(collect: bool = False) -> None:
    """Out of the collector's sight: everything alive now (``collect``: after a full collection)."""
    if not enabled("startup_gc"):
        return
    if collect:
        gc.collect()
    gc.freeze()
