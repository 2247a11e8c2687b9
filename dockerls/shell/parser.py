"""Read the shell command of a Dockerfile ``RUN`` once, so that every rule can query it.

Design
------
A hand-written lexer and a lenient recursive-descent parser for POSIX ``sh`` plus the bash bits
people write in Dockerfiles.  ``shlex`` is not enough: it has no offsets, does not know the
operators (``&&``, ``|``, ``;``, redirections), and raises on an unbalanced quote.

The lexer works on offsets into one string and consumes runs of ordinary characters with compiled
regular expressions, so a typical RUN parses in well under a millisecond.  The parser never raises
and never goes back more than a bounded amount, so its time stays linear in the input:

* Errors (unterminated quote, missing ``fi`` ...) go to ``Script.errors``; parsing goes on.
* Nesting (``$(``, ``(``, ``{``, ``if`` ..., ``sh -c``) is capped at :data:`MAX_NESTING` (lower
  when the caller's stack is already deep, so ``RecursionError`` cannot happen); deeper constructs
  are skipped with a bracket-matching scan (no recursion) and reported.

Semantics worth knowing
-----------------------
* ``ShellWord.value`` has quotes removed and backslash escapes resolved; ``$VAR``, ``${..}``,
  ``$(..)``, ``$((..))`` and backticks are kept as written (nothing is expanded).
* Line continuations (backslash-newline) are removed everywhere, also inside single quotes, and the
  comment lines that follow one are dropped, as the Dockerfile parser does before the shell runs.
* A redirection is ONE word in ``Command.redirects``: ``raw`` spans the optional fd, the operator and
  the target (``2> /dev/null``); ``value`` is fd + operator + target value without the blanks
  (``2>/dev/null``).  ``<<EOF`` is just a redirection (heredoc bodies are given separately).
* ``Command.depth`` counts the enclosing ``$(..)``, backticks, ``<(..)``, ``( )``, ``{ }`` and
  ``sh -c`` strings; ``Command.context`` names them, outermost first.  Bodies of ``if``, ``for``,
  ``while`` and ``case`` do not add depth.
* ``sh -c STRING`` (also ``bash``/``dash``/... with any option cluster containing ``c``, ``su -c``,
  and behind ``sudo``/``env``/...) is parsed again as a script.  Its commands get offsets in the
  outer text: each character of the string maps back to where it was written, so a word's ``raw``
  is the outer text it came from (``\\"foo\\"`` for a word ``"foo"`` inside a double-quoted string).
  Text produced by an escape (``$'\\n'``) maps to the whole escape.  ``$(..)`` written in the outer
  quotes is run by the outer shell: it is parsed once, at the outer level, not again inside.
* ``separator_before`` is the operator before the command in its list: ``&&``, ``||``, ``;``, ``&``,
  ``|`` (also for ``|&``) or ``\\n``; ``None`` for the first command of a list (a script, a body of
  ``( )``, ``{ }``, ``$( )``, ``then``, ``do`` ...).
* Pipelines: a stage that is a compound command (``( a; b ) | c``) contributes all of its commands
  to the pipeline list, with the stage's ``pipeline_position``; a command keeps the position of the
  innermost pipeline of two or more stages it belongs to.  So ``len(pipeline)`` may exceed the
  number of stages.  Single-command pipelines are listed only for simple commands.
* ``Script.uses_pipes`` is true when a pipeline of two or more stages appears anywhere (subshells
  and substitutions included) except inside ``sh -c`` strings, the way hadolint sees pipes.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import Collection

__all__ = ["MAX_NESTING", "Command", "Script", "ShellWord", "parse_shell", "positional_words", "split_words"]

MAX_NESTING = 50
MAX_ERRORS = 100
_FRAMES_PER_LEVEL = 12  # Python frames one nesting level can use (e.g. "$(" inside double quotes)


# --------------------------------------------------------------------------------------- model


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
        found = self.positional(*_VALUE_FLAGS.get(self.program or "", ()))
        return found[0].value if found else None

    def unwrapped(self) -> Command:
        """The command run through ``sudo``/``env VAR=..``/``nice``/``time``/``exec``/``command``/...

        ``env`` assignments join ``assignments``; ``start``, ``end``, the redirections and the
        pipeline fields stay those of this command.  Returns ``self`` when there is no wrapper.
        """
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


# --------------------------------------------------------------------------------------- lexing

_EXACT, _OPAQUE, _SUBST = 0, 1, 2  # how the characters of a value piece map back to the text

_DELIMS = frozenset(" \t\r\n|&;()<>")
_SPACES = frozenset(" \t\r\n")
# A blank-separated word of ordinary characters only (the common case), read in one go.
_FAST_WORD = re.compile(r"[ \t]*([^ \t\r\n|&;()<>'\"\\$`#0-9][^ \t\r\n|&;()<>'\"\\$`]*)(?=[ \t\r\n|&;)<>]|\Z)")
_WORD_PLAIN = re.compile(r"[^ \t\r\n|&;()<>'\"\\$`]+")
_SPLIT_PLAIN = re.compile(r"[^ \t\r\n'\"\\$`]+")
_DQ_PLAIN = re.compile(r'[^"\\$`]+')
_PARAM_PLAIN = re.compile(r"[^}'\"\\$`]+")
_NEST_PLAIN = re.compile(r"[^()'\"\\`]+")
_BACKTICK_SCAN = re.compile(r"[^`\\]*")
_DQ_SKIP = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?', re.S)
_BT_SKIP = re.compile(r"`[^`\\]*(?:\\.[^`\\]*)*`?", re.S)
_ANSI_BODY = re.compile(r"[^'\\]*(?:\\.[^'\\]*)*", re.S)
# A continuation, and the comment or blank lines after it that the Dockerfile parser drops.
_CONT = r"\\\r?\n(?:[ \t]*(?:#[^\n]*)?\r?\n)*"
_CONT_RE = re.compile(_CONT)
_BLANKS = re.compile(rf"(?:[ \t\r]+|{_CONT}|#[^\n]*)*")
_BLANKS_NL = re.compile(rf"(?:[ \t\r\n]+|{_CONT}|#[^\n]*)*")
_SPLIT_SPACE = re.compile(rf"(?:[ \t\r\n]+|{_CONT})*")
_OP = re.compile(r";;&|;;|;&|&&|\|\||\|&|&>>|&>|[;&|()<>]")
_REDIR = re.compile(r"\d*(?:<<<|<<-|<<|<&|<>|>>|>&|>\||&>>|&>|<(?!\()|>(?!\())")
_REDIR_FIRST = frozenset("0123456789<>&")
_COND_OP = re.compile(r"&&|\|\||[|&()<>]")
_KEYWORD = re.compile(
    r"(?:if|then|else|elif|fi|do|done|case|esac|while|until|for|select|function|\{|\}|!|\[\[)"
    r"(?=[ \t\r\n;&|()<>]|\Z)"
)
_KEYWORD_FIRST = frozenset("itefdcwus{}![")
_IN = re.compile(r"in(?=[ \t\r\n;&|()<>]|\Z)")
_VAR = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-]")
_ASSIGN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=")
_ARRAY_ASSIGN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\+?=")
_FUNC_PARENS = re.compile(r"\([ \t]*\)")
_ANSI_ESC = re.compile(r"\\(x[0-9A-Fa-f]{1,2}|u[0-9A-Fa-f]{1,4}|U[0-9A-Fa-f]{1,8}|[0-7]{1,3}|c.|.)", re.S)
_ANSI_SIMPLE = {
    "a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b", "f": "\f", "n": "\n", "r": "\r", "t": "\t",
    "v": "\v", "\\": "\\", "'": "'", '"': '"', "?": "?", "\n": "",
}

_COMPOUND = "compound"  # what parse_command returns for a compound command (a Command for a simple one)
_CLOSERS = frozenset({"then", "else", "elif", "fi", "do", "done", "esac", "}"})
_NO_STOPS: frozenset[str] = frozenset()
_PAREN_STOPS = frozenset({")"})
_IF_STOPS = frozenset({"then", "elif", "else", "fi"})
_LOOP_STOPS = frozenset({"do", "done"})
_CASE_STOPS = frozenset({";;", ";&", ";;&", "esac"})
_CASE_ENDS = (";;", ";&", ";;&")
_SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "yash"})
_SHELL_C_HOSTS = _SHELLS | {"busybox", "su", "runuser"}


def _decode_ansi(body: str) -> str:
    def one(m: re.Match) -> str:
        s = m.group(1)
        if s[0] in "xuU" and len(s) > 1:
            code = int(s[1:], 16)
        elif s[0] in "01234567":
            code = int(s, 8)
        elif s[0] == "c" and len(s) == 2:
            code = ord(s[1]) & 0x1F
        else:
            return _ANSI_SIMPLE.get(s, m.group())
        return chr(code) if code <= 0x10FFFF else m.group()

    return _ANSI_ESC.sub(one, body)


def _segments_to_map(segs, prefix: int):
    """The text of ``segs`` and, per character, where it starts and ends in the source text."""
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    skip: set[int] = set()
    for piece, s, e, kind in segs:
        k = len(piece)
        if not k:
            continue
        parts.append(piece)
        if kind == _OPAQUE:
            starts.extend([s] * k)
            ends.extend([e] * k)
        else:
            if kind == _SUBST:
                skip.add(len(starts))
            starts.extend(range(s, s + k))
            ends.extend(range(s + 1, s + k + 1))
    derived = "".join(parts)
    if prefix:
        derived, starts, ends = derived[prefix:], starts[prefix:], ends[prefix:]
        skip = {i - prefix for i in skip if i >= prefix}
    return derived, starts, ends, frozenset(skip)


class _Remap:
    """Moves offsets of a script parsed from derived text (``sh -c`` string, backticks) to the outer text."""

    __slots__ = ("text", "offset", "starts", "ends", "fallback")

    def __init__(self, text: str, mapping, fallback: int):
        self.text = text
        self.fallback = fallback
        if isinstance(mapping, int):
            self.offset, self.starts, self.ends = mapping, None, None
        else:
            self.offset, (self.starts, self.ends) = 0, mapping

    def start(self, i: int) -> int:
        if self.starts is None:
            return self.offset + i
        if i < len(self.starts):
            return self.starts[i]
        return self.ends[-1] if self.ends else self.fallback

    def end(self, i: int, j: int) -> int:
        if self.ends is None:
            return self.offset + j
        if i < j <= len(self.ends):
            return self.ends[j - 1]
        return self.start(i)

    def word(self, w: ShellWord) -> None:
        s, e = self.start(w.start), self.end(w.start, w.end)
        w.start, w.end = s, e
        if self.starts is not None:
            w.raw = self.text[s:e]

    def command(self, cmd: Command) -> None:
        cmd.start, cmd.end = self.start(cmd.start), self.end(cmd.start, cmd.end)
        for group in (cmd.words, cmd.assignments, cmd.redirects):
            for w in group:
                self.word(w)


# --------------------------------------------------------------------------------------- parser


class _Parser:
    """State of one parse.  ``pos`` is the parser's cursor; lexing helpers take and return offsets."""

    def __init__(self, text: str, *, depth=0, context=(), nest=0, quiet=0, in_shell_c=False, skip=_NO_STOPS,
                 max_nest=MAX_NESTING):
        self.text = text
        self.n = len(text)
        self.pos = 0
        self.depth = depth  # public depth of the commands being read
        self.context: tuple[str, ...] = context
        self.nest = nest  # recursion guard: every nested construct counts
        self.max_nest = max_nest
        self.level = 0  # substitution nesting, to keep `$(..)` commands out of the outer pipeline
        self.quiet = quiet  # > 0: re-reading text already recorded; record nothing
        self.in_shell_c = in_shell_c
        self.skip = skip  # offsets of `$`/backtick constructs the outer shell already parsed
        self.commands: list[Command] = []
        self.levels: list[int] = []
        self.pipelines: list[list[Command]] = []
        self.errors: list[tuple[int, str]] = []
        self.uses_pipes = False
        self.no_arith = False  # set after an unbalanced `((`: stop rescanning for `))`
        self.segs: list | None = None  # collects value pieces while re-reading a `sh -c` word
        self.plain = _WORD_PLAIN
        self.delims = _DELIMS
        self.split_mode = False

    # ---- bookkeeping

    def error(self, offset: int, message: str) -> None:
        if self.quiet:
            return
        if len(self.errors) < MAX_ERRORS:
            self.errors.append((offset, message))
        elif len(self.errors) == MAX_ERRORS:
            self.errors.append((offset, "too many errors; the rest are not reported"))

    def add_command(self, cmd: Command) -> None:
        if not self.quiet:
            self.commands.append(cmd)
            self.levels.append(self.level)

    def enter(self, label: str) -> None:
        self.depth += 1
        self.nest += 1
        self.context = self.context + (label,)

    def leave(self) -> None:
        self.depth -= 1
        self.nest -= 1
        self.context = self.context[:-1]

    # ---- lists, and-or lists, pipelines

    def parse_all(self) -> None:
        while self.pos < self.n:
            self.parse_list(_NO_STOPS)

    def parse_list(self, stops: frozenset[str]) -> str | None:
        """Parse commands until EOF (``None``) or one of ``stops``, left under the cursor and returned."""
        text, n = self.text, self.n
        sep: str | None = None
        had_command = False
        while True:
            pos = _BLANKS.match(text, self.pos).end()
            self.pos = pos
            if pos >= n:
                return None
            c = text[pos]
            if c == "\n":
                self.pos = pos + 1
                if had_command and sep is None:
                    sep = "\n"
                continue
            if c in ";&|)":
                op = _OP.match(text, pos).group()
                if op in stops:
                    return op
                if not op.startswith("&>"):  # `&>file cmd` starts a command
                    self.pos = pos + len(op)
                    if op in ("&&", "||", "|", "|&"):
                        self.error(pos, f"unexpected {op!r}")
                        sep = "|" if op == "|&" else op
                    elif op in (";", "&"):
                        if had_command and sep is None:
                            sep = op
                    else:
                        self.error(pos, f"unexpected {op!r}")
                    continue
            elif c in _KEYWORD_FIRST:
                m = _KEYWORD.match(text, pos)
                if m:
                    kw = m.group()
                    if kw in stops:
                        return kw
                    if kw in _CLOSERS:
                        self.error(pos, f"unexpected {kw!r}")
                        self.pos = m.end()
                        continue
            sep = self.parse_and_or(stops, sep)
            had_command = True
            if self.pos == pos:  # cannot happen; never loop forever if it does
                self.error(pos, f"unexpected {text[pos]!r}")
                self.pos = pos + 1

    def parse_and_or(self, stops, sep: str | None) -> str | None:
        """Pipelines joined by ``&&``/``||``; returns the separator after them (``;``, ``&``, newline)."""
        text = self.text
        self.parse_pipeline(stops, sep)
        while True:
            pos = _BLANKS.match(text, self.pos).end()
            self.pos = pos
            if pos >= self.n:
                return None
            c = text[pos]
            if c == "\n":
                self.pos = pos + 1
                return "\n"
            if c not in ";&|":
                return None
            op = _OP.match(text, pos).group()
            if op in ("&&", "||"):
                self.pos = _BLANKS_NL.match(text, pos + 2).end()
                before = self.pos
                self.parse_pipeline(stops, op)
                if self.pos == before:
                    self.error(pos, f"missing command after {op!r}")
                    return None
                continue
            if op in (";", "&"):
                self.pos = pos + 1
                return op
            return None

    def parse_pipeline(self, stops, sep: str | None) -> None:
        text = self.text
        stages: list[tuple[int, int, Command | str]] = []
        while True:
            first = len(self.commands)
            before = self.pos
            stage = self.parse_command(stops, sep)
            if stage is None:
                if stages:
                    self.error(before, "missing command after '|'")
                break
            stages.append((first, len(self.commands), stage))
            pos = _BLANKS.match(text, self.pos).end()
            if pos < self.n and text[pos] == "|" and not text.startswith("||", pos):
                width = 2 if text.startswith("|&", pos) else 1
                self.pos = _BLANKS_NL.match(text, pos + width).end()
                sep = "|"
                continue
            break
        self.register_pipeline(stages)

    def register_pipeline(self, stages: list[tuple[int, int, Command | str]]) -> None:
        """``stages``: (first, end) indexes into ``commands``, and the stage's Command or ``_COMPOUND``."""
        if self.quiet or not stages:
            return
        if len(stages) == 1:
            if isinstance(stages[0][2], Command):
                self.pipelines.append([stages[0][2]])
            return
        flat = []
        for position, (first, end, stage) in enumerate(stages):
            for cmd in self.stage_commands(first, end, stage):
                if not cmd.in_pipeline:
                    cmd.in_pipeline = True
                    cmd.pipeline_position = position
                flat.append(cmd)
        self.pipelines.append(flat)
        if not self.in_shell_c:
            self.uses_pipes = True

    def stage_commands(self, first: int, end: int, stage: Command | str) -> list[Command]:
        if isinstance(stage, Command):
            return [stage]
        # Commands at a deeper level come from substitutions in the stage's words, not from the stage.
        level, levels = self.level, self.levels
        return [self.commands[i] for i in range(first, end) if levels[i] == level]

    # ---- commands

    def parse_command(self, stops, sep: str | None) -> Command | str | None:
        """One simple command (returned) or compound one (``_COMPOUND``); ``None``: nothing to read."""
        text, n = self.text, self.n
        pos = _BLANKS.match(text, self.pos).end()
        m = _KEYWORD.match(text, pos) if text[pos : pos + 1] in _KEYWORD_FIRST else None
        while m and m.group() == "!":  # `a | ! b`
            pos = _BLANKS.match(text, m.end()).end()
            m = _KEYWORD.match(text, pos)
        self.pos = pos
        if pos >= n:
            return None
        c = text[pos]
        if c == "(":
            end = self.arith_end(pos + 2) if text.startswith("((", pos) else None
            if end is not None:
                self.pos = end
            else:
                self.nested(pos, pos + 1, ")", "(", stops)
            self.trailing_redirects()
            return _COMPOUND
        if c in ";|)\n" or (c == "&" and not text.startswith("&>", pos)):
            return None
        if m:
            kw = m.group()
            if kw in stops or kw in _CLOSERS:
                return None
            if self.nest >= self.max_nest:
                self.error(pos, "nesting too deep; read as plain words")
            else:
                found = getattr(self, _HANDLERS[kw])(m.end(), stops, sep)
                if found == _COMPOUND:
                    self.trailing_redirects()
                return found
        return self.parse_simple(stops, sep)

    def parse_simple(self, stops, sep: str | None) -> Command | str | None:
        text, n = self.text, self.n
        words: list[ShellWord] = []
        assignments: list[ShellWord] = []
        redirects: list[ShellWord] = []
        pos = self.pos
        start = end = -1
        while True:
            m = _FAST_WORD.match(text, pos)
            if m:
                value, pos = m.group(1), m.end()
                word = ShellWord(value, value, m.start(1), pos)
                (assignments if not words and _ASSIGN.match(value) else words).append(word)
                if start < 0:
                    start = word.start
                end = pos
                continue
            pos = _BLANKS.match(text, pos).end()
            if pos >= n:
                break
            c = text[pos]
            m = _REDIR.match(text, pos) if c in _REDIR_FIRST else None
            if m:
                word, pos = self.read_redirect(pos, m.end())
                redirects.append(word)
            elif c in _DELIMS and not (c in "<>" and text.startswith("(", pos + 1)):
                if c == "(" and len(words) == 1 and not assignments and not redirects:
                    fm = _FUNC_PARENS.match(text, pos)
                    if fm:  # name() body
                        return self.function_body(fm.end(), stops)
                break
            else:
                word, pos = self.read_word(pos)
                if not words and _ASSIGN.match(word.raw):
                    assignments.append(word)
                else:
                    words.append(word)
            if start < 0:
                start = word.start
            end = word.end
        self.pos = pos
        if start < 0:
            return None
        cmd = Command(words, assignments, redirects, start, end, sep, depth=self.depth, context=self.context)
        self.add_command(cmd)
        if words and not self.quiet:
            self.parse_shell_c(cmd)
        return cmd

    def read_redirect(self, start: int, op_end: int) -> tuple[ShellWord, int]:
        text = self.text
        op = text[start:op_end]
        pos = _BLANKS.match(text, op_end).end()
        if pos >= self.n or (text[pos] in _DELIMS and not (text[pos] in "<>" and text.startswith("(", pos + 1))):
            self.error(start, f"missing target after {op!r}")
            return ShellWord(op, op, start, op_end), op_end
        target, pos = self.read_word(pos)
        return ShellWord(op + target.value, text[start:pos], start, pos, target.quoted, target.has_expansion), pos

    def trailing_redirects(self) -> list[ShellWord]:
        text = self.text
        found = []
        pos = self.pos
        while True:
            p = _BLANKS.match(text, pos).end()
            m = _REDIR.match(text, p)
            if not m:
                break
            word, pos = self.read_redirect(p, m.end())
            found.append(word)
        self.pos = pos
        return found

    # ---- compound commands (handlers get the offset after the keyword)

    def nested(self, open_pos: int, inner: int, closer: str, label: str, stops) -> None:
        """``( list )`` or ``{ list }``."""
        if self.nest >= self.max_nest:
            self.error(open_pos, "nesting too deep; not parsed")
            self.pos = self.skip_parens(inner, 1, open_pos) if closer == ")" else inner
            return
        self.enter(label)
        self.pos = inner
        found = self.parse_list(stops | {closer})
        if found == closer:
            self.pos += len(closer)
        else:
            self.error(open_pos, f"missing {closer!r}")
        self.leave()

    def parse_group(self, pos: int, stops, sep) -> str:
        self.nested(pos - 1, pos, "}", "{", stops)
        return _COMPOUND

    def parse_if(self, pos: int, stops, sep) -> str:
        self.nest += 1
        self.pos = pos
        inner = stops | _IF_STOPS
        found = self.parse_list(inner)
        while found in ("then", "elif", "else"):
            self.pos += len(found)
            found = self.parse_list(inner)
        if found == "fi":
            self.pos += 2
        else:
            self.error(pos - 2, "missing 'fi'")
        self.nest -= 1
        return _COMPOUND

    def parse_while(self, pos: int, stops, sep) -> str:
        self.nest += 1
        self.pos = pos
        self.loop_body(pos, stops)
        self.nest -= 1
        return _COMPOUND

    def parse_for(self, pos: int, stops, sep) -> str:
        """``for NAME [in WORDS]; do ..; done`` and ``for ((..)); do``: the header is no command."""
        text, n = self.text, self.n
        self.nest += 1
        open_pos = pos
        pos = _BLANKS.match(text, pos).end()
        if text.startswith("((", pos):
            pos = self.skip_parens(pos + 2, 2, pos)
        elif pos < n and text[pos] not in _DELIMS:
            _, pos = self.read_word(pos)
            pos = _BLANKS_NL.match(text, pos).end()
            m = _IN.match(text, pos)
            if m:
                pos = m.end()
                while True:
                    pos = _BLANKS.match(text, pos).end()
                    if pos >= n or text[pos] in _DELIMS:
                        break
                    _, pos = self.read_word(pos)
        self.pos = pos
        self.loop_body(open_pos, stops)
        self.nest -= 1
        return _COMPOUND

    def loop_body(self, open_pos: int, stops) -> None:
        inner = stops | _LOOP_STOPS
        found = self.parse_list(inner)
        seen_do = False
        while found == "do":
            if seen_do:
                self.error(self.pos, "unexpected 'do'")
            seen_do = True
            self.pos += 2
            found = self.parse_list(inner)
        if found == "done":
            self.pos += 4
            if not seen_do:
                self.error(open_pos, "missing 'do'")
        else:
            self.error(open_pos, "missing 'done'")

    def parse_case(self, pos: int, stops, sep) -> str:
        text, n = self.text, self.n
        self.nest += 1
        open_pos = pos - 4
        pos = _BLANKS.match(text, pos).end()
        if pos < n and text[pos] not in _DELIMS:
            _, pos = self.read_word(pos)
        pos = _BLANKS_NL.match(text, pos).end()
        m = _IN.match(text, pos)
        if m:
            pos = m.end()
        else:
            self.error(pos, "expected 'in'")
        body_stops = stops | _CASE_STOPS
        while True:
            pos = _BLANKS_NL.match(text, pos).end()
            self.pos = pos
            if pos >= n:
                self.error(open_pos, "missing 'esac'")
                break
            m = _KEYWORD.match(text, pos)
            if m and m.group() == "esac":
                self.pos = m.end()
                break
            if (m and m.group() in stops) or (text[pos] == ")" and ")" in stops):
                self.error(open_pos, "missing 'esac'")
                break
            self.pos = self.case_patterns(pos)
            found = self.parse_list(body_stops)
            if found in _CASE_ENDS:
                pos = self.pos + len(found)
                continue
            if found == "esac":
                self.pos += 4
            else:
                self.error(open_pos, "missing 'esac'")
            break
        self.nest -= 1
        return _COMPOUND

    def case_patterns(self, pos: int) -> int:
        """Skip ``[(] pattern [| pattern]... )``; returns the offset after ``)``."""
        text, n = self.text, self.n
        if text.startswith("(", pos):
            pos += 1
        while True:
            pos = _BLANKS.match(text, pos).end()
            if pos >= n:
                return pos
            c = text[pos]
            if c == ")":
                return pos + 1
            if c == "|":
                pos += 1
            elif c in _DELIMS:
                self.error(pos, "bad case pattern")
                return pos
            else:
                _, pos = self.read_word(pos)

    def parse_cond(self, pos: int, stops, sep) -> Command:
        """``[[ .. ]]``: one command whose words are everything up to ``]]`` (operators included)."""
        text, n = self.text, self.n
        start = pos - 2
        words = [ShellWord("[[", "[[", start, pos)]
        while True:
            pos = _BLANKS_NL.match(text, pos).end()
            if pos >= n:
                self.error(start, "missing ']]'")
                break
            if text.startswith("]]", pos) and (pos + 2 >= n or text[pos + 2] in _DELIMS):
                words.append(ShellWord("]]", "]]", pos, pos + 2))
                pos += 2
                break
            c = text[pos]
            if c == ";":
                self.error(start, "missing ']]'")
                break
            if c in _DELIMS and not (c in "<>" and text.startswith("(", pos + 1)):
                op = _COND_OP.match(text, pos).group()
                words.append(ShellWord(op, op, pos, pos + len(op)))
                pos += len(op)
            else:
                word, pos = self.read_word(pos)
                words.append(word)
        self.pos = pos
        redirects = self.trailing_redirects()
        end = max([words[-1].end] + [r.end for r in redirects])
        cmd = Command(words, [], redirects, start, end, sep, depth=self.depth, context=self.context)
        self.add_command(cmd)
        return cmd

    def parse_function(self, pos: int, stops, sep) -> str:
        """``function NAME [()] BODY``."""
        text = self.text
        pos = _BLANKS.match(text, pos).end()
        if pos < self.n and text[pos] not in _DELIMS:
            _, pos = self.read_word(pos)
        pos = _BLANKS.match(text, pos).end()
        m = _FUNC_PARENS.match(text, pos)
        return self.function_body(m.end() if m else pos, stops)

    def function_body(self, pos: int, stops) -> str:
        self.pos = _BLANKS_NL.match(self.text, pos).end()
        if self.nest >= self.max_nest:
            self.error(pos, "nesting too deep; function body read as plain commands")
            return _COMPOUND
        self.nest += 1
        self.parse_command(stops, None)
        self.nest -= 1
        return _COMPOUND

    # ---- words

    def read_word(self, pos: int) -> tuple[ShellWord, int]:
        """Read one word at ``pos`` (not a delimiter); returns it and the offset after it."""
        text, n, plain, delims = self.text, self.n, self.plain, self.delims
        m = plain.match(text, pos)
        if m and self.segs is None:  # fast path: most words are plain characters only
            end = m.end()
            if end >= n or (text[end] in delims and text[end] != "("):
                value = m.group()
                return ShellWord(value, value, pos, end), end
        segs, self.segs = self.segs, None  # only the outermost word of a re-read collects pieces
        start = pos
        parts: list[str] = []
        quoted = expansion = False
        while pos < n:
            m = plain.match(text, pos)
            if m:
                end = m.end()
                parts.append(m.group())
                if segs is not None:
                    segs.append((m.group(), pos, end, _EXACT))
                pos = end
                if pos >= n:
                    break
            c = text[pos]
            if c in delims:
                if c == "(" and _ARRAY_ASSIGN.fullmatch(text, start, pos):  # a=(1 2 3)
                    end = self.skip_parens(pos + 1, 1, pos)
                    kind = _EXACT
                elif pos == start and c in "<>" and text.startswith("(", pos + 1):
                    end = self.command_subst(pos + 2, pos, c + "(")
                    kind, expansion = _SUBST, True
                else:
                    break
                parts.append(text[pos:end])
                if segs is not None:
                    segs.append((text[pos:end], pos, end, kind))
                pos = end
            elif c == "'":
                quoted = True
                pos = self.read_single(pos, parts, segs)
            elif c == '"':
                quoted = True
                pos, exp = self.read_dquote(pos, parts, segs)
                expansion = expansion or exp
            elif c == "\\":
                m = _CONT_RE.match(text, pos)
                if m:
                    pos = m.end()
                elif pos + 1 < n:
                    quoted = True
                    parts.append(text[pos + 1])
                    if segs is not None:
                        segs.append((text[pos + 1], pos, pos + 2, _OPAQUE))
                    pos += 2
                else:
                    parts.append("\\")
                    if segs is not None:
                        segs.append(("\\", pos, pos + 1, _EXACT))
                    pos += 1
            elif c == "$":
                pos, q, exp = self.read_dollar(pos, False, parts, segs)
                quoted, expansion = quoted or q, expansion or exp
            else:  # backtick
                end = self.backtick(pos, False)
                parts.append(text[pos:end])
                if segs is not None:
                    segs.append((text[pos:end], pos, end, _SUBST))
                pos, expansion = end, True
        self.segs = segs
        if pos == start and start < n:  # never return an empty word: callers would loop
            pos += 1
            parts.append(text[start])
        return ShellWord("".join(parts), text[start:pos], start, pos, quoted, expansion), pos

    def read_single(self, pos: int, parts: list[str], segs) -> int:
        text = self.text
        close = text.find("'", pos + 1)
        if close < 0:
            self.error(pos, "unterminated single quote")
            close = end = self.n
        else:
            end = close + 1
        s = pos + 1
        if text.find("\\", s, close) >= 0:
            for m in _CONT_RE.finditer(text, s, close):
                self.add_piece(text[s : m.start()], s, parts, segs)
                s = m.end()
        self.add_piece(text[s:close], s, parts, segs)
        return end

    @staticmethod
    def add_piece(piece: str, start: int, parts: list[str], segs) -> None:
        parts.append(piece)
        if segs is not None:
            segs.append((piece, start, start + len(piece), _EXACT))

    def read_dquote(self, pos: int, parts: list[str], segs) -> tuple[int, bool]:
        """A ``"..."`` string at ``pos``; returns the offset after it and whether it expands."""
        text, n = self.text, self.n
        start = pos
        pos += 1
        expansion = False
        while pos < n:
            m = _DQ_PLAIN.match(text, pos)
            if m:
                self.add_piece(m.group(), pos, parts, segs)
                pos = m.end()
                continue
            c = text[pos]
            if c == '"':
                return pos + 1, expansion
            if c == "\\":
                m = _CONT_RE.match(text, pos)
                nxt = text[pos + 1 : pos + 2]
                if m:
                    pos = m.end()
                elif nxt and nxt in '$`"\\':
                    parts.append(nxt)
                    if segs is not None:
                        segs.append((nxt, pos, pos + 2, _OPAQUE))
                    pos += 2
                else:
                    self.add_piece("\\", pos, parts, segs)
                    pos += 1
            elif c == "$":
                pos, _, exp = self.read_dollar(pos, True, parts, segs)
                expansion = expansion or exp
            else:
                end = self.backtick(pos, True)
                parts.append(text[pos:end])
                if segs is not None:
                    segs.append((text[pos:end], pos, end, _SUBST))
                pos, expansion = end, True
        self.error(start, "unterminated double quote")
        return n, expansion

    def read_dollar(self, pos: int, in_dquote: bool, parts: list[str], segs) -> tuple[int, bool, bool]:
        """``$...`` at ``pos``; returns (offset after it, quoted, expands)."""
        text, n = self.text, self.n
        nxt = text[pos + 1] if pos + 1 < n else ""
        kind, expansion = _SUBST, True
        if nxt == "(":
            end = self.arith_end(pos + 3) if text.startswith("((", pos + 1) else None
            if end is None:
                end = self.command_subst(pos + 2, pos, "$(")
        elif nxt == "{":
            end = self.param(pos + 2, pos, in_dquote)
        elif nxt == "'" and not in_dquote:
            return self.read_ansi(pos, parts, segs), True, False
        elif nxt == '"' and not in_dquote:
            end, expansion = self.read_dquote(pos + 1, parts, segs)
            return end, True, expansion
        else:
            m = _VAR.match(text, pos + 1)
            end = m.end() if m else pos + 1
            kind, expansion = _EXACT, m is not None
        parts.append(text[pos:end])
        if segs is not None:
            segs.append((text[pos:end], pos, end, kind))
        return end, False, expansion

    def read_ansi(self, pos: int, parts: list[str], segs) -> int:
        """``$'...'`` with its C escapes decoded."""
        text, n = self.text, self.n
        body_start = pos + 2
        body_end = _ANSI_BODY.match(text, body_start).end()
        if body_end < n and text[body_end] == "'":
            end = body_end + 1
        else:
            self.error(pos, "unterminated $' string")
            body_end = end = n
        body = text[body_start:body_end]
        if "\\" not in body:
            self.add_piece(body, body_start, parts, segs)
            return end
        pos = body_start
        for m in _ANSI_ESC.finditer(text, body_start, body_end):
            self.add_piece(text[pos : m.start()], pos, parts, segs)
            char = _decode_ansi(m.group())
            parts.append(char)
            if segs is not None:
                segs.append((char, m.start(), m.end(), _OPAQUE))
            pos = m.end()
        self.add_piece(text[pos:body_end], pos, parts, segs)
        return end

    def param(self, pos: int, open_pos: int, in_dquote: bool) -> int:
        """``${...}``: returns the offset after the closing brace."""
        text, n = self.text, self.n
        if self.nest >= self.max_nest:
            self.error(open_pos, "nesting too deep; not parsed")
            close = text.find("}", pos)
            return n if close < 0 else close + 1
        quiet = open_pos in self.skip
        self.nest += 1
        self.quiet += quiet
        end = -1
        while pos < n:
            m = _PARAM_PLAIN.match(text, pos)
            if m:
                pos = m.end()
                continue
            c = text[pos]
            if c == "}":
                end = pos + 1
                break
            if c == "\\":
                pos += 2
            elif c == "'":
                close = text.find("'", pos + 1) if not in_dquote else pos
                pos = n if close < 0 else close + 1
            elif c == '"':
                pos, _ = self.read_dquote(pos, [], None)
            elif c == "$":
                pos, _, _ = self.read_dollar(pos, in_dquote, [], None)
            else:
                pos = self.backtick(pos, in_dquote)
        self.quiet -= quiet
        self.nest -= 1
        if end < 0:
            self.error(open_pos, "unterminated ${")
            return n
        return end

    # ---- substitutions

    def command_subst(self, inner: int, open_pos: int, label: str) -> int:
        """``$(..)``, ``<(..)``, ``>(..)`` parsed in place; returns the offset after ``)``."""
        if self.split_mode:
            return self.skip_parens(inner, 1, open_pos)
        if self.nest >= self.max_nest:
            self.error(open_pos, "nesting too deep; not parsed")
            return self.skip_parens(inner, 1, open_pos)
        quiet = open_pos in self.skip
        saved_pos = self.pos
        self.enter(label)
        self.level += 1
        self.quiet += quiet
        self.pos = inner
        if self.parse_list(_PAREN_STOPS) == ")":
            end = self.pos + 1
        else:
            self.error(open_pos, f"unterminated {label}")
            end = self.n
        self.quiet -= quiet
        self.level -= 1
        self.leave()
        self.pos = saved_pos
        return end

    def backtick(self, pos: int, in_dquote: bool) -> int:
        """A backtick substitution at ``pos``; its content is parsed as its own script."""
        text, n = self.text, self.n
        i = pos + 1
        escaped = False
        while True:
            i = _BACKTICK_SCAN.match(text, min(i, n)).end()
            if i >= n:
                self.error(pos, "unterminated backtick")
                content_end = end = n
                break
            if text[i] == "\\":
                escaped = True
                i += 2
                continue
            content_end, end = i, i + 1
            break
        if self.quiet or self.split_mode or pos in self.skip or content_end <= pos + 1:
            return end
        if self.nest >= self.max_nest:
            self.error(pos, "nesting too deep; not parsed")
            return end
        if escaped:
            segs = self.backtick_pieces(pos + 1, content_end, in_dquote)
            derived, starts, ends, _ = _segments_to_map(segs, 0)
            self.subparse(derived, (starts, ends), "`", pos + 1)
        else:
            self.subparse(text[pos + 1 : content_end], pos + 1, "`", pos + 1)
        return end

    def backtick_pieces(self, pos: int, end: int, in_dquote: bool) -> list:
        """Backtick content with ``\\```, ``\\\\``, ``\\$`` (and ``\\"`` in double quotes) unescaped."""
        text = self.text
        segs: list = []
        while pos < end:
            j = text.find("\\", pos, end)
            if j < 0:
                segs.append((text[pos:end], pos, end, _EXACT))
                break
            if j > pos:
                segs.append((text[pos:j], pos, j, _EXACT))
            nxt = text[j + 1 : j + 2] if j + 1 < end else ""
            m = _CONT_RE.match(text, j)
            if m:
                pos = m.end()
            elif nxt and (nxt in "\\`$" or (in_dquote and nxt == '"')):
                segs.append((nxt, j, j + 2, _OPAQUE))
                pos = j + 2
            else:
                segs.append(("\\", j, j + 1, _EXACT))
                pos = j + 1
        return segs

    def parse_shell_c(self, cmd: Command) -> None:
        """Parse the string of ``sh -c STRING`` (or ``su -c``) as a nested script."""
        program = cmd.program
        if program not in _SHELL_C_HOSTS and program not in _WRAPPERS:
            return
        found = _shell_c_argument(cmd.unwrapped())
        if found is None:
            return
        word, prefix = found
        if self.nest >= self.max_nest:
            self.error(word.start, "nesting too deep; sh -c string not parsed")
            return
        derived, starts, ends, skip = _segments_to_map(self.reread(word), prefix)
        self.subparse(derived, (starts, ends), "sh -c", word.start, skip=skip, shell_c=True)

    def reread(self, word: ShellWord) -> list:
        """Read ``word`` again, recording nothing, to get its value pieces with their offsets."""
        saved_pos = self.pos
        self.segs = segs = []
        self.quiet += 1
        self.read_word(word.start)
        self.quiet -= 1
        self.segs = None
        self.pos = saved_pos
        return segs

    def subparse(self, derived: str, mapping, label: str, fallback: int, *, skip=_NO_STOPS, shell_c=False) -> None:
        child = _Parser(
            derived, depth=self.depth + 1, context=self.context + (label,), nest=self.nest + 1,
            in_shell_c=self.in_shell_c or shell_c, skip=skip, max_nest=self.max_nest,
        )
        child.parse_all()
        remap = _Remap(self.text, mapping, fallback)
        level = self.level + 1
        for cmd in child.commands:
            remap.command(cmd)
            self.commands.append(cmd)
            self.levels.append(level)
        self.pipelines.extend(child.pipelines)
        for offset, message in child.errors:
            self.error(remap.start(offset), message)
        self.uses_pipes = self.uses_pipes or child.uses_pipes

    # ---- bracket scans (no recursion: used past MAX_NESTING and for arithmetic)

    def scan_parens(self, pos: int, depth: int) -> tuple[int, int]:
        """Find where ``depth`` open parens close: (offset after, offset of the ``)`` that left one
        open), or (-1, ..) at EOF.  Quotes and backslashes are respected."""
        text, n = self.text, self.n
        one_left = -1
        while pos < n:
            m = _NEST_PLAIN.match(text, pos)
            if m:
                pos = m.end()
                if pos >= n:
                    break
            c = text[pos]
            if c == "(":
                depth += 1
                pos += 1
            elif c == ")":
                depth -= 1
                pos += 1
                if depth == 1:
                    one_left = pos - 1
                elif depth <= 0:
                    return pos, one_left
            elif c == "'":
                close = text.find("'", pos + 1)
                pos = n if close < 0 else close + 1
            elif c == '"':
                pos = _DQ_SKIP.match(text, pos).end()
            elif c == "\\":
                pos += 2
            else:
                pos = _BT_SKIP.match(text, pos).end()
        return -1, one_left

    def skip_parens(self, pos: int, depth: int, open_pos: int) -> int:
        end, _ = self.scan_parens(pos, depth)
        if end < 0:
            self.error(open_pos, "missing ')'")
            return self.n
        return end

    def arith_end(self, inner: int) -> int | None:
        """End of ``((..))`` / ``$((..))`` when it is arithmetic, ``None`` when it is ``( (..) ..)``."""
        if self.no_arith:
            return None
        end, one_left = self.scan_parens(inner, 2)
        if end < 0:
            self.no_arith = True  # unbalanced: every later `((` would scan to EOF again
            return None
        return end if one_left == end - 2 else None


_HANDLERS = {
    "if": "parse_if", "while": "parse_while", "until": "parse_while", "for": "parse_for",
    "select": "parse_for", "case": "parse_case", "{": "parse_group", "[[": "parse_cond",
    "function": "parse_function",
}


def _shell_c_argument(cmd: Command) -> tuple[ShellWord, int] | None:
    """The word holding the script of ``sh -c``/``su -c``, and the length of a ``--command=`` prefix."""
    program, args = cmd.program, cmd.args
    if program == "busybox" and args and args[0].value in _SHELLS:
        program, args = args[0].value, args[1:]
    if program in _SHELLS:
        return _shell_operand(args)
    if program in ("su", "runuser"):
        return _su_command(args)
    return None


def _shell_operand(args: list[ShellWord]) -> tuple[ShellWord, int] | None:
    saw_c = False
    i = 0
    while i < len(args):
        value = args[i].value
        if value == "--":
            i += 1
            break
        if value.startswith("--"):
            i += 1
        elif len(value) > 1 and value[0] in "-+":
            saw_c = saw_c or (value[0] == "-" and "c" in value)
            i += 2 if ("o" in value or "O" in value) else 1  # -o/-O take an option name
        else:
            break
    return (args[i], 0) if saw_c and i < len(args) else None


def _su_command(args: list[ShellWord]) -> tuple[ShellWord, int] | None:
    i = 0
    while i < len(args):
        value = args[i].value
        if value.startswith("--command="):
            return args[i], len("--command=")
        cluster_ending_in_c = len(value) > 2 and value[0] == "-" and value[1] != "-" and value[-1] == "c"
        if value in ("-c", "--command") or cluster_ending_in_c:  # -c, -lc
            return (args[i + 1], 0) if i + 1 < len(args) else None
        i += 2 if value in ("-s", "--shell", "-g", "--group", "-G", "--supp-group", "-w") else 1
    return None


# --------------------------------------------------------------------------------------- API


def _nesting_budget() -> int:
    """MAX_NESTING, or less when the stack we are called on leaves too little room."""
    frame, used = sys._getframe(), 0
    while frame is not None:
        frame, used = frame.f_back, used + 1
    room = sys.getrecursionlimit() - used - 100
    return max(0, min(MAX_NESTING, room // _FRAMES_PER_LEVEL))


def parse_shell(text: str) -> Script:
    """Parse a shell script (the text of a ``RUN``).  Never raises; problems go to ``errors``."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    parser = _Parser(text, max_nest=_nesting_budget())
    try:
        parser.parse_all()
    except Exception as exc:  # a last guard: a linter must not die on one RUN
        parser.errors.append((min(parser.pos, len(text)), f"internal shell parser error: {exc!r}"))
    commands = sorted(parser.commands, key=lambda c: (c.start, c.depth))
    errors = sorted(parser.errors, key=lambda e: e[0])
    return Script(text, commands, parser.pipelines, errors, parser.uses_pipes)


def split_words(text: str) -> list[ShellWord]:
    """Split ``text`` at unquoted blanks and newlines; operators stay inside words.  Never raises."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    parser = _Parser(text, quiet=1)
    parser.plain, parser.delims, parser.split_mode = _SPLIT_PLAIN, _SPACES, True
    words: list[ShellWord] = []
    pos, n = 0, len(text)
    try:
        while True:
            pos = _SPLIT_SPACE.match(text, pos).end()
            if pos >= n:
                break
            word, pos = parser.read_word(pos)
            words.append(word)
    except Exception:
        pass
    return words
