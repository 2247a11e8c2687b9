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


def write_report(target: str, render) -> None:
    """Write a report to the file ``target``: ``render(out)`` writes it to a text stream.

    The file is replaced, never written through (:func:`dockerls.writing.replace_file`): a
    ``dockerls.sarif`` committed as a symbolic link to a file outside the repository must not get
    that file overwritten.  A device or FIFO is written to as it is when the path names it itself
    (``/dev/stdout``, a named pipe), not through a symbolic link (``dockerls.sarif -> /dev/mem``)."""
    import io
    import os
    import stat

    buffer = io.StringIO(newline="")
    render(buffer)
    data = buffer.getvalue().encode("utf-8", "surrogateescape")
    try:
        mode = os.stat(target).st_mode if os.path.abspath(target).startswith("/dev/") else os.lstat(target).st_mode
    except OSError:
        mode = 0
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        with open(target, "wb") as fh:
            fh.write(data)
        return
    from dockerls.writing import replace_file

    replace_file(target, data)
