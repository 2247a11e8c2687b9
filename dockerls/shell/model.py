"""The shell AST: words, simple commands and the script that holds them (see :mod:`dockerls.shell.parser`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Collection

__all__ = ["Command", "Script", "ShellWord", "positional_words"]


@dataclass(slots=True)
class ShellWord:
    value: str  # quotes removed, escapes resolved, nothing expanded ("$(..)" kept as written)
    raw: str  # as written: always text[start:end]
    start: int
    end: int
    quoted: bool = False  # some part is quoted or backslash-escaped
    has_expansion: bool = False  # contains $VAR, ${..}, $(..), $((..)), `..` or <(..)


def positional_words(words: list[ShellWord], start: int = 0,
                     value_flags: Collection[str] = ()) -> list[ShellWord]:
    """``words[start:]`` without flags: ``--`` ends the flags, ``value_flags`` take the next word."""
    out: list[ShellWord] = []
    i, n = start, len(words)
    while i < n:
        value = words[i].value
        if value == "--":
            out.extend(words[i + 1 :])
            break
        if len(value) > 1 and value[0] == "-":
            i += 2 if value in value_flags else 1
            continue
        out.append(words[i])
        i += 1
    return out


@dataclass(slots=True)
class Command:
    """One simple command (``[[ .. ]]`` is one too: its words run from ``[[`` to ``]]``)."""

    words: list[ShellWord]  # argv, leading assignments and redirections removed
    assignments: list[ShellWord] = field(default_factory=list)  # FOO=bar prefixes
    redirects: list[ShellWord] = field(default_factory=list)  # one word per redirection
    start: int = 0
    end: int = 0
    separator_before: str | None = None
    in_pipeline: bool = False  # a stage (or inside a stage) of a pipeline of >= 2 stages
    pipeline_position: int = 0
    depth: int = 0
    context: tuple[str, ...] = ()  # enclosing "$(", "`", "<(", ">(", "(", "{", "sh -c", outermost first
    # unwrapped() and subcommand, worked out once: a parsed script is shared by every lint of the
    # same RUN text (parse_shell_cached), so the rules ask the same command again on every keystroke.
    _unwrapped: Command | bool | None = field(default=None, repr=False, compare=False)
    _subcommand: str | None | bool = field(default=False, repr=False, compare=False)  # False: not yet

    @property
    def name(self) -> str | None:
        return self.words[0].value if self.words else None

    @property
    def program(self) -> str | None:
        """The command name without its directory: ``/usr/bin/apt-get`` -> ``apt-get``."""
        if not self.words:
            return None
        value = self.words[0].value
        return value.rsplit("/", 1)[-1] or value

    @property
    def args(self) -> list[ShellWord]:
        return self.words[1:]

    def has_any_flag(self, *flags: str) -> bool:
        """Whether one of ``flags`` is given before ``--``.

        ``-y`` also matches inside a cluster (``-qy``); ``--opt`` also matches ``--opt=value``;
        a longer single-dash flag (``-qq``, ``-name``) must match exactly.  Best effort: a short
        flag with an attached value (``-oFoo``) reads as a cluster.
        """
        longs = {f for f in flags if f.startswith("--")}
        shorts = {f[1] for f in flags if len(f) == 2 and f[0] == "-" and f != "--"}
        exact = {f for f in flags if f not in longs and len(f) > 2}
        for value in self._flag_values():
            if value.startswith("--"):
                if value.split("=", 1)[0] in longs:
                    return True
            elif value in exact or value.split("=", 1)[0] in exact:
                return True
            elif shorts and any(ch in shorts for ch in value[1:]):
                return True
        return False

    def flag_value(self, *names: str) -> str | None:
        """The value of the first of ``names`` given: ``--foo=bar``, ``--foo bar``, ``-f bar``, ``-fbar``."""
        args = self.args
        for i, word in enumerate(args):
            value = word.value
            if value == "--":
                return None
            for name in names:
                if value == name:
                    return args[i + 1].value if i + 1 < len(args) else None
                if name.startswith("--") or len(name) > 2:
                    if value.startswith(name + "="):
                        return value[len(name) + 1 :]
                elif value.startswith(name) and len(value) > 2 and not value.startswith("--"):
                    return value[2:]
        return None

    def positional(self, *value_flags: str) -> list[ShellWord]:
        """Arguments that are not flags; ``--`` ends the flags, ``value_flags`` take the next word."""
        return positional_words(self.words, 1, value_flags)

    @property
    def subcommand(self) -> str | None:
        """The first positional argument (``install`` of ``apt-get -o X=1 install``)."""
        sub = self._subcommand
        if sub is False:
            found = self.positional(*_VALUE_FLAGS.get(self.program or "", ()))
            sub = self._subcommand = found[0].value if found else None
        return sub  # type: ignore[return-value]  # (False is only "not yet")

    def unwrapped(self) -> Command:
        """The command run through ``sudo``/``env VAR=..``/``nice``/``time``/``exec``/``command``/...

        ``env`` assignments join ``assignments``; ``start``, ``end``, the redirections and the
        pipeline fields stay those of this command.  Returns ``self`` when there is no wrapper.
        """
        found = self._unwrapped
        if found is None:
            found = self._unwrap()
            # True for "no wrapper": a command holding itself would be a reference cycle.
            self._unwrapped = True if found is self else found
            return found
        return self if found is True else found  # type: ignore[return-value]

    def _unwrap(self) -> Command:
        words = self.words
        assignments = list(self.assignments)
        changed = False
        while words:
            program = words[0].value.rsplit("/", 1)[-1]
            flags = _WRAPPERS.get(program)
            if flags is None:
                break
            i = _skip_wrapper_options(program, words, flags, assignments)
            if i is None or i >= len(words):
                break
            words = words[i:]
            changed = True
        if not changed:
            return self
        return Command(
            list(words), assignments, self.redirects, self.start, self.end, self.separator_before,
            self.in_pipeline, self.pipeline_position, self.depth, self.context,
        )

    def _flag_values(self):
        for word in self.words[1:]:
            value = word.value
            if value == "--":
                return
            if len(value) > 1 and value[0] == "-":
                yield value


@dataclass(slots=True)
class Script:
    text: str
    commands: list[Command] = field(default_factory=list)  # all simple commands, source order
    pipelines: list[list[Command]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (offset, message)
    uses_pipes: bool = False  # see the module docstring

    def find(self, program: str, subcommand: str | None = None, *, unwrap: bool = False) -> list[Command]:
        """Commands running ``program`` (and ``subcommand``).  With ``unwrap``, ``sudo apt-get``
        counts as ``apt-get`` and the unwrapped commands are returned."""
        found = []
        for cmd in self.commands:
            if unwrap:
                cmd = cmd.unwrapped()
            if cmd.program == program and (subcommand is None or cmd.subcommand == subcommand):
                found.append(cmd)
        return found

    def programs(self) -> set[str]:
        return {cmd.program for cmd in self.commands if cmd.program}


# Flags that take the next word as their value, for finding the subcommand.
_VALUE_FLAGS: dict[str, tuple[str, ...]] = {
    "apt-get": ("-o", "-c", "-t", "--option", "--config-file", "--target-release"),
    "apt": ("-o", "-c", "-t", "--option", "--config-file", "--target-release"),
    "apt-cache": ("-o", "-c", "--option", "--config-file"),
    "aptitude": ("-o", "-t", "--target-release"),
    "yum": ("-c", "-d", "-e", "-x", "--config", "--installroot", "--releasever", "--exclude", "--setopt"),
    "dnf": ("-c", "-d", "-e", "-x", "--config", "--installroot", "--releasever", "--exclude", "--setopt"),
    "microdnf": ("--config", "--installroot", "--releasever", "--setopt"),
    "zypper": ("-c", "-R", "--config", "--root", "--reposd-dir", "--cache-dir"),
    "apk": ("-X", "-p", "--repository", "--root", "--arch", "--cache-dir", "--keys-dir", "--repositories-file"),
    "pip": ("--proxy", "--retries", "--timeout", "--exists-action", "--trusted-host", "--cert",
            "--client-cert", "--cache-dir", "--log", "--python"),
    "npm": ("-C", "-w", "--prefix", "--registry", "--cache", "--userconfig", "--workspace"),
    "yarn": ("--cwd", "--cache-folder", "--modules-folder"),
    "git": ("-C", "-c", "--git-dir", "--work-tree", "--namespace"),
    "docker": ("-H", "-c", "-l", "--host", "--config", "--context", "--log-level"),
    "go": ("-C",),
    "cargo": ("-C", "-Z", "--config"),
}
for _alias, _of in (("pip3", "pip"), ("pip2", "pip"), ("yum-config-manager", "yum")):
    _VALUE_FLAGS[_alias] = _VALUE_FLAGS[_of]

# Prefix commands that run their arguments as a command, and their options taking a value.
_WRAPPERS: dict[str, tuple[str, ...]] = {
    "sudo": ("-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-T", "-U", "--user", "--group",
             "--chdir", "--host", "--prompt", "--role", "--type", "--close-from", "--other-user",
             "--command-timeout"),
    "doas": ("-u", "-C"),
    "env": ("-u", "-C", "-S", "--unset", "--chdir", "--split-string"),
    "nice": ("-n", "--adjustment"),
    "time": ("-f", "-o", "--format", "--output"),
    "exec": ("-a",),
    "command": (),
    "nohup": (),
    "stdbuf": ("-i", "-o", "-e"),
    "xargs": ("-a", "-d", "-E", "-I", "-L", "-n", "-P", "-s", "--arg-file", "--delimiter", "--eof",
              "--replace", "--max-lines", "--max-args", "--max-procs", "--max-chars"),
}

_ENV_ASSIGN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")


def _skip_wrapper_options(program, words, flags, assignments) -> int | None:
    """Index of the wrapped command in ``words`` (``None``: not a command run, e.g. ``command -v``)."""
    i = 1
    while i < len(words):
        value = words[i].value
        if value == "--":
            return i + 1
        if program == "env" and _ENV_ASSIGN.match(value):
            assignments.append(words[i])
            i += 1
            continue
        if len(value) > 1 and value[0] == "-":
            if program == "command" and value in ("-v", "-V"):
                return None
            i += 2 if value in flags else 1
            continue
        break
    return i

