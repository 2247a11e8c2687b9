import re

from dockerls.finding import SAFE, UNSAFE, Edit, Fix
from dockerls.rules.base import INFO, Rule
from dockerls.rules.dockerfile._rpm import posix_shell

# Builtins whose effect would reach the next command once two RUNs share a shell.
_SHELL_STATE = frozenset({
    "cd", "pushd", "popd", "export", "unset", "set", "shopt", "source", ".", "alias", "unalias", "umask",
    "ulimit", "trap", "exec", "eval", "declare", "typeset", "readonly", "local", "hash", "exit", "return",
})

_TESTS = frozenset({"[", "[["})
_PRAGMA = re.compile(r"\s*#\s*(dockerls|hadolint)\s", re.IGNORECASE)


class ConsecutiveRun(Rule):
    """Two RUN instructions in a row that could be one.

    ## Why
    Every RUN makes a layer.  Two single-command RUNs next to each other cost an extra layer,
    an extra cache step, and often an extra copy of files that the second command deletes or
    changes.  Joining them with `&&` keeps related steps in one layer.

    Reported like hadolint: a RUN right after another RUN (comments between do not matter,
    any other instruction does) when both are a single command and have the same flags
    (`--mount`, `--network`...).  RUNs that already chain several commands are left alone; they
    are usually split on purpose, for caching.  Like hadolint, test brackets (`[ -e x ]`) and
    the contents of `sh -c "..."` strings are not counted as commands.

    ## Example
    ```Dockerfile
    FROM debian:bookworm-slim
    RUN apt-get update
    RUN apt-get install -y --no-install-recommends curl
    ```

    ## Fix
    ```Dockerfile
    RUN apt-get update \\
        && apt-get install -y --no-install-recommends curl
    ```
    The quick fix joins the RUN to the one before it with `&&`; comment lines between them move
    into the joined RUN, above the command they describe.  It is offered when neither RUN has
    flags, a heredoc or the exec form, no ignore pragma stands between them, the first RUN does
    not end in a comment or `&`, and the shell is a POSIX shell.  It is safe, except when the
    first RUN changes the shell's own state (`cd`, `export`, `set`, `source`, a variable
    assignment...), which would now carry over to the second command: then it is unsafe.
    """

    code = "DL3059"
    name = "consecutive-run"
    severity = INFO
    scope = "stage"
    instructions = frozenset({"RUN"})
    fixable = True

    def check(self, ins):
        previous = self.ctx.previous[-1] if self.ctx.previous else None
        if previous is None or previous.keyword != "RUN" or _flags(previous) != _flags(ins):
            return None
        if not (self._single(previous) and self._single(ins)):
            return None
        return [self.finding(
            ins.keyword_range,
            f"Multiple consecutive `RUN` instructions. Consider consolidation: join this RUN to the one on line "
            f"{previous.line + 1} with `&&`",
            fix=self._fix(previous, ins),
            related=[(previous.keyword_range, "the RUN before")],
        )]

    def _single(self, ins) -> bool:
        """At most one command, as hadolint counts: tests (`[ ]`, `[[ ]]`) and `sh -c` strings do not count."""
        count = 0
        for cmd in self.ctx.shell(ins).commands:
            if cmd.program not in _TESTS and "sh -c" not in cmd.context:
                count += 1
                if count > 1:
                    return False
        return True

    def _fix(self, first, second) -> Fix | None:
        for ins in (first, second):
            if ins.flags or ins.heredocs or ins.json is not None or ins.args_range is None:
                return None
            script = self.ctx.shell(ins)
            if script.errors or not script.commands:
                return None
            if any(c.depth == 0 and c.separator_before not in (None, "&&", "\n") for c in script.commands):
                return None
        df = self.ctx.df
        lines = df.lines
        commands = self.ctx.shell(first).commands
        if first.args_text[max(c.end for c in commands):].strip():
            return None  # a trailing comment or `&` would swallow the join
        if not posix_shell(self.ctx, second):
            return None
        comments = []  # comment lines between the two RUNs move into the joined RUN, above its command
        for line in range(first.range.end.line + 1, second.range.start.line):
            text = lines.line_text(line).rstrip("\r\n")
            if not text.strip():
                continue
            if _PRAGMA.match(text):
                return None  # an ignore pragma for the second RUN would lose its instruction
            comments.append(text + "\n")
        line_start = lines.line_starts[first.range.start.line]
        indent = df.text[line_start : first.range.start_offset]
        if indent.strip():
            indent = ""
        moved = df.text[second.args_range.start_offset : second.args_range.end_offset]
        joined = f" {df.escape}\n{''.join(comments)}{indent}    && {moved}"
        head = commands[0]
        changes_shell = not head.words or (head.program in _SHELL_STATE)
        return Fix(
            title=f"Join this RUN to the RUN on line {first.line + 1}",
            edits=[Edit(first.args_range.end_offset, second.args_range.end_offset, joined)],
            applicability=UNSAFE if changes_shell else SAFE,
        )


def _flags(ins) -> list[tuple[str, str | None]]:
    return sorted((f.name.lower(), f.value) for f in ins.flags)
