"""``hostRequirements``: what the configuration asks of the machine, compared with what the engine
has.  Never a failure: a machine below the requirements gets a warning, and develop goes on (the
Dev Containers CLI warns too).

The spec's forms: ``cpus`` a number, ``memory`` and ``storage`` a number of bytes or one with a
unit (``"4gb"``, ``"512mb"``: tb, gb, mb, kb, multiples of 1024 as the CLI reads them), ``gpu``
``true`` (required), ``"optional"``, or an object (``cores``, ``memory``: a GPU is required).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS = {"": 1, "kb": 1024, "mb": 1024 ** 2, "gb": 1024 ** 3, "tb": 1024 ** 4}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]b)?\s*$", re.IGNORECASE)


@dataclass(slots=True)
class HostResources:
    """What the engine's machine has (None: not known)."""

    cpus: int | None = None
    memory: int | None = None  # bytes
    storage: int | None = None  # bytes free where images and containers live
    gpu: bool | None = None  # a GPU runtime (nvidia) is known to the engine


def parse_size(value) -> int | None:
    """Bytes of ``"4gb"``, ``"512mb"``, ``1024`` ...; None when it is not a size."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if value >= 0 else None
    if not isinstance(value, str):
        return None
    match = _SIZE.match(value)
    if match is None:
        return None
    return int(float(match.group(1)) * _UNITS[(match.group(2) or "").lower()])


def format_size(size: int) -> str:
    for unit in ("tb", "gb", "mb", "kb"):
        if size >= _UNITS[unit]:
            return f"{size / _UNITS[unit]:.1f}{unit}".replace(".0" + unit, unit)
    return f"{size} bytes"


def requirement_problems(requirements, host: HostResources) -> list[str]:
    """The requirements this machine does not meet, in words (empty: none, or not known)."""
    if not isinstance(requirements, dict):
        return ["hostRequirements must be an object: not checked"] if requirements is not None else []
    out: list[str] = []
    cpus = requirements.get("cpus")
    if cpus is not None:
        if isinstance(cpus, bool) or not isinstance(cpus, (int, float)):
            out.append(f"hostRequirements.cpus {cpus!r} is not a number: not checked")
        elif host.cpus is not None and host.cpus < cpus:
            out.append(f"hostRequirements.cpus asks for {cpus} CPUs; the engine has {host.cpus}")
    for key, have, what in (("memory", host.memory, "memory"), ("storage", host.storage, "free storage")):
        written = requirements.get(key)
        if written is None:
            continue
        wanted = parse_size(written)
        if wanted is None:
            out.append(f"hostRequirements.{key} {written!r} is not a size (\"4gb\", \"512mb\"): not checked")
        elif have is not None and have < wanted:
            out.append(f"hostRequirements.{key} asks for {format_size(wanted)}; the engine has {format_size(have)} "
                       f"of {what}")
    gpu = requirements.get("gpu")
    required = gpu is True or isinstance(gpu, dict)
    if required and host.gpu is False:
        out.append("hostRequirements.gpu asks for a GPU; the engine has no GPU runtime")
    return out
