"""yum, dnf, microdnf and zypper in a RUN: which commands ask for confirmation, download into the
cache, clean it, and which package words name a version.

Shared by DL3030-DL3041.  Commands are found with :func:`_packages.calls` (``sudo`` and ``sh -c``
included); ``module`` / ``group`` subcommands are read with their action (``dnf module install``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from dockerls.finding import SAFE, Fix
from dockerls.rules.base import Rule
from dockerls.rules.dockerfile._packages import (
    RUN_KEYWORDS, UNKNOWN_PART, Call, Tool, append_command, calls, command_range, expand_word, insert_after,
    mount_targets, run_of, word_range,
)

if TYPE_CHECKING:
    from dockerls.lint.context import LintContext
    from dockerls.parse.dockerfile.model import Instruction
    from dockerls.shell import ShellWord
    from dockerls.text import Range

_DNF_VALUE_FLAGS = frozenset({
    "-c", "--config", "-d", "--debuglevel", "-e", "--errorlevel", "-x", "--exclude", "--installroot",
    "--releasever", "--setopt", "--enablerepo", "--disablerepo", "--repo", "--repoid", "--repofrompath",
    "--forcearch", "--color", "--destdir", "--downloaddir", "--comment", "-R", "--randomwait",
    "--rpmverbosity", "--disableplugin", "--enableplugin", "--advisory", "--advisories", "--bz", "--cve",
    "--sec-severity", "--secseverity", "--skip-broken-limit", "--use-host-config",
})

YUM = Tool(frozenset({"yum"}), _DNF_VALUE_FLAGS)
DNF = Tool(frozenset({"dnf", "dnf5", "microdnf"}), _DNF_VALUE_FLAGS)
ZYPPER = Tool(frozenset({"zypper"}), frozenset({
    "-c", "--config", "-R", "--root", "-D", "--reposd-dir", "-C", "--cache-dir", "--raw-cache-dir",
    "--solv-cache-dir", "--pkg-cache-dir", "-t", "--type", "-r", "--repo", "--from", "-p",
    "--plus-repo", "--plus-content", "--download",
}))

# dnf's short names of its commands (dnf(8) "aliases"; yum is dnf on current distributions).
DNF_ALIASES = {
    "in": "install", "up": "upgrade", "update": "upgrade", "rei": "reinstall", "up-min": "upgrade-minimal",
    "update-minimal": "upgrade-minimal", "dsync": "distro-sync", "distribution-synchronization": "distro-sync",
    "dg": "downgrade", "rm": "remove", "erase": "remove", "localinstall": "install", "localupdate": "upgrade",
}

# Subcommands (after the aliases above) that change the system and so ask "Is this ok [y/N]" without -y.
_DNF_CHANGES = frozenset({
    "install", "groupinstall", "reinstall", "upgrade", "upgrade-minimal", "groupupdate", "remove", "groupremove",
    "autoremove", "downgrade", "distro-sync", "swap",
})
# Actions of `dnf module ...` / `dnf group ...` that ask too.
_SUB_CHANGES = frozenset({"install", "update", "upgrade", "remove", "erase", "enable", "disable", "reset",
                          "switch-to", "swap"})
# Subcommands that download packages and repository metadata into the cache.
_DNF_DOWNLOADS = frozenset({"install", "groupinstall", "reinstall", "upgrade", "upgrade-minimal", "downgrade",
                            "distro-sync"})
_SUB_DOWNLOADS = frozenset({"install", "update", "upgrade"})

ZYPPER_CHANGES = frozenset({
    "install", "in", "remove", "rm", "source-install", "si", "patch", "update", "up", "dist-upgrade",
    "dup", "install-new-recommends", "inr", "verify", "ve",
})
ZYPPER_DOWNLOADS = frozenset({"install", "in", "update", "up", "dist-upgrade", "dup", "patch",
                              "install-new-recommends", "inr", "source-install", "si"})

RPM_CACHES = ("/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5")
ZYPPER_CACHES = ("/var/cache/zypp",)


@dataclass(slots=True)
class Action:
    """A package-manager command read as ``<program> <verb> [<action>] operands``."""

    call: Call
    verb: str  # "install", or "module install" / "group install"
    last_verb_word: ShellWord  # where the verb ends: the place for a flag
    operands: list[ShellWord]

    @property
    def program(self) -> str:
        return self.call.cmd.program or ""


def mentions(ctx: LintContext, run: Instruction, names) -> bool:
    """A cheap first test: whether one of ``names`` occurs anywhere in the RUN's shell text."""
    text = ctx.shell(run).text
    return any(name in text for name in names)


def actions(ctx: LintContext, run: Instruction, tool: Tool) -> Iterator[Action]:
    if not mentions(ctx, run, tool.programs):
        return
    for call in calls(ctx, run, tool):
        if call.verb is None:
            continue
        verb, operands = call.verb.value, call.operands
        if verb in ("module", "group") and tool is not ZYPPER and operands:
            yield Action(call, f"{verb} {operands[0].value}", operands[0], operands[1:])
        else:
            yield Action(call, verb, call.verb, operands)


def asks_confirmation(action: Action) -> bool:
    verb = action.verb
    if " " in verb:
        return verb.split(" ", 1)[1] in _SUB_CHANGES
    return DNF_ALIASES.get(verb, verb) in _DNF_CHANGES


def downloads(action: Action) -> bool:
    verb = action.verb
    if " " in verb:
        return verb.split(" ", 1)[1] in _SUB_DOWNLOADS
    return DNF_ALIASES.get(verb, verb) in _DNF_DOWNLOADS


def has_yes(action: Action) -> bool:
    return action.call.cmd.has_any_flag("-y", "--assumeyes")


def verb_range(ctx: LintContext, run: Instruction, action: Action) -> Range:
    """``yum install`` / ``dnf module install``: the program word to the verb."""
    return command_range(ctx, run, action.call.cmd.words[0], action.last_verb_word)


def insert_flag_fix(ctx: LintContext, run: Instruction, after: ShellWord, flag: str) -> Fix | None:
    """A safe fix that writes ``flag`` right after ``after`` (a plain, unquoted word)."""
    if after.raw != after.value:
        return None
    edit = insert_after(ctx, run, after, f" {flag}")
    return Fix(f"Add {flag}", [edit], SAFE) if edit else None


# ------------------------------------------------------------------------------------ cache cleanup


def cache_mounted(run: Instruction, caches: tuple[str, ...]) -> bool:
    """A cache or tmpfs mount holds one of ``caches``: nothing of it stays in the layer."""
    for target in mount_targets(run):
        if any(c == target or c.startswith(target.rstrip("/") + "/") for c in caches):
            return True
    return False


def removes_cache(call: Call, caches: tuple[str, ...]) -> bool:
    """``rm -rf /var/cache/yum/*``, ``rm -rf /var/cache`` and the like."""
    for word in call.cmd.positional():
        path = word.value.rstrip("*").rstrip("/")
        if path and any(path == c or path.startswith(c + "/") or c.startswith(path + "/") for c in caches):
            return True
    return False


def missing_cleanup(ctx: LintContext, run: Instruction, tool: Tool, caches: tuple[str, ...],
                    is_download, clean_tools: tuple[Tool, ...]) -> Action | None:
    """The last command of ``tool`` that fills the cache when no cleanup comes after it."""
    if cache_mounted(run, caches):
        return None
    last: Action | None = None
    for action in actions(ctx, run, tool):
        if is_download(action):
            last = action
    if last is None:
        return None
    after = last.call.cmd.start
    for tool_ in clean_tools:
        for call in calls(ctx, run, tool_):
            if call.cmd.start > after and call.verb is not None and call.verb.value in ("clean", "cc"):
                return None
    for call in _rm_calls(ctx, run):
        if call.cmd.start > after and removes_cache(call, caches):
            return None
    return last


_RM = Tool(frozenset({"rm"}))


def _rm_calls(ctx: LintContext, run: Instruction) -> Iterator[Call]:
    return calls(ctx, run, _RM)


def cleanup_fix(ctx: LintContext, run: Instruction, action: Action, command: str) -> Fix | None:
    """Append ``command`` (``yum clean all``) to the RUN when the download is its last step at top level."""
    cmd = action.call.cmd
    script = ctx.shell(run)
    top = [c for c in script.commands if c.depth == 0]
    if cmd.depth != 0 or cmd.in_pipeline or not top or top[-1].start != cmd.start:
        return None
    edit = append_command(ctx, run, command)
    return Fix(f"Append `{command}`", [edit], SAFE) if edit else None


# -------------------------------------------------------------------------------------- variables


def word_values(ctx: LintContext, run: Instruction, word: ShellWord, before: int | None = None) -> list[str] | None:
    """:func:`_packages.expand_word`, None when any part of a value is not known at lint time
    (set by the build, the base image or the shell, or from ``$(...)``)."""
    values = expand_word(ctx, run, word, before)
    if values is None or any(UNKNOWN_PART in v for v in values):
        return None
    return values


# -------------------------------------------------------------------------------------- versions

_RPM_VERSION_PART = re.compile(r"[0-9A-Za-z.~^_:+]*")
_ZYPPER_KINDS = ("pattern:", "patch:", "product:", "srcpackage:", "application:")


def rpm_pinned(spec: str) -> bool:
    """``name-version[-release]``: after the name, dash-separated parts of version characters, one
    starting with a digit.  Files and URLs (a ``/`` or ``.rpm``) are a fixed version too."""
    if "/" in spec or spec.endswith(".rpm"):
        return True
    parts = spec.split("-")
    if len(parts) < 2:
        return False
    rest = parts[1:]
    return all(_RPM_VERSION_PART.fullmatch(p) for p in rest) and any(p[:1].isdigit() for p in rest)


def zypper_pinned(spec: str) -> bool:
    return any(op in spec for op in "=<>") or "/" in spec or spec.endswith(".rpm") or spec.startswith(_ZYPPER_KINDS)


def unpinned(ctx: LintContext, run: Instruction, action: Action, pinned) -> Iterator[tuple[ShellWord, str]]:
    """Operands without a version, with the value to name in the message.  Words built from
    variables are expanded with ARG/ENV; a value that is not known at lint time is not judged."""
    for word in action.operands:
        values = word_values(ctx, run, word, action.call.cmd.start)
        for value in values or ():
            if not value or value.startswith("@"):
                continue  # a group or module, judged by the module rule
            if not pinned(value):
                yield word, value
                break


def module_pinned(spec: str) -> bool:
    """``name:stream`` for ``dnf module install``."""
    return ":" in spec


def unpinned_rpm_packages(ctx: LintContext, run: Instruction, tool: Tool) -> Iterator[tuple[Action, ShellWord, str]]:
    """Packages of ``<tool> install`` without ``-<version>``, modules without ``:<stream>``."""
    for action in actions(ctx, run, tool):
        if DNF_ALIASES.get(action.verb, action.verb) == "install":
            pinned = rpm_pinned
        elif action.verb == "module install":
            pinned = module_pinned
        else:
            continue
        for word, value in unpinned(ctx, run, action, pinned):
            yield action, word, value


# ------------------------------------------------------------------ shell of a stage (for fixes)

_POSIX_SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "yash", "busybox"})


def posix_shell(ctx: LintContext, ins: Instruction) -> bool:
    """Whether RUN shell form runs in a POSIX shell at ``ins`` (no ``SHELL ["powershell", ...]``)."""
    for prev in reversed(ctx.previous):
        if prev.stage_index != ins.stage_index:
            break
        if prev.keyword == "SHELL":
            if not prev.json:
                return False
            return prev.json[0].replace("\\", "/").rsplit("/", 1)[-1] in _POSIX_SHELLS
    return True


# -- shared shapes of the yum and dnf rules (DL3030/DL3038, DL3032/DL3040, DL3033/DL3041) --------

class MissingYesRule(Rule):
    """A `tool` command that changes packages without `-y`; subclasses name the tool."""

    tool: Tool
    instructions = RUN_KEYWORDS
    fixable = True

    def check(self, ins):
        run = run_of(ins)
        if run is None:
            return None
        out = []
        for action in actions(self.ctx, run, self.tool):
            if asks_confirmation(action) and not has_yes(action):
                out.append(self.finding(
                    verb_range(self.ctx, run, action),
                    f"Use the -y switch to avoid manual input `{action.program} {action.verb} -y ...`: without "
                    "it the command waits for a confirmation the build cannot give, and the RUN fails",
                    fix=insert_flag_fix(self.ctx, run, action.last_verb_word, "-y"),
                ))
        return out


class MissingCleanRule(Rule):
    """A `tool` command that fills the package cache with no `clean all` after it in the RUN."""

    tool: Tool
    instructions = RUN_KEYWORDS
    fixable = True

    def check(self, ins):
        run = run_of(ins)
        if run is None:
            return None
        cleaners = (self.tool, DNF if self.tool is YUM else YUM)  # either cleans the shared cache
        action = missing_cleanup(self.ctx, run, self.tool, RPM_CACHES, downloads, cleaners)
        if action is None:
            return None
        program = action.program
        return [self.finding(
            verb_range(self.ctx, run, action),
            f"`{program} clean all` missing after {program} command: the cache that `{program} {action.verb}` "
            "fills stays in the layer",
            fix=cleanup_fix(self.ctx, run, action, f"{program} clean all"),
        )]


class UnpinnedRpmRule(Rule):
    """Packages installed by `tool` without a version (or modules without a stream)."""

    tool: Tool
    instructions = RUN_KEYWORDS

    def check(self, ins):
        run = run_of(ins)
        if run is None:
            return None
        out = []
        for action, word, value in unpinned_rpm_packages(self.ctx, run, self.tool):
            program = action.program
            if action.verb == "module install":
                message = (f"Specify the stream with `{program} module install -y <module>:<stream>`: "
                           f"`{value}` has no stream")
            else:
                message = (f"Specify version with `{program} install -y <package>-<version>`: "
                           f"`{value}` has no version")
            out.append(self.finding(word_range(self.ctx, run, word), message))
        return out

