"""Writing files dockerls makes or changes (reports, fixed files) without following symbolic links.

A report path (``-f sarif:dockerls.sarif``, the GitHub Action's default) or a file that ``--fix``
changes may be a symbolic link committed to the repository being checked, pointing at a file
outside it.  Opening such a path for writing would overwrite the link's target.  So a file is
written whole to a temporary file in the same folder and renamed over the path: the rename
replaces a link itself, never what it points to, and a failure leaves the old file intact.
"""

from __future__ import annotations

import os
import stat
import tempfile


def replace_file(path: str, data: bytes, like: str | None = None) -> None:
    """Make ``path`` a new regular file holding ``data``: written to a temporary file in the same
    folder, then renamed over ``path``.  A symbolic link at ``path`` is replaced, not followed, so
    a link committed to a repository cannot direct the write elsewhere.  ``like``: an existing
    file whose permission bits the new file takes."""
    folder = os.path.dirname(os.path.abspath(path))
    try:
        mode = stat.S_IMODE(os.stat(like).st_mode) if like is not None else None
    except OSError:
        mode = None
    if mode is None:  # what open() would have made: 0666 less the umask (mkstemp makes 0600)
        umask = os.umask(0o022)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, temp = tempfile.mkstemp(dir=folder, prefix=".dockerls-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
