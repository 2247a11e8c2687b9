"""ShellCheck's comments per script, kept across runs: a script ShellCheck has seen is never checked again.

ShellCheck's analysis is most of what a check with ShellCheck costs (about 15-20 ms of CPU per
distinct script, against well under a millisecond for dockerls' own rules), and the same scripts
come back: a CI re-run, the next commit (most RUNs unchanged), the variants of an image that
repeat their RUN lines, the editor and the command line on the same project.

* **Key**: a SHA-256 of the entry format, the ShellCheck program (its resolved path, size and
  modification time: an upgrade changes them, and asking ``shellcheck --version`` would cost as
  much as a check), the options it runs with, and the script's text -- which holds the shell (its
  ``#!`` line) and the ``export`` lines of the variables in scope.  Nothing else changes ShellCheck's
  answer (``--norc`` and an empty ``SHELLCHECK_OPTS`` keep a user's settings out), so an entry
  never goes stale: it is right or it is not found.
* **Where**: the ``shellcheck`` folder of the result cache's state (:meth:`dockerls.cache.Cache.side_folder`:
  ``$XDG_CACHE_HOME/dockerls/<project>-<hash>/<version>-<fingerprint>/shellcheck``), which ``dockerls
  check`` names with :func:`use` -- so it is on and off with the result cache (``--no-cache``, a
  cache folder that leads out of the project), goes where ``--cache-dir`` says, and is removed with
  stale states.  Without :func:`use` (the language server) there is none; ``DOCKERLS_SHELLCHECK_CACHE=0``
  turns it off.
* **Entries**: ``<2 hex>/<key>.shellcheck``, a JSON list of the comments without their temporary file name, written to a
  temporary file and renamed into place (concurrent runs never see half an entry).  An entry that
  cannot be read or parsed is a miss; a folder that cannot be written only costs the saving.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

ENTRY_FORMAT = 1
SUFFIX = ".shellcheck"  # not .json: the result cache's entries are its .json files
ENV_SWITCH = "DOCKERLS_SHELLCHECK_CACHE"  # "0": no persistent ShellCheck cache


_folder: Path | None = None


def use(where: str | None) -> None:
    """Keep the entries in the folder ``where`` (made already), or nowhere (None)."""
    global _folder
    _folder = Path(where) if where else None


def folder() -> Path | None:
    """The cache folder, or None when there is none."""
    if _folder is None or os.environ.get(ENV_SWITCH, "").strip().lower() in ("0", "false", "no", "off"):
        return None
    return _folder


@functools.lru_cache(maxsize=8)
def program_identity(binary: str) -> str:
    """What tells one ShellCheck program from another, cheaply."""
    try:
        real = os.path.realpath(binary)
        st = os.stat(real)
        return f"{real}\0{st.st_size}\0{st.st_mtime_ns}"
    except OSError:
        return binary


def key(binary: str, options: tuple[str, ...], text: str) -> str:
    material = "\0".join((str(ENTRY_FORMAT), program_identity(binary), *options, "", text))
    return hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()


def _entry(root: Path, entry_key: str) -> Path:
    return root / entry_key[:2] / f"{entry_key}{SUFFIX}"


def load(keys: list[str]) -> dict[str, list[dict]]:
    """The entries found for ``keys``."""
    root = folder()
    found: dict[str, list[dict]] = {}
    if root is None:
        return found
    for entry_key in keys:
        try:
            data = json.loads(_entry(root, entry_key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, list) and all(isinstance(c, dict) for c in data):
            found[entry_key] = data
    return found


def store(entries: dict[str, list[dict]]) -> None:
    """Write ``entries`` (key -> comments); failures are logged, never raised."""
    root = folder()
    if root is None or not entries:
        return
    for entry_key, comments in entries.items():
        target = _entry(root, entry_key)
        try:
            target.parent.mkdir(exist_ok=True)  # only below the folder made for us
            if target.parent.is_symlink():
                raise OSError(f"{target.parent} is a symlink")
            fd, temp = tempfile.mkstemp(prefix=".tmp-", suffix=SUFFIX, dir=target.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump([{k: v for k, v in c.items() if k != "file"} for c in comments], fh)
                os.replace(temp, target)
            except BaseException:
                os.unlink(temp)
                raise
        except OSError as err:
            log.info("cannot write the ShellCheck cache in %s: %s", root, err)
            return
