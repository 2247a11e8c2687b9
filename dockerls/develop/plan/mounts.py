"""Mounts written as docker writes them: ``--mount type=bind,source=...,target=...`` (devcontainer
``mounts``/``workspaceMount``), ``-v source:target[:ro]`` (runArgs and compose short syntax) and the
object forms."""

from __future__ import annotations

import os

from dockerls.develop.plan.model import Mount

_SOURCE_KEYS = ("source", "src")
_TARGET_KEYS = ("target", "destination", "dst")
_IGNORED_KEYS = ("consistency",)  # a macOS-only hint docker ignores elsewhere


class MountError(ValueError):
    pass


def parse_mount_string(text: str, base: str) -> Mount:
    """A ``--mount`` value: comma-separated ``key=value`` (``readonly`` alone means true)."""
    fields: dict[str, str] = {}
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        key, eq, value = part.partition("=")
        fields[key.strip().lower()] = value.strip() if eq else "true"
    return mount_from_fields(fields, base, text)


def mount_from_fields(fields: dict, base: str, shown: str | None = None) -> Mount:
    """A mount from ``type``/``source``/``target``/``readonly`` fields (string or object form)."""
    shown = shown or str(fields)
    kind = str(fields.get("type") or "volume").lower()
    source = next((str(fields[k]) for k in _SOURCE_KEYS if fields.get(k) not in (None, "")), "")
    target = next((str(fields[k]) for k in _TARGET_KEYS if fields.get(k) not in (None, "")), "")
    read_only = any(_truthy(fields.get(k)) for k in ("readonly", "ro", "read_only"))
    unknown = sorted(set(fields) - {"type", "readonly", "ro", "read_only", *_SOURCE_KEYS, *_TARGET_KEYS,
                                   *_IGNORED_KEYS})
    if unknown:
        raise MountError(f"mount {shown!r}: {', '.join(unknown)} not supported yet")
    if kind not in ("bind", "volume", "tmpfs"):
        raise MountError(f"mount {shown!r}: type {kind!r} not supported (bind, volume or tmpfs)")
    if not target:
        raise MountError(f"mount {shown!r} has no target")
    if kind == "bind":
        if not source:
            raise MountError(f"bind mount {shown!r} has no source")
        source = host_path(source, base)
    return Mount(kind, source, target, read_only)


def parse_volume_string(text: str, base: str) -> Mount:
    """``-v`` / compose short syntax: ``[source:]target[:options]``.  A source that is a path
    (``/``, ``.``, ``~``) is a bind mount; a name is a volume; no source is an anonymous volume."""
    parts = text.split(":")
    options = ""
    if len(parts) >= 3 or (len(parts) == 2 and not parts[1].startswith("/")):
        options = parts.pop()
    if len(parts) == 1:
        return Mount("volume", "", parts[0], _read_only(options, text))
    source, target = parts[0], parts[1]
    if not target:
        raise MountError(f"volume {text!r} has no target")
    if source.startswith(("/", ".", "~")):
        return Mount("bind", host_path(source, base), target, _read_only(options, text))
    return Mount("volume", source, target, _read_only(options, text))


def _read_only(options: str, shown: str) -> bool:
    read_only = False
    for option in filter(None, options.split(",")):
        if option == "ro":
            read_only = True
        elif option not in ("rw", "z", "Z", "cached", "delegated", "consistent", "nocopy"):
            raise MountError(f"volume {shown!r}: option {option!r} not supported yet")
    return read_only


def _truthy(value) -> bool:
    return value is True or str(value).lower() in ("true", "1") if value is not None else False


def host_path(path: str, base: str) -> str:
    """An absolute, normalised host path (``~`` expanded, relative to ``base``)."""
    path = os.path.expanduser(path)
    return os.path.normpath(os.path.join(base, path))
