"""Shared knowledge of the DF1xx best-practice rules: whole-context copies, what a command really
runs (``python -m pip``, ``bundle exec rake``, ``npx prisma``), pip's arguments, project builds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dockerls.parse.dockerfile.model import Instruction, Stage, Word
from dockerls.rules.dockerfile._instructions import basename, sources_and_dest
from dockerls.shell import Command, ShellWord, positional_words

if TYPE_CHECKING:
    from dockerls.lint.context import LintContext

# Sources of COPY/ADD that send the whole build context (or all of its top level) into the image.
WHOLE_CONTEXT = frozenset({".", "./", "./.", "*", "./*"})

SYSTEM_FAMILIES = frozenset({"apt", "apk", "rpm", "zypper"})

_PYTHON = re.compile(r"python(?:\d+(?:\.\d+)?)?$")
_PIP = re.compile(r"pip(?:\d+(?:\.\d+)?)?$")


def newline_of(text: str) -> str:
    """The line ending a fix should write: CRLF when the file uses it."""
    return "\r\n" if "\r\n" in text else "\n"


# ------------------------------------------------------------------------------------ COPY / ADD


def whole_context_source(ins: Instruction) -> Word | None:
    """The source word of a COPY/ADD that copies the whole build context (``COPY . .``)."""
    if ins.keyword not in ("COPY", "ADD") or ins.flag("from") is not None:
        return None
    sources, _ = sources_and_dest(ins)
    for word in sources:
        if word.value in WHOLE_CONTEXT:
            return word
    return None


def whole_copy_before(ctx: LintContext, stage: Stage, ins: Instruction) -> Instruction | None:
    """The first whole-context COPY/ADD of the stage that comes before ``ins``."""
    # Found once per stage (in ctx.cache), not by a scan for every RUN: that was quadratic.
    firsts = ctx.cache.setdefault(whole_copy_before, {})
    if stage.index not in firsts:
        firsts[stage.index] = next((other for other in stage.instructions
                                    if other.keyword in ("COPY", "ADD") and whole_context_source(other) is not None),
                                   None)
    first = firsts[stage.index]
    return first if first is not None and first.index < ins.index else None


# ------------------------------------------------------------------------------------ commands

# Runners that take the command to run as their next positional word.
_RUNNERS = frozenset({"npx", "pnpx", "bunx", "uvx", "pipx"})
# Tools whose subcommand runs a command: ``bundle exec rake``, ``poetry run alembic``.
_RUNNER_SUBCOMMANDS = {
    "bundle": {"exec"}, "poetry": {"run"}, "pipenv": {"run"}, "uv": {"run"}, "pdm": {"run"},
    "hatch": {"run"}, "rye": {"run"}, "pnpm": {"exec", "dlx"}, "yarn": {"exec", "dlx"},
    "npm": {"exec"}, "bun": {"x"}, "pipx": {"run"},
}
# Interpreters whose first positional argument is the script that actually runs.
_SCRIPT_HOSTS = frozenset({"php", "node", "ruby"})


def _skip_flags(args: list[ShellWord]) -> list[ShellWord]:
    i = 0
    while i < len(args) and args[i].value.startswith("-"):
        if args[i].value in ("-p", "--package", "-c", "--call"):
            i += 1
        i += 1
    return args[i:]


def tool(cmd: Command) -> tuple[str, list[ShellWord]] | None:
    """The tool a command really runs and its arguments, through wrappers (``sudo``, ``env``),
    runners (``npx``, ``bundle exec``, ``poetry run``) and interpreters (``python -m pip``,
    ``python manage.py``, ``php artisan``).  The name is a base name: ``manage.py``, ``artisan``.
    """
    words = cmd.unwrapped().words
    if not words:
        return None
    name, args = basename(words[0].value), words[1:]
    for _ in range(4):
        if name in _RUNNERS and name != "pipx":
            args = _skip_flags(args)
        elif args and args[0].value in _RUNNER_SUBCOMMANDS.get(name, ()):
            args = _skip_flags(args[1:])
        elif _PYTHON.match(name):
            rest = _skip_flags_python(args)
            if rest is None:
                break
            args = rest
        elif name in _SCRIPT_HOSTS and args and not args[0].value.startswith("-"):
            pass
        else:
            break
        if not args:
            return None
        name, args = basename(args[0].value), args[1:]
    return name, args


def _skip_flags_python(args: list[ShellWord]) -> list[ShellWord] | None:
    """``python [-u -O ...] -m MOD ...`` -> [MOD, ...]; ``python script.py ...`` -> [script.py, ...]."""
    for i, word in enumerate(args):
        value = word.value
        if value == "-m":
            return args[i + 1 :] if i + 1 < len(args) else None
        if value.startswith("-m") and len(value) > 2:
            return None  # -mpip: rare, not worth a synthetic word
        if value in ("-c", "-"):
            return None
        if not value.startswith("-"):
            return args[i:]
    return None


# ------------------------------------------------------------------------------------ pip

_PIP_VALUE_FLAGS = frozenset({
    "-i", "--index-url", "--extra-index-url", "-f", "--find-links", "-t", "--target", "--prefix",
    "--root", "--platform", "--python-version", "--implementation", "--abi", "--src",
    "--upgrade-strategy", "--progress-bar", "--no-binary", "--only-binary", "-C", "--config-settings",
    "--global-option", "--install-option", "--trusted-host", "--cache-dir", "--log", "--proxy",
    "--retries", "--timeout", "--exists-action", "--cert", "--client-cert", "--python", "-p",
    "--report", "--index-strategy", "--keyring-provider", "--resolution", "--prerelease",
})


@dataclass(slots=True)
class PipInstall:
    """The arguments of one ``pip install`` (``pip3``, ``python -m pip``, ``uv pip``)."""

    requirements: list[ShellWord] = field(default_factory=list)  # -r FILE
    constraints: list[ShellWord] = field(default_factory=list)  # -c FILE
    local: list[ShellWord] = field(default_factory=list)  # ., -e ., ./pkg, /src, file:...
    packages: list[ShellWord] = field(default_factory=list)  # names, URLs


def is_local_path(value: str) -> bool:
    """A pip/npm argument naming a local directory or file rather than a package."""
    if value.startswith((".", "/", "~", "file:")):
        return True
    return "/" in value and "://" not in value and "@" not in value and not value.startswith("$")


def pip_install(cmd: Command) -> PipInstall | None:
    found = tool(cmd)
    if found is None:
        return None
    name, args = found
    if name == "uv" and args and args[0].value == "pip":
        args = args[1:]
    elif not _PIP.match(name):
        return None
    if not args or args[0].value != "install":
        return None
    out = PipInstall()
    editable: list[ShellWord] = []
    args = args[1:]
    i = 0
    while i < len(args):
        word = args[i]
        value = word.value
        nxt = args[i + 1] if i + 1 < len(args) else None
        target = None
        for short, long, bucket in (("-r", "--requirement", out.requirements),
                                    ("-c", "--constraint", out.constraints),
                                    ("-e", "--editable", editable)):
            if value in (short, long):
                target = bucket
                if nxt is not None:
                    bucket.append(nxt)
                i += 2
                break
            if value.startswith(long + "=") or (value.startswith(short) and len(value) > 2 and value[2] != "-"):
                target = bucket
                cut = len(long) + 1 if value.startswith(long + "=") else 2
                bucket.append(ShellWord(value[cut:], word.raw, word.start, word.end, word.quoted, word.has_expansion))
                i += 1
                break
        if target is not None:
            continue
        if value.startswith("-"):
            i += 2 if value in _PIP_VALUE_FLAGS else 1
            continue
        (out.local if is_local_path(value) else out.packages).append(word)
        i += 1
    for word in editable:
        (out.local if is_local_path(word.value) else out.packages).append(word)
    return out


# ------------------------------------------------------------------------------------ project builds

_BUILD_SUBCOMMANDS = {
    "go": {"build", "install"},
    "cargo": {"build", "install"},
    "mvn": {"package", "install", "verify", "compile", "deploy"},
    "mvnw": {"package", "install", "verify", "compile", "deploy"},
    "gradle": {"build", "assemble", "installDist", "bootJar", "jar", "shadowJar", "distTar", "distZip"},
    "gradlew": {"build", "assemble", "installDist", "bootJar", "jar", "shadowJar", "distTar", "distZip"},
    "dotnet": {"build", "publish"},
    "setup.py": {"install", "develop", "build", "bdist_wheel", "sdist", "build_ext"},
    "poetry": {"build"},
    "mix": {"compile", "release", "deps.compile"},
    "cmake": {"--build"},
}
_ALWAYS_BUILD = frozenset({"make", "gmake", "ninja", "configure", "meson"})
_JS = frozenset({"npm", "yarn", "pnpm", "bun"})


def project_build(cmd: Command) -> str | None:
    """A short label (``go build``, ``pip install .``) when the command builds or installs the
    project from its own source, else None."""
    found = tool(cmd)
    if found is None:
        return None
    name, args = found
    pip = pip_install(cmd)
    if pip is not None:
        return f"pip install {pip.local[0].value}" if pip.local else None
    if name in _ALWAYS_BUILD:
        return name
    first = args[0].value if args else None
    if name in _JS and first is not None:
        if first in ("run", "run-script") and len(args) > 1 and args[1].value.startswith("build"):
            return f"{name} run {args[1].value}"
        if name != "npm" and first.startswith("build"):
            return f"{name} {first}"
        return None
    subs = _BUILD_SUBCOMMANDS.get(name)
    if subs:
        words = positional_words(args) if name != "cmake" else args
        if words and words[0].value in subs:
            if name == "cargo" and words[0].value == "install" and not cmd.unwrapped().has_any_flag("--path"):
                return None  # cargo install CRATE: a tool from crates.io
            if name == "go" and words[0].value == "install" and not all(is_local_path(w.value) for w in words[1:]):
                return None  # go install module@version: a tool
            return f"{name} {words[0].value}"
    return None
