"""Output formats for ``dockerls check``: one module per format, each a ``render(results, out)``.

``text`` (the default) and ``json`` are dockerls' own; ``sarif`` (GitHub code scanning),
``github`` (GitHub Actions annotations), ``checkstyle``, ``codeclimate`` (Code Climate engine
stream), ``gitlab`` (GitLab code quality) and ``junit`` are for CI systems.  hadolint's names
are formats too: ``tty`` (hadolint's lines), ``gnu``, ``codacy``, ``sonarqube`` and
``gitlab_codeclimate`` (``json`` is a superset of hadolint's).
"""

from __future__ import annotations

from importlib import import_module

FORMATS = ("text", "json", "sarif", "github", "checkstyle", "codeclimate", "gitlab", "junit",
           "tty", "gnu", "codacy", "sonarqube", "gitlab_codeclimate")
EXIT_ZERO_FORMATS = frozenset({"codeclimate", "codacy"})  # hadolint exits 0 whatever it finds in these
PATH_IN_REPORT_FORMATS = frozenset({"checkstyle", "codeclimate", "sonarqube", "junit", "gitlab_codeclimate"})


def renderer(name: str):
    if name not in FORMATS:
        raise ValueError(f"unknown format '{name}' (use {', '.join(FORMATS)})")
    return import_module(f"dockerls.report.{name}_format").render
