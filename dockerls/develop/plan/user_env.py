"""``userEnvProbe``: the environment the remote user's shell sets up (``/etc/profile``, ``~/.bashrc``
...), which the lifecycle commands and ``dockerls exec`` start from, remoteEnv on top.

As the Dev Containers CLI: the user's login shell (``/etc/passwd``; ``/bin/sh`` when unknown) runs
with ``-lic`` (loginInteractiveShell, the default), ``-lc``, ``-ic`` or ``-c`` and prints its
environment between two random markers (``cat /proc/self/environ``, NUL-separated); ``PWD`` is
dropped, and the container's ``PATH`` entries the shell's lacks are merged in (``sbin`` folders only
for root), since dockerls does not rewrite ``/etc/profile`` as the CLI may.  These are the pure
parts; :mod:`dockerls.engine.user_env` runs the shell.
"""

from __future__ import annotations

import re

PROBES = ("none", "loginShell", "interactiveShell", "loginInteractiveShell")
DEFAULT_PROBE = "loginInteractiveShell"
_FLAGS = {"loginInteractiveShell": "-lic", "loginShell": "-lc", "interactiveShell": "-ic"}
_SBIN = re.compile(r"/sbin(/|$)")


def probe_argv(shell: str, probe: str, mark: str) -> list[str] | None:
    """The command that prints the environment between two ``mark``s; None for ``none``."""
    if probe == "none":
        return None
    command = f"echo -n {mark}; cat /proc/self/environ; echo -n {mark}"
    if re.fullmatch(r"pwsh(-preview)?", shell.rsplit("/", 1)[-1]):  # PowerShell: its own flags
        login = probe in ("loginShell", "loginInteractiveShell")
        return [shell, *(["-Login"] if login else []), "-Command", command]
    return [shell, _FLAGS.get(probe, "-c"), command]


def parse_probe_output(raw: bytes, mark: str) -> dict[str, str] | None:
    """The environment between the markers (None when they are not both there: the shell failed)."""
    text = raw.decode("utf-8", "replace")
    first = text.find(mark)
    last = text.find(mark, first + len(mark)) if first != -1 else -1
    if last == -1:
        return None
    env: dict[str, str] = {}
    for entry in text[first + len(mark):last].split("\0"):
        name, equals, value = entry.partition("=")
        if equals and name:
            env[name] = value
    env.pop("PWD", None)
    return env or None


def merge_paths(shell_path: str, container_path: str, root: bool) -> str:
    """The shell's PATH with the container's entries it lacks, each after the entry it followed
    in the container's (``sbin`` folders only for root)."""
    result = shell_path.split(":")
    insert_at = 0
    for entry in container_path.split(":"):
        if entry in result:
            insert_at = result.index(entry) + 1
        elif root or not _SBIN.search(entry):
            result.insert(insert_at, entry)
            insert_at += 1
    return ":".join(result)


def probed_environment(env: dict[str, str], container_env: dict[str, str], user: str | None) -> dict[str, str]:
    """The probe's environment, PATH merged with the container's."""
    out = dict(env)
    if out.get("PATH") and container_env.get("PATH"):
        out["PATH"] = merge_paths(out["PATH"], container_env["PATH"], user in (None, "", "root", "0"))
    return out


def login_shell(passwd: str, user: str | None) -> str:
    """The login shell of ``user`` (a name or uid, ``user:group`` too) in ``/etc/passwd``'s text;
    ``/bin/sh`` when the user or its shell is not there."""
    who = (user or "root").split(":", 1)[0]
    for line in passwd.splitlines():
        fields = line.split(":")
        if len(fields) >= 7 and who in (fields[0], fields[2]) and fields[6].strip():
            return fields[6].strip()
    return "/bin/sh"
