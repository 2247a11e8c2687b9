"""A digest of a build context as the engine would see it, computed fast.

The walk applies the context's ``.dockerignore`` with the engine's own dialect
(:data:`dockerls.ignorefile.DOCKER`: a pattern excluding a folder excludes what is below it unless a
``!`` pattern may bring something back, which is why such folders are still walked) and never
follows a symbolic link: a link is sent to the engine as a link, so its target text is what is
hashed.  Each entry contributes its relative path, its kind and permission bits (a ``chmod +x``
changes the layer too), and a file its content's SHA-256.

Hashing 20,000 files on every ``develop`` would be slow, so the content hashes are kept in a stat
cache (one JSON file per context folder under ``<user cache>/dockerls/contexts/``): a file whose
size, modification time, change time and inode are those recorded is not read again.  A file
modified within the last two seconds is hashed but not cached (a second write in the same clock
tick would not change its times: git's "racily clean" problem).  The cache is written to a
temporary file and renamed over the old one, so a reader never sees half of it and a link planted
at its path is replaced, not followed.

The cache also remembers the digest it last computed, so the next run can name the files that
changed since then (``changed_since``).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from dataclasses import dataclass, field

from dockerls.ignorefile import DOCKER, IgnoreRules

CACHE_VERSION = 1
RACY_SECONDS = 2.0
MAX_NAMED = 5  # changed files named in a reason; the rest are counted


@dataclass
class ContextDigest:
    digest: str
    entries: dict[str, str]  # relative path -> "f<mode>:<sha256>", "d<mode>" or "l:<target>"
    previous_digest: str | None = None  # what the cache held before this run
    changed: list[str] = field(default_factory=list)  # paths that differ from previous_digest's
    hashed: int = 0  # files read this time (the rest came from the stat cache)

    def changed_since(self, digest: str | None) -> list[str] | None:
        """The paths changed since the context had ``digest``, when this run knows (else None)."""
        if digest is None:
            return None
        if digest == self.digest:
            return []
        return list(self.changed) if digest == self.previous_digest else None


def cache_dir() -> str:
    from dockerls.cache import user_cache_home

    return os.path.join(user_cache_home(), "dockerls", "contexts")


def context_digest(context: str, cache_folder: str | None = None, now: float | None = None) -> ContextDigest:
    """The digest of the folder ``context`` (see the module docstring).  ``cache_folder``: where
    the stat cache lives (default :func:`cache_dir`; ``""`` for no cache)."""
    root = os.path.abspath(context)
    folder = cache_dir() if cache_folder is None else cache_folder
    cache_path = os.path.join(folder, hashlib.sha256(root.encode("utf-8", "surrogateescape")).hexdigest()[:24]
                              + ".json") if folder else None
    old = _load(cache_path, root) if cache_path else {}
    old_files: dict[str, list] = old.get("files") or {}
    now = time.time() if now is None else now
    rules = IgnoreRules.from_file(os.path.join(root, ".dockerignore"), DOCKER)
    entries: dict[str, str] = {}
    new_files: dict[str, list] = {}
    hashed = 0

    def walk(folder_abs: str, rel_folder: str) -> None:
        nonlocal hashed
        try:
            with os.scandir(folder_abs) as it:
                children = sorted(it, key=lambda e: e.name)
        except OSError:
            return
        for entry in children:
            rel = f"{rel_folder}{entry.name}"
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            mode = st.st_mode
            if stat.S_ISDIR(mode):
                ignored = rules.is_ignored(rel, True)
                if not ignored:
                    entries[rel] = f"d{stat.S_IMODE(mode):o}"
                if not ignored or rules.could_include_below(rel):
                    walk(entry.path, rel + "/")
            elif rules.is_ignored(rel, False):
                continue
            elif stat.S_ISLNK(mode):
                try:
                    entries[rel] = "l:" + os.readlink(entry.path)
                except OSError:
                    continue
            elif stat.S_ISREG(mode):
                signature = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
                cached = old_files.get(rel)
                if cached is not None and cached[:4] == signature:
                    content = cached[4]
                else:
                    content = _file_hash(entry.path)
                    if content is None:
                        continue
                    hashed += 1
                if now - max(st.st_mtime_ns, st.st_ctime_ns) / 1e9 > RACY_SECONDS:
                    new_files[rel] = [*signature, content]
                entries[rel] = f"f{stat.S_IMODE(mode):o}:{content}"
            # sockets, fifos, devices: not sent

    walk(root, "")
    text = "\n".join(f"{path}\0{value}" for path, value in entries.items())
    digest = hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()
    previous = old.get("digest")
    old_entries: dict[str, str] = old.get("entries") or {}
    changed = sorted(p for p in set(entries) | set(old_entries) if entries.get(p) != old_entries.get(p))
    result = ContextDigest(digest, entries, previous, changed if previous else [], hashed)
    if cache_path and (previous != digest or new_files != old_files):
        _save(cache_path, {"version": CACHE_VERSION, "root": root, "digest": digest, "files": new_files,
                           "entries": entries})
    return result


def describe_changes(paths: list[str]) -> str:
    """``requirements.txt, app/main.py and 3 more``."""
    named = paths[:MAX_NAMED]
    more = len(paths) - len(named)
    return ", ".join(named) + (f" and {more} more" if more else "")


def _file_hash(path: str) -> str | None:
    digest = hashlib.sha256()
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _load(path: str, root: str) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION or data.get("root") != root:
        return {}
    if not isinstance(data.get("files"), dict) or not isinstance(data.get("entries"), dict):
        return {}
    return data


def _save(path: str, data: dict) -> None:
    from dockerls.writing import replace_file

    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        replace_file(path, json.dumps(data, separators=(",", ":")).encode("utf-8", "surrogateescape"))
    except OSError:
        pass  # a cache that cannot be written only costs time
