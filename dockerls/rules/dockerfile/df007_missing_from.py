from dockerls.rules.base import ERROR, Rule


class MissingFrom(Rule):
    """The Dockerfile has `ARG`s but no `FROM`.

    ## Why
    Every build stage starts with `FROM`; without one there is no stage and BuildKit fails with
    "no build stage in current context".  (Any other instruction before the first `FROM`, or in a
    file without one, is DL3061's, as in hadolint, which reads a file without `FROM` as a snippet.)

    ## Example
    ```Dockerfile
    ARG VERSION=1.0
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
        if df.instructions and not df.stages and all(ins.keyword == "ARG" for ins in df.instructions):
            first = df.instructions[0]
            yield self.finding(first.keyword_range, "The Dockerfile has no FROM instruction: there is no build stage")
