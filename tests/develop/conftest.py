"""The engine fixtures (shared with tests/engine and tests/develop)."""

from tests.engine.engine_fixtures import base_image, clean_engine, engine, project  # noqa: F401
