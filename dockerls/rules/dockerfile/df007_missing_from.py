from dockerls.rules.base import ERROR, Rule


class MissingFrom(Rule):
    """The Dockerfile has instructions but no `FROM`.

    ## Why
    Every build stage starts with `FROM`; without one there is no stage and BuildKit fails with
    "no build stage in current context".  (When a FROM exists but comes too late, DL3061 reports
    the instructions before it instead.)

    ## Example
    ```Dockerfile
    ARG VERSION=1.0
    RUN make
    ```

    ## Fix
    Start the build stage with `FROM <image>:<tag>`.
    """

    code = "DF007"
    name = "missing-from"
    severity = ERROR
    instructions = frozenset()

    def finish(self):
        df = self.ctx.df
        if df.instructions and not df.stages:
            first = df.instructions[0]
            yield self.finding(first.keyword_range, "The Dockerfile has no FROM instruction: there is no build stage")
