import json

from dockerls.finding import UNSAFE, Edit, Fix
from dockerls.rules.base import WARNING, Rule

GLOB_CHARS = frozenset("*?[")
# Words that only mean something to a shell: the JSON form would try to run them as programs.
SHELL_ONLY = frozenset({
    ".", ":", "[", "[[", "{", "!", "alias", "case", "cd", "command", "eval", "exit", "export", "for", "function",
    "if", "local", "read", "readonly", "return", "set", "shift", "source", "trap", "ulimit", "umask", "unset",
    "until", "wait", "while",
})


class ShellFormCmd(Rule):
    """`CMD` or `ENTRYPOINT` in shell form (`CMD node server.js`) instead of JSON form.

    ## Why
    The shell form runs the command as `/bin/sh -c "..."`.  Unless that shell happens to replace
    itself with the program (some do for a single simple command, none do after `&&` or `;`),
    the shell is PID 1: `docker stop` sends SIGTERM to the shell, which does not pass it on, and
    the application is killed after the timeout instead of shutting down cleanly.  A shell-form
    `ENTRYPOINT` also ignores `CMD` and the arguments of `docker run`.  The JSON (exec) form runs
    the program directly.

    ## Example
    ```Dockerfile
    FROM node:22-slim
    CMD node server.js
    ```

    ## Fix
    Write `CMD ["node", "server.js"]`.  When a shell is really needed, say so:
    `CMD ["sh", "-c", "exec node server.js --port \\"$PORT\\""]` (`exec` hands PID 1 to the app).

    The quick fix rewrites a simple command (no pipes, `&&`, redirections, variables, globs or
    shell builtins) into the JSON form and drops a leading `exec`.  It is unsafe: the command no
    longer goes through a shell, a custom `SHELL` no longer applies, and an `ENTRYPOINT` then
    receives `CMD` as arguments.

    ## Compared with hadolint
    hadolint 2.15 also reports shell-form `HEALTHCHECK CMD`; dockerls does not, since a health
    check is not PID 1 and its shell form is fine.  Like hadolint (and unlike BuildKit's
    `JSONArgsRecommended`), a `SHELL` instruction does not silence the rule.
    """

    code = "DL3025"
    name = "shell-form-cmd"
    severity = WARNING
    scope = "stage"
    instructions = frozenset({"CMD", "ENTRYPOINT"})
    fixable = True

    def check(self, ins):
        if ins.json is not None or ins.args_range is None:
            return None
        return [self.finding(ins.args_range, f"Use arguments JSON notation for CMD and ENTRYPOINT arguments: this "
                             f"{ins.keyword} runs through /bin/sh -c, which may not forward signals to the program",
                             fix=self._fix(ins))]

    def _fix(self, ins) -> Fix | None:
        if ins.heredocs or ins.flags or _has_comment_inside(self.ctx.df, ins):
            return None
        script = self.ctx.shell(ins)
        if script.errors or len(script.commands) != 1:
            return None
        cmd = script.commands[0]
        text = ins.args_text
        if cmd.redirects or cmd.assignments or cmd.depth or text[cmd.start : cmd.end] != text.strip():
            return None
        words = cmd.words
        if words and words[0].value == "exec" and len(words) > 1 and not words[1].value.startswith("-"):
            words = words[1:]
        if not words or words[0].value in SHELL_ONLY:
            return None
        if any(w.has_expansion or _globs(w) for w in words):
            return None
        array = json.dumps([w.value for w in words], ensure_ascii=False)
        rng = ins.args_range
        return Fix(f"Rewrite {ins.keyword} in JSON form", [Edit(rng.start_offset, rng.end_offset, array)], UNSAFE)


def _globs(word) -> bool:
    value, raw = word.value, word.raw
    if value.startswith("~") and raw.startswith("~"):
        return True
    if not GLOB_CHARS & set(value):
        return False
    return not (len(raw) >= 2 and raw[0] in "'\"" and raw[-1] == raw[0])  # fully quoted: literal


def _has_comment_inside(df, ins) -> bool:
    rng = ins.range
    return rng.end.line > rng.start.line and any(
        c.in_continuation and rng.start_offset <= c.range.start_offset < rng.end_offset for c in df.comments)
