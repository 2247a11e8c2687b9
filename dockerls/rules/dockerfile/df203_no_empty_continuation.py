from dockerls.finding import SAFE, Edit, Fix
from dockerls.rules.base import WARNING, Rule


class NoEmptyContinuation(Rule):
    """A blank line inside an instruction continued with `\\`.

    ## Why
    The builder skips blank lines inside a continuation, so the instruction goes on after the
    blank line.  That reads wrongly: it looks like the instruction ended, and when the line
    after the blank one was meant to be a new instruction it silently becomes part of the
    previous one.  BuildKit warns about it and plans to make it an error.  (Comment lines inside
    a continuation are fine.)

    ## Example
    ```Dockerfile
    FROM debian:12
    RUN apt-get update && \\

        apt-get install -y curl
    ```

    ## Fix
    Remove the blank lines, or end the instruction before them.  The quick fix deletes the blank
    lines; it is safe, since the builder ignores them anyway.
    """

    code = "DF203"
    name = "no-empty-continuation"
    severity = WARNING
    instructions = frozenset()
    buildkit_check = "NoEmptyContinuation"
    fixable = True
    tags = ("deprecated",)

    def finish(self):
        for ins in self.ctx.df.instructions:
            finding = self._finding(ins) if ins.empty_continuation_lines else None
            if finding is not None:
                yield finding

    def _finding(self, ins):
        lines = self.ctx.df.lines
        text_end = len(self.ctx.df.text)
        # the empty "line" after a final newline is not a line of the file
        empty = [n for n in ins.empty_continuation_lines if lines.line_starts[n] < text_end]
        if not empty:
            return None
        first, last = empty[0], empty[-1]
        rng = lines.range(lines.line_starts[first], lines.line_end(last))
        edits = [Edit(lines.line_starts[n], lines.line_starts[n + 1], "")
                 for n in empty if n + 1 < lines.line_count]
        fix = Fix("Delete the empty continuation lines", edits, SAFE) if len(edits) == len(empty) else None
        where = f"line {first + 1}" if len(empty) == 1 else f"lines {', '.join(str(n + 1) for n in empty)}"
        return self.finding(rng, f"Empty continuation line ({where}) inside this {ins.keyword}: the "
                            "instruction goes on after it", fix=fix)
