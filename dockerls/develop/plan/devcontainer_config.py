"""Finding and reading devcontainer.json (``.devcontainer/devcontainer.json`` or
``.devcontainer.json``), written as JSON with comments and trailing commas."""

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


def find_devcontainer(folder: str) -> str | None:
    for location in CONFIG_LOCATIONS:
        path = os.path.join(folder, location)
        if os.path.isfile(path):
            return os.path.abspath(path)
    return None


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
