"""What package managers look like in a shell command: installs, and cleanups of their caches.

Shared by the rules that look inside RUN.  A "family" groups the managers that share a cache
(``yum``/``dnf``/``microdnf`` write under ``/var/cache/{yum,dnf}``).
"""

from __future__ import annotations

from dockerls.shell import Command

_INSTALL = {
    ("apt-get", "install"): "apt", ("apt", "install"): "apt", ("aptitude", "install"): "apt",
    ("apk", "add"): "apk",
    ("yum", "install"): "rpm", ("dnf", "install"): "rpm", ("microdnf", "install"): "rpm",
    ("zypper", "install"): "zypper", ("zypper", "in"): "zypper",
    ("pip", "install"): "pip", ("pip3", "install"): "pip",
    ("npm", "install"): "npm", ("npm", "ci"): "npm", ("npm", "i"): "npm",
    ("yarn", "install"): "yarn", ("yarn", "add"): "yarn",
}

_CLEAN = {
    ("apt-get", "clean"): "apt", ("apt-get", "autoclean"): "apt", ("apt-get", "purge"): "apt",
    ("apt-get", "autoremove"): "apt", ("apt", "clean"): "apt", ("apt", "autoremove"): "apt",
    ("apt", "purge"): "apt",
    ("apk", "del"): "apk", ("apk", "cache"): "apk",
    ("yum", "clean"): "rpm", ("dnf", "clean"): "rpm", ("microdnf", "clean"): "rpm",
    ("yum", "autoremove"): "rpm", ("dnf", "autoremove"): "rpm",
    ("zypper", "clean"): "zypper", ("zypper", "cc"): "zypper",
    ("pip", "cache"): "pip", ("pip3", "cache"): "pip",
    ("npm", "cache"): "npm", ("yarn", "cache"): "yarn",
}

# Paths whose removal is a cache cleanup, by prefix.
_CACHE_PATHS = (
    ("/var/lib/apt/lists", "apt"), ("/var/cache/apt", "apt"),
    ("/var/cache/apk", "apk"), ("/etc/apk/cache", "apk"),
    ("/var/cache/yum", "rpm"), ("/var/cache/dnf", "rpm"),
    ("/var/cache/zypp", "zypper"),
    ("~/.cache/pip", "pip"), ("/root/.cache/pip", "pip"), ("$HOME/.cache/pip", "pip"),
    ("~/.cache", "pip"), ("/root/.cache", "pip"), ("$HOME/.cache", "pip"),
    ("~/.npm", "npm"), ("/root/.npm", "npm"), ("$HOME/.npm", "npm"),
    ("/usr/local/share/.cache/yarn", "yarn"),
)

FAMILY_NAMES = {"apt": "apt", "apk": "apk", "rpm": "yum/dnf", "zypper": "zypper", "pip": "pip",
                "npm": "npm", "yarn": "yarn"}


def _key(cmd: Command) -> tuple[str, str] | None:
    program = cmd.program
    if program is None:
        return None
    if program in ("python", "python3") and len(cmd.words) >= 3 and cmd.words[1].value == "-m":
        module = cmd.words[2].value
        rest = [w for w in cmd.words[3:] if not w.value.startswith("-")]
        return (module, rest[0].value) if rest else None
    sub = cmd.subcommand
    return (program, sub) if sub else None


def install_family(cmd: Command) -> str | None:
    key = _key(cmd.unwrapped())
    return _INSTALL.get(key) if key else None


def cleanup_family(cmd: Command) -> str | None:
    cmd = cmd.unwrapped()
    if cmd.program == "rm":
        for word in cmd.positional():
            path = word.value.rstrip("/*").rstrip("/")
            for prefix, family in _CACHE_PATHS:
                if path == prefix or path.startswith(prefix + "/"):
                    return family
        return None
    key = _key(cmd)
    return _CLEAN.get(key) if key else None
