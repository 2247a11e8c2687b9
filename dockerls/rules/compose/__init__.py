"""Compose rules (kind ``compose``), codes ``DCxxx``.

DC0xx: the file cannot be read as Compose reads it (YAML, encoding, interpolation, the schema,
``include``/``extends`` that cannot be followed).  DC1xx: the model is valid but something in it
will fail or surprise at ``docker compose up`` (names, dependencies, ports, paths, images, secrets).

Each module holds one rule; :mod:`dockerls.rules.compose._base` has the base classes and the
context the runner (:mod:`dockerls.lint.compose_runner`) gives them.
"""
