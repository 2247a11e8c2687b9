from dockerls.rules.base import ERROR, Rule
from dockerls.rules.dockerfile._instructions import stage_index_of


class CopyFromOwnStage(Rule):
    """`COPY --from` names the stage it is in.

    ## Why
    A stage cannot copy from itself: it does not exist yet while it is being built.  The builder
    fails with a circular dependency.  Usually a stage was renamed or copied and the `--from` not
    updated.

    ## Example
    ```Dockerfile
    FROM golang:1.23 AS build
    COPY --from=build /src /src
    ```

    ## Fix
    Copy from the stage that produces the files, or use a plain `COPY` from the build context.

    ## Compared with hadolint
    Stage names match case-insensitively, and `--from=<index>` of the current stage is reported
    too.
    """

    code = "DL3023"
    name = "copy-from-own-stage"
    severity = ERROR
    scope = "stage"
    instructions = frozenset({"COPY"})

    def check(self, ins):
        flag = ins.flag("from")
        if flag is None or not flag.value or ins.stage_index < 0:
            return None
        # The stage's own FROM comes before this COPY, so it resolves like an earlier stage.
        if stage_index_of(self.ctx.df, flag.value, ins) != ins.stage_index:
            return None
        return [self.finding(flag.value_range or flag.range,
                             f"`COPY --from` cannot reference its own `FROM` alias: '{flag.value}' is the stage "
                             "this COPY is in")]
