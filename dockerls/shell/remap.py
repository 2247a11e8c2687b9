"""Offsets of text the shell derives (a ``sh -c`` string, backtick content) mapped back to the
text as written, and finding the ``sh -c`` string of a command."""

from __future__ import annotations

from dockerls.shell.lexer import _OPAQUE, _SUBST
from dockerls.shell.model import Command, ShellWord

_SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "yash"})
_SHELL_C_HOSTS = _SHELLS | {"busybox", "su", "runuser"}


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

