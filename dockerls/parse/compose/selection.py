"""Which files ``docker compose`` reads together with the checked one, and which profiles it runs.

A Compose project is often more than one file: ``compose.yaml`` plus ``compose.override.yaml``,
``-f a.yaml -f b.yaml``, ``COMPOSE_FILE``, and the overlay a devcontainer.json's
``dockerComposeFile`` names after its base (VS Code's "Existing Docker Compose (Extend)"
template).  The checked file belongs to the first of these that names it:

1. the explicit list (``check --compose-file``, else ``COMPOSE_FILE`` from the environment);
2. ``COMPOSE_FILE`` in the ``.env`` beside the file (Compose reads it there too);
3. the ``dockerComposeFile`` list of a devcontainer.json beside it or in its ``.devcontainer``;
4. its standard base or override sibling (``compose.yaml`` ↔ ``compose.override.yaml``).

Paths in ``COMPOSE_FILE`` are separated by ``COMPOSE_PATH_SEPARATOR`` (default ``:``, ``;`` on
Windows), relative to the working directory (from the environment) or to the ``.env``'s folder.
Everything is looked at through ``fs``, so the result cache knows what the answer depends on, and
nothing outside the checked folder is read.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Mapping

from dockerls.lint.workspace_fs import PLAIN_FS, WorkspaceFS

STANDARD_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
_OVERRIDE = re.compile(r"^(?P<stem>.+)\.override\.(?P<ext>ya?ml)$")
_DEVCONTAINER_SUBFOLDERS = 16  # .devcontainer/<name>/devcontainer.json folders looked at, at most


def split_compose_file(value: str, environ: Mapping[str, str], base: Path | None = None) -> list[Path]:
    """A ``COMPOSE_FILE`` value as paths (relative ones against ``base``, else as written)."""
    separator = environ.get("COMPOSE_PATH_SEPARATOR") or os.pathsep
    return [base / part if base is not None and not os.path.isabs(part) else Path(part)
            for part in (p.strip() for p in value.split(separator)) if part]


def split_profiles(value: str) -> list[str]:
    """A ``COMPOSE_PROFILES`` value (comma-separated) as names."""
    return [p.strip() for p in value.split(",") if p.strip()]


def project_files(path: str | None, fs: WorkspaceFS = PLAIN_FS, explicit: list[str] | None = None,
                  dotenv: Mapping[str, str] | None = None) -> list[Path]:
    """The files ``docker compose`` reads together with ``path``, in order (``path`` is always among
    them).  ``explicit``: the ``--compose-file`` list (else ``COMPOSE_FILE`` of ``fs``'s environment);
    ``dotenv``: the values of the ``.env`` beside ``path``."""
    if not path:
        return []
    p = Path(path)
    if explicit is None and fs.environ.get("COMPOSE_FILE"):
        explicit = [str(f) for f in split_compose_file(fs.environ["COMPOSE_FILE"], fs.environ)]
    for listed in (_paths(explicit), _dotenv_list(p, fs, dotenv), _devcontainer_list(p, fs)):
        if listed and _contains(listed, p, fs):
            return [p if _same(f, p, fs) else f for f in listed]
    return _siblings(p, fs)


def _paths(files: list[str] | None) -> list[Path]:
    return [Path(f) for f in files or ()]


def _same(a: Path, b: Path, fs: WorkspaceFS) -> bool:
    return a == b or fs.real_path(a) == fs.real_path(b)


def _contains(files: list[Path], p: Path, fs: WorkspaceFS) -> bool:
    return any(_same(f, p, fs) for f in files)


def _dotenv_list(p: Path, fs: WorkspaceFS, dotenv: Mapping[str, str] | None) -> list[Path]:
    value = (dotenv or {}).get("COMPOSE_FILE")
    return split_compose_file(value, fs.environ, p.parent) if value else []


def _devcontainer_list(p: Path, fs: WorkspaceFS) -> list[Path]:
    """The ``dockerComposeFile`` list of the devcontainer.json that names ``p``, if one does."""
    folder = p.parent
    candidates = [folder / "devcontainer.json", folder / ".devcontainer.json",
                  folder / ".devcontainer" / "devcontainer.json"]
    sub = folder / ".devcontainer"
    if fs.is_dir(sub):
        try:
            names = sorted(fs.list_dir(sub))[:_DEVCONTAINER_SUBFOLDERS]
        except OSError:
            names = []
        candidates += [sub / name / "devcontainer.json" for name in names]
    for candidate in candidates:
        if not fs.inside(candidate) or not fs.is_file(candidate):
            continue
        listed = _compose_list(candidate, fs)
        if listed and _contains(listed, p, fs):
            return listed
    return []


def _compose_list(devcontainer: Path, fs: WorkspaceFS) -> list[Path]:
    from dockerls.parse.devcontainer.jsonc import JsoncError, parse_jsonc

    try:
        value = parse_jsonc(fs.read_text(devcontainer, limit=1 << 20)).value
    except (OSError, JsoncError, ValueError):
        return []
    files = value.get("dockerComposeFile") if isinstance(value, dict) else None
    if isinstance(files, str):
        files = [files]
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return []
    return [Path(os.path.normpath(devcontainer.parent / f)) for f in files]


def _siblings(p: Path, fs: WorkspaceFS) -> list[Path]:
    """A standard file and its ``.override`` file, or an override file and its base."""
    m = _OVERRIDE.match(p.name)
    if m:
        for ext in ("yaml", "yml"):
            base = p.with_name(f"{m['stem']}.{ext}")
            if fs.is_file(base):
                return [base, p]
        return [p]
    if p.name in STANDARD_NAMES:
        stem = p.name.rsplit(".", 1)[0]
        for ext in ("yaml", "yml"):
            over = p.with_name(f"{stem}.override.{ext}")
            if fs.is_file(over):
                return [p, over]
    return [p]
