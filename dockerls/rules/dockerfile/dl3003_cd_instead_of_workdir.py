from dockerls.finding import UNSAFE, Edit, Fix
from dockerls.rules.base import WARNING, Rule
from dockerls.rules.dockerfile._packages import word_range
from dockerls.rules.dockerfile._rpm import mentions, posix_shell

_UNSAFE_PATH_CHARS = frozenset("*?[~$\\\"' \t")


class CdInsteadOfWorkdir(Rule):
    """A RUN changes directory with `cd`.

    ## Why
    `cd` lasts only until the end of its RUN, so the next RUN, `COPY` or `CMD` is back in the
    previous directory, which is easy to overlook when reading the Dockerfile.  `WORKDIR` sets
    the directory for every instruction that follows, creates it when missing, and shows up in
    the image configuration.

    `cd` inside `sh -c "..."` / `su -c "..."` strings is not reported: such a string often runs
    as another user or in a login shell, where `WORKDIR` is no replacement.

    ## Example
    ```Dockerfile
    FROM golang:1.23
    RUN cd /src && go build ./...
    ```

    ## Fix
    ```Dockerfile
    WORKDIR /src
    RUN go build ./...
    ```
    The quick fix does exactly this for a RUN that starts with `cd /absolute/dir && ...` and
    changes directory nowhere else.  It is unsafe: the new `WORKDIR` also applies to all later
    instructions of the stage (relative `COPY` destinations, `CMD`, other RUNs), and it creates
    the directory where `cd` would have failed.

    ## Compared with hadolint
    Like hadolint, the RUN is reported once, and `ONBUILD RUN` and `sh -c` strings are not
    checked.
    """

    code = "DL3003"
    name = "cd-instead-of-workdir"
    severity = WARNING
    scope = "stage"
    per_instruction = True
    instructions = frozenset({"RUN"})
    fixable = True

    def check(self, ins):
        if not mentions(self.ctx, ins, ("cd",)):
            return None
        script = self.ctx.shell(ins)
        cds = [c for c in script.commands if c.program == "cd" and "sh -c" not in c.context]
        if not cds:
            return None
        cd = cds[0]
        target = cd.args[0] if len(cd.args) == 1 else None
        rng = word_range(self.ctx, ins, cd.words[0])
        if cd.args:
            end = word_range(self.ctx, ins, cd.words[-1])
            if end.end_offset > rng.start_offset:
                rng = self.ctx.df.lines.range(rng.start_offset, end.end_offset)
        fix = self._fix(ins, script, cd) if len(cds) == 1 else None
        message = "Use WORKDIR to switch to a directory"
        if target is not None and target.value.startswith("/") and not target.has_expansion:
            message += f": `WORKDIR {target.value}` instead of `cd`"
        return [self.finding(rng, message, fix)]

    def _fix(self, ins, script, cd) -> Fix | None:
        """``RUN cd /abs && rest`` -> ``WORKDIR /abs`` + ``RUN rest``."""
        if ins.json is not None or ins.heredocs or script.errors or script.commands[0] is not cd:
            return None
        if cd.depth or cd.in_pipeline or cd.assignments or cd.redirects or len(cd.words) != 2:
            return None
        path = cd.words[1]
        if path.quoted or path.has_expansion or not path.value.startswith("/") or _UNSAFE_PATH_CHARS & set(path.value):
            return None
        text = ins.args_text
        pos = cd.end
        while pos < len(text) and text[pos] in " \t":
            pos += 1
        if not text.startswith("&&", pos):
            return None
        pos += 2
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        if pos >= len(text) or not posix_shell(self.ctx, ins):
            return None
        df = self.ctx.df
        line_start = df.lines.line_starts[ins.range.start.line]
        indent = df.text[line_start : ins.range.start_offset]
        if indent.strip():
            return None
        keyword = "workdir" if ins.keyword_text.islower() else "WORKDIR"
        at = ins.range.start_offset
        return Fix(
            title=f"Use WORKDIR {path.value} instead of cd",
            edits=[Edit(at, at, f"{keyword} {path.value}\n{indent}"),
                   Edit(ins.doc_offset(cd.start), ins.doc_offset(pos), "")],
            applicability=UNSAFE,
        )
