"""Output formats for ``dockerls check``: one module per format, each a ``render(results, out)``."""

from __future__ import annotations

from importlib import import_module

FORMATS = ("text", "json")


def renderer(name: str):
    return import_module(f"dockerls.report.{name}_format").render
