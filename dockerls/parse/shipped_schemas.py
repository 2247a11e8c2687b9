"""The JSON Schemas dockerls ships (``dockerls/schemas/`` in a wheel, ``schemas/`` in a checkout):
where a copy is looked for, and reading it.  The compose and devcontainer.json readers use them."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parents[1]  # .../dockerls


def locations(file_name: str, override_env: str | None = None) -> list[Path]:
    """Where ``file_name`` is looked for, in order: the file named by the environment variable
    ``override_env`` (when set), the package's copy, the checkout's."""
    chosen = os.environ.get(override_env) if override_env else None
    return ([Path(chosen)] if chosen else []) + [_PACKAGE / "schemas" / file_name,
                                                  _PACKAGE.parent / "schemas" / file_name]


def load(file_name: str, override_env: str | None = None) -> Any:
    """The first copy found, parsed; None when there is none."""
    for path in locations(file_name, override_env):
        if path.is_file():
            with path.open(encoding="utf-8") as f:
                return json.load(f)
    return None
