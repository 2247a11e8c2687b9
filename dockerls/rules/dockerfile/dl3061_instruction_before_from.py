from dockerls.rules.base import ERROR, Rule


class InstructionBeforeFrom(Rule):
    """An instruction other than `ARG` comes before the first `FROM`.

    ## Why
    Only `ARG` (and comments and parser directives) may precede the first `FROM`; BuildKit rejects
    anything else.  A common cause is a `LABEL` or `ENV` moved to the top of the file.

    ## Example
    ```Dockerfile
    LABEL org.opencontainers.image.authors="me@example.com"
    FROM alpine:3.20
    ```

    ## Fix
    Move the instruction below `FROM`.

    ## Compared with hadolint
    Same code and meaning.  When a file has no `FROM` at all, dockerls reports DF007
    (missing-from) once instead of this rule.
    """

    code = "DL3061"
    name = "instruction-before-from"
    severity = ERROR
    scope = "stage"

    def check(self, ins):
        if ins.stage_index >= 0 or ins.keyword == "ARG" or not self.ctx.df.stages:
            return None
        if any(p.keyword not in ("ARG",) for p in self.ctx.previous):
            return None  # reported once, at the first offending instruction
        return [self.finding(ins.keyword_range, "Invalid instruction order: the Dockerfile must begin with FROM, "
                             f"ARG or a comment, not {ins.keyword}")]
