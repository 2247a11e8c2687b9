"""What package managers look like in a shell command: installs, their package words, cleanups of
their caches, and the edits the quick fixes make to a RUN.

Shared by the rules that look inside RUN.  A "family" groups the managers that share a cache
(``yum``/``dnf``/``microdnf`` write under ``/var/cache/{yum,dnf}``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from dockerls.finding import Edit
from dockerls.parse.dockerfile.variables import find_refs
from dockerls.shell import Command, ShellWord, positional_words

if TYPE_CHECKING:
    from dockerls.lint.context import LintContext
    from dockerls.parse.dockerfile.model import Instruction
    from dockerls.text import Range

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


def families_of(ctx: LintContext, run: Instruction) -> tuple[frozenset[str], frozenset[str]]:
    """The families a RUN installs with and cleans up after, computed once per RUN."""
    facts = ctx.run_facts(run)
    found = facts.memo.get("families")
    if found is None:
        found = facts.memo["families"] = _families(facts.script.commands)
    return found


def _families(commands: list[Command]) -> tuple[frozenset[str], frozenset[str]]:
    installed = frozenset(f for f in map(install_family, commands) if f)
    cleaned = frozenset(f for f in map(cleanup_family, commands) if f)
    return installed, cleaned


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


# --------------------------------------------------------------------------------- the RUN to read

RUN_KEYWORDS = frozenset({"RUN", "ONBUILD"})


def run_of(ins: Instruction) -> Instruction | None:
    """The RUN a package rule reads: the instruction itself, or the RUN inside ``ONBUILD``."""
    if ins.keyword == "RUN":
        return ins
    inner = ins.inner
    return inner if inner is not None and inner.keyword == "RUN" else None


def mount_targets(run: Instruction, types: tuple[str, ...] = ("cache", "tmpfs")) -> list[str]:
    """Targets of the ``--mount`` flags of ``run`` with one of ``types`` (trailing ``/`` removed)."""
    out = []
    for flag in run.flags:
        if flag.name.lower() != "mount" or not flag.value:
            continue
        kind, target = "bind", None
        for option in flag.options:
            if option.value is None:
                continue
            if option.key == "type":
                kind = option.value.lower()
            elif option.key in ("target", "dst", "destination"):
                target = option.value.strip("\"'")
        if target and kind in types:
            out.append(target.rstrip("/") or "/")
    return out


def base_stage(df, index: int) -> int | None:
    """The earlier stage that stage ``index`` is built ``FROM``, if any."""
    image = df.stages[index].from_instruction.image
    if image is None or image.tag or image.digest or image.registry or image.has_variables:
        return None
    base = df.stage_by_name(image.name)
    return base.index if base is not None and base.index < index else None


def layer_stages(df) -> set[int]:
    """Stages whose layers end up in an image, as hadolint counts them for its cache-cleanup rules:
    the last stage and every stage another one is built ``FROM`` (-1, the instructions before any
    FROM, when there is no stage)."""
    out = {len(df.stages) - 1}
    for stage in df.stages:
        base = base_stage(df, stage.index)
        if base is not None:
            out.add(base)
    return out


# ------------------------------------------------------------------------ package-manager commands


@dataclass(frozen=True, slots=True)
class Tool:
    """How to read one package manager's command line."""

    programs: frozenset[str]
    value_flags: frozenset[str] = frozenset()  # flags whose value is the next word
    program_pattern: re.Pattern | None = None  # for versioned names: pip3.12, python3.11


APT = Tool(frozenset({"apt-get", "apt"}), frozenset({
    "-o", "-c", "-t", "--option", "--config-file", "--target-release", "--default-release"}))
APK = Tool(frozenset({"apk"}), frozenset({
    "-t", "--virtual", "-X", "--repository", "-p", "--root", "--arch", "--cache-dir", "--keys-dir",
    "--repositories-file", "--cache-max-age", "--timeout"}))
PIP = Tool(frozenset({"pip"}), frozenset({
    "--abi", "-b", "--build", "-e", "--editable", "--extra-index-url", "-f", "--find-links", "-i",
    "--index-url", "--implementation", "--no-binary", "--only-binary", "--platform", "--prefix",
    "--progress-bar", "--proxy", "--python-version", "--root", "--root-user-action", "--src", "-t",
    "--target", "--trusted-host", "--upgrade-strategy", "--retries", "--timeout", "--exists-action",
    "--cert", "--client-cert", "--cache-dir", "--log", "--python", "--global-option", "--config-settings",
    "-C", "--install-option", "--report", "--use-feature", "--use-deprecated", "--keyring-provider",
    "-r", "--requirement", "-c", "--constraint", "--group"}),
    re.compile(r"pip[0-9.]*"))
PIPX = Tool(frozenset({"pipx"}), frozenset({
    "--python", "--pip-args", "--suffix", "--index-url", "-i", "--preinstall", "--spec", "--backend"}))
NPM = Tool(frozenset({"npm"}), frozenset({
    "--loglevel", "--prefix", "-C", "--registry", "--cache", "-w", "--workspace", "--userconfig",
    "--omit", "--include", "--tag", "--install-strategy"}))
YARN = Tool(frozenset({"yarn"}), frozenset({
    "--cwd", "--cache-folder", "--modules-folder", "--network-timeout", "--mutex", "--registry",
    "--global-folder", "--link-folder", "--use-yarnrc", "--network-concurrency"}))
GEM = Tool(frozenset({"gem"}), frozenset({
    "-v", "--version", "-i", "--install-dir", "-n", "--bindir", "-s", "--source", "-p", "--http-proxy",
    "--platform", "-P", "--trust-policy", "--build-root", "--target-rbconfig"}))
GO = Tool(frozenset({"go"}), frozenset({
    "-C", "-o", "-p", "-asmflags", "-buildmode", "-compiler", "-gccgoflags", "-gcflags", "-installsuffix",
    "-ldflags", "-mod", "-modfile", "-overlay", "-pgo", "-pkgdir", "-tags", "-toolexec", "-exec",
    "-covermode", "-coverpkg"}))

_PYTHON = re.compile(r"python[0-9.]*")


@dataclass(slots=True)
class Call:
    """One package-manager command of a RUN, e.g. ``apt-get -y install curl``.

    ``cmd`` is the command with ``sudo``/``env``/... removed; ``verb`` the subcommand word
    (``install``), ``operands`` the words after it that are neither flags nor flag values.
    """

    cmd: Command
    verb: ShellWord | None
    operands: list[ShellWord]
    name: str = ""  # how the tool was called: "apt-get", "python3 -m pip"

    @property
    def command(self) -> str:
        """``apt-get install``: the tool and its subcommand, for messages."""
        return f"{self.name} {self.verb.value}" if self.verb else self.name

    def has_flag(self, *flags: str) -> bool:
        return self.cmd.has_any_flag(*flags)


def _first_arg(cmd: Command, tool: Tool) -> int | None:
    """Index in ``cmd.words`` of the first argument when ``cmd`` runs ``tool``, else None."""
    program = cmd.program
    if program is None:
        return None
    if program in tool.programs or (tool.program_pattern and tool.program_pattern.fullmatch(program)):
        return 1
    if tool is PIP and _PYTHON.fullmatch(program):  # python -m pip ...
        words = cmd.words
        if len(words) > 2 and words[1].value == "-m" and words[2].value == "pip":
            return 3
    return None


def by_program(ctx: LintContext, run: Instruction) -> dict[str, list[Command]]:
    """The commands of ``run`` (``sudo``/``env``/... removed) grouped by program, in source order
    (:attr:`RunFacts.by_program <dockerls.lint.context.RunFacts.by_program>`; read-only)."""
    return ctx.run_facts(run).by_program


def commands_of(ctx: LintContext, run: Instruction, *programs: str) -> list[Command]:
    """The commands of ``run`` running one of ``programs``, in source order."""
    index = by_program(ctx, run)
    found = [cmd for p in programs for cmd in index.get(p, ())]
    if len(programs) > 1:
        found.sort(key=lambda c: c.start)
    return found


def _tool_commands(index: dict[str, list[Command]], tool: Tool) -> list[Command]:
    found = [cmd for p in tool.programs for cmd in index.get(p, ())]
    pattern = tool.program_pattern
    if pattern is not None or tool is PIP:
        found += [cmd for p, cmds in index.items() if p and p not in tool.programs and (
            (pattern is not None and pattern.fullmatch(p)) or (tool is PIP and _PYTHON.fullmatch(p)))
            for cmd in cmds]
    if len(found) > 1:
        found.sort(key=lambda c: c.start)
    return found


def calls(ctx: LintContext, run: Instruction, tool: Tool, verbs: frozenset[str] | None = None) -> Iterator[Call]:
    """The commands of ``run`` that run ``tool`` with one of ``verbs`` (any subcommand when None),
    ``sh -c`` strings and ``sudo`` included."""
    facts = ctx.run_facts(run)
    found = facts.memo.get(tool)
    if found is None:
        found = facts.memo[tool] = _tool_calls(facts.by_program, tool)
    for call in found:
        if verbs is None or (call.verb is not None and call.verb.value in verbs):
            yield call


def _tool_calls(index: dict[str, list[Command]], tool: Tool) -> tuple[Call, ...]:
    """Every call of ``tool`` in a RUN's commands (read-only)."""
    out = []
    for cmd in _tool_commands(index, tool):
        start = _first_arg(cmd, tool)
        if start is None:
            continue
        positional = positional_words(cmd.words, start, tool.value_flags)
        out.append(Call(cmd, positional[0] if positional else None, positional[1:],
                        " ".join(w.value for w in cmd.words[:start])))
    return tuple(out)


# ---------------------------------------------------------------------------------- variable words

_MAX_EXPANSION = 4
_UNKNOWN = "\x00"  # stands for the value of a variable set outside the Dockerfile
UNKNOWN_PART = "…"  # in an expanded name: the part that came from a variable of unknown value


def expand_word(ctx: LintContext, run: Instruction, word: ShellWord, before: int | None = None) -> list[str] | None:
    """The words ``word`` stands for once its variables are expanded (the one expansion every
    package rule uses), or None when a whole name, or ``$(..)``, is unknown.  A part of a name
    whose variable has no known value reads :data:`UNKNOWN_PART`.

    Values come from the RUN's own assignments before offset ``before`` (none when None), then
    ARG/ENV; ``${X:-default}`` falls back to its default."""
    if not word.has_expansion:
        return [word.value]
    shell_vars = _shell_assignments(ctx, run, before) if before is not None else {}
    scope = None

    def lookup(name: str) -> str | None:
        nonlocal scope
        if name in shell_vars:
            return shell_vars[name]
        if scope is None:
            scope = ctx.variables(run)
        var = scope.get(name)
        return var.value if var is not None else None

    text = word.value
    for _ in range(_MAX_EXPANSION):
        if "$(" in text or "`" in text:
            return None
        refs = find_refs(text, "\\")
        if not refs:
            break
        out, pos = [], 0
        for ref in refs:
            if ref.start < pos:
                continue
            value = lookup(ref.name)
            if value is None:
                value = ref.word if ref.operator in (":-", "-") and ref.word is not None else _UNKNOWN
            out.append(text[pos : ref.start])
            out.append(value)
            pos = ref.end
        out.append(text[pos:])
        text = "".join(out).replace('"', "").replace("'", "")
    else:
        return None
    names = text.split()
    if any(not name.strip(_UNKNOWN) for name in names):
        return None  # a whole name comes from a variable whose value is unknown
    return [name.replace(_UNKNOWN, UNKNOWN_PART) for name in names]


def _shell_assignments(ctx: LintContext, run: Instruction, before: int) -> dict[str, str]:
    """``NAME=value`` set by the RUN before offset ``before`` (plain assignments and ``export``)."""
    found: dict[str, str] = {}
    for cmd in ctx.shell(run).commands:
        if cmd.start >= before:
            break
        if cmd.words:
            if cmd.words[0].value not in ("export", "readonly", "local", "declare"):
                continue
            words = cmd.words[1:]
        else:
            words = cmd.assignments
        for w in words:
            name, eq, value = w.value.partition("=")
            if eq and name.isidentifier():
                found[name] = value
    return found


# ----------------------------------------------------------------------------- ranges and edits


def word_range(ctx: LintContext, run: Instruction, word: ShellWord) -> Range:
    """The document range of a word of ``ctx.shell(run)``."""
    if run.json is not None:  # the script is the JSON elements joined by spaces: find the element
        pos = 0
        for value, element in zip(run.json, run.words):
            pos += len(value) + 1
            if word.start < pos:
                return element.range
        return run.args_range or run.range
    return ctx.shell_range(run, word.start, word.end)


def command_range(ctx: LintContext, run: Instruction, first: ShellWord, last: ShellWord | None) -> Range:
    """From ``first`` to ``last`` (e.g. ``apt-get update``)."""
    start = word_range(ctx, run, first)
    if last is None or last is first:
        return start
    end = word_range(ctx, run, last)
    return ctx.df.lines.range(start.start_offset, max(end.end_offset, start.end_offset))


def insert_after(ctx: LintContext, run: Instruction, word: ShellWord, text: str) -> Edit | None:
    """Insert ``text`` right after ``word`` (e.g. a flag after ``install``); None for exec form."""
    if run.json is not None:
        return None
    end = ctx.shell_range(run, word.start, word.end).end_offset
    return Edit(end, end, text)


def delete_word(ctx: LintContext, run: Instruction, word: ShellWord) -> Edit | None:
    """Remove ``word`` and the blanks before it; a line holding nothing else (but the line
    continuation) goes as a whole."""
    if run.json is not None:
        return None
    rng = ctx.shell_range(run, word.start, word.end)
    text, esc = ctx.df.text, ctx.df.escape
    start, end = rng.start_offset, rng.end_offset
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    if start == 0 or text[start - 1] == "\n":
        rest = text[end : text.find("\n", end) + 1 or len(text)]
        if rest.strip(" \t\r\n") == esc and rest.endswith("\n"):
            return Edit(start, end + len(rest), "")  # the line is just this word and a continuation
        start = rng.start_offset
        while end < len(text) and text[end] in " \t":
            end += 1
    return Edit(start, end, "")


_SET_E = re.compile(r"-[a-zA-Z]*e")


def append_command(ctx: LintContext, run: Instruction, command: str) -> Edit | None:
    """Add ``command`` at the end of a shell-form RUN so that it runs when the RUN succeeded so far,
    in the layout of the RUN (``&& \\`` at line ends or at line starts, ``; \\`` under ``set -e``).
    None when the RUN's end is not a plain command list (exec form, heredoc, comment, dangling
    operator)."""
    if run.json is not None or run.heredocs or run.args_range is None:
        return None
    script = ctx.shell(run)
    if script.errors or not script.commands:
        return None
    text = run.args_text
    stripped = text.rstrip()
    tail = text[max(c.end for c in script.commands):]
    if "#" in tail or stripped.endswith(("&&", "||", "|", "&", "\\", "`")):
        return None
    errexit = any(c.program == "set" and c.depth == 0 and any(_SET_E.match(w.value) or w.value == "errexit"
                                                               for w in c.args) for c in script.commands)
    df = ctx.df
    esc = df.escape
    insert_at = run.args_range.end_offset
    multiline = run.args_range.start.line != run.args_range.end.line
    if stripped.endswith(";"):
        if not errexit:  # `a; && b` is no shell: put `&& b` before the `;`
            at = run.doc_offset(len(stripped) - 1)
            return Edit(at, at, f" && {command}")
        if multiline:
            return Edit(insert_at, insert_at, f" {esc}\n{_indent(df, run.args_range.end.line)}{command}")
        return Edit(insert_at, insert_at, f" {command}")
    if not multiline:
        return Edit(insert_at, insert_at, f" && {command}")
    last_line = run.args_range.end.line
    before = df.lines.line_text(last_line - 1).rstrip()
    before = before[:-1].rstrip() if before.endswith(esc) else before
    indent = _indent(df, last_line)
    if before.endswith("&&"):
        return Edit(insert_at, insert_at, f" && {esc}\n{indent}{command}")
    if errexit and before.endswith(";"):
        return Edit(insert_at, insert_at, f"; {esc}\n{indent}{command}")
    first_indent = _indent(df, run.args_range.start.line + 1)
    separators = {c.separator_before for c in script.commands if c.depth == 0 and c.separator_before}
    if errexit and separators == {";"}:  # `set -eux; a; b` written one command per line
        return Edit(insert_at, insert_at, f"; {esc}\n{first_indent}{command}")
    if not df.lines.line_text(last_line).lstrip().startswith("&&"):
        indent = first_indent
    return Edit(insert_at, insert_at, f" {esc}\n{indent}&& {command}")


def _indent(df, line: int) -> str:
    text = df.lines.line_text(line)
    return text[: len(text) - len(text.lstrip(" \t"))] or "    "


def unpinned(ctx: LintContext, run: Instruction, call: Call, pinned) -> Iterator[tuple[ShellWord, list[str] | None]]:
    """Operands of ``call`` that ``pinned(name)`` rejects, with the names at fault.  A word made of
    variables is expanded; the names are None when its value is unknown."""
    for word in call.operands:
        if pinned(word.value):
            continue
        if not word.has_expansion:
            yield word, [word.value]
            continue
        names = expand_word(ctx, run, word, call.cmd.start)
        if names is None:
            yield word, None
            continue
        bad = [n for n in names if not pinned(n)]
        if bad:
            yield word, bad


def pin_findings(rule, run: Instruction, found_calls, pinned, lead: str, sep: str, noun: str = "package",
                 suggest=None) -> list:
    """One finding per operand of ``found_calls`` without a version: ``lead`` starts the message,
    ``sep`` joins name and version in the advice (``=``, ``==``, ``@``, ``:``); ``suggest(name)``
    gives the pinned form of a name when that is not ``name + sep + "<version>"``."""
    ctx = rule.ctx
    out = []
    for call in found_calls:
        command = call.command
        for word, names in unpinned(ctx, run, call, pinned):
            if names is None:
                continue
            if names == [word.value]:
                name = names[0]
                fixed = suggest(name) if suggest else f"{name}{sep}<version>"
                message = (f"{lead}: '{name}' is not pinned to a version. Instead of `{command} {name}` use "
                           f"`{command} {fixed}`")
            else:
                listed = ", ".join(f"'{n}'" for n in names)
                message = (f"{lead}: {word.value} holds {noun}s not pinned to a version ({listed}). Instead of "
                           f"`{command} <{noun}>` use `{command} <{noun}>{sep}<version>`")
            out.append(rule.finding(word_range(ctx, run, word), message))
    return out
