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
    Same code and meaning, also in a file without any `FROM` (a snippet: hadolint reports this
    rule there too, and dockerls' other rules check its instructions as one stage).  hadolint
    reports every instruction before the first `FROM`; dockerls the first one.
    """

    code = "DL3061"
    name = "instruction-before-from"
    severity = ERROR
    scope = "stage"

    def check(self, ins):
        if ins.stage_index >= 0 or ins.keyword == "ARG":
            return None
        if any(p.keyword not in ("ARG",) for p in self.ctx.previous):
            return None  # reported once, at the first offending instruction
        return [self.finding(ins.keyword_range, "Invalid instruction order: the Dockerfile must begin with FROM, "
                             f"ARG or a comment, not {ins.keyword}")]
