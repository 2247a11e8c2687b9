"""The rules' fixtures see a small devcontainer.json schema of the tests' own, so DV006's cases do
not change with dockerls' own schema (that one has its tests in tests/parse/test_devcontainer_schema.py
and tests/services/test_devcontainer_own_schema.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockerls.parse.devcontainer import schema

MINI_SCHEMA = Path(__file__).resolve().parents[1] / "data" / "devcontainer-mini.schema.json"


@pytest.fixture(autouse=True)
def devcontainer_schema(monkeypatch):
    monkeypatch.setenv("DOCKERLS_DEVCONTAINER_SCHEMA", str(MINI_SCHEMA))
    schema.load_schema.cache_clear()
    yield
    schema.load_schema.cache_clear()
