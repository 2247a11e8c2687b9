"""Seed texts for the mutators: the rule fixtures' cases, the test fixtures, the examples and, when it
is beside the repository, ../shared/corpus (official Dockerfiles, BuildKit parser fixtures)."""

from __future__ import annotations

import functools
import yaml

from dockerls.discover import kind_of
from tests.conftest import ROOT, SHARED

KINDS = ("dockerfile", "compose", "devcontainer")
# Big seeds make every input slow to lint; mutations of small ones find the same bugs sooner.
MAX_SEED_CHARS = 12_000


@functools.cache
def seeds(kind: str) -> tuple[str, ...]:
    found: list[str] = []
    for path in sorted((ROOT / "tests" / "rules" / kind).glob("*.yaml")):
        cases = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("cases") or []
        found.extend(c["text"] for c in cases if isinstance(c, dict) and isinstance(c.get("text"), str))
    for folder in (ROOT / "tests" / "fixtures", ROOT / "examples", SHARED / "corpus"):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and kind_of(path) == kind and path.stat().st_size <= MAX_SEED_CHARS:
                    found.append(path.read_text(encoding="utf-8", errors="replace"))
    return tuple(dict.fromkeys(found)) or ("",)

