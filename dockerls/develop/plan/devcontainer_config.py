"""Finding and reading devcontainer.json, written as JSON with comments and trailing commas.

As the Dev Containers CLI looks for it: ``.devcontainer/devcontainer.json``, else
``.devcontainer.json``, else one of ``.devcontainer/<name>/devcontainer.json`` (when there are
several, the caller picks one with ``--config PATH``: :class:`SeveralConfigurations` lists them).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from dockerls.develop.plan.model import PlanError
from dockerls.parse.devcontainer.jsonc import JsoncDocument, JsoncError, parse_jsonc
from dockerls.text import Range

CONFIG_LOCATIONS = (os.path.join(".devcontainer", "devcontainer.json"), ".devcontainer.json")


@dataclass
class DevcontainerConfig:
    path: str  # absolute
    document: JsoncDocument

    @property
    def data(self) -> dict[str, Any]:
        return self.document.value

    @property
    def folder(self) -> str:
        """The folder relative paths in the file (build.context, dockerfile) are relative to."""
        return os.path.dirname(self.path)

    def range_of(self, *path) -> Range | None:
        return self.document.range_of(*path)


class SeveralConfigurations(PlanError):
    """More than one ``.devcontainer/<name>/devcontainer.json`` and none chosen."""

    def __init__(self, folder: str, paths: list[str]):
        listed = "\n".join(f"  {os.path.relpath(p, folder)}" for p in paths)
        super().__init__(f"{folder} has {len(paths)} dev container configurations: pick one with --config PATH\n"
                         f"{listed}")
        self.paths = paths


def list_devcontainers(folder: str) -> list[str]:
    """Every devcontainer.json of the folder, the default ones first."""
    found = [os.path.abspath(os.path.join(folder, loc)) for loc in CONFIG_LOCATIONS
             if os.path.isfile(os.path.join(folder, loc))]
    base = os.path.join(folder, ".devcontainer")
    try:
        names = sorted(os.listdir(base))
    except OSError:
        names = []
    for name in names:
        path = os.path.join(base, name, "devcontainer.json")
        if os.path.isfile(path):
            found.append(os.path.abspath(path))
    return found


def find_devcontainer(folder: str, explicit: str | None = None) -> str | None:
    """The configuration to use: ``explicit`` (``--config``, relative to ``folder``), a default
    location, or the only one in a subfolder; :class:`SeveralConfigurations` when it is ambiguous."""
    if explicit:
        path = os.path.abspath(os.path.join(folder, explicit))
        if os.path.isdir(path):
            path = os.path.join(path, "devcontainer.json")
        if not os.path.isfile(path):
            raise PlanError(f"--config {explicit}: no such file")
        return path
    found = list_devcontainers(folder)
    defaults = [os.path.abspath(os.path.join(folder, loc)) for loc in CONFIG_LOCATIONS]
    if not found or found[0] in defaults:
        return found[0] if found else None
    if len(found) > 1:
        raise SeveralConfigurations(folder, found)
    return found[0]


def read_devcontainer(path: str) -> DevcontainerConfig:
    path = os.path.abspath(path)
    try:
        with open(path, encoding="utf-8-sig") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError) as err:
        raise PlanError(f"cannot read devcontainer.json: {getattr(err, 'strerror', None) or err}", path) from None
    try:
        document = parse_jsonc(text)
    except JsoncError as err:
        raise PlanError(f"devcontainer.json is not valid JSON: {err.message}", path, err.range) from None
    if not isinstance(document.value, dict):
        raise PlanError("devcontainer.json must hold an object", path, document.lines.range(0, 0))
    return DevcontainerConfig(path, document)
