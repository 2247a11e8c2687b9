from dockerls.rules.base import ERROR, Rule
from dockerls.rules.dockerfile._instructions import is_absolute


class RelativeWorkdir(Rule):
    """`WORKDIR` with a relative path: where it lands depends on the working directory before it.

    ## Why
    A relative `WORKDIR` is resolved against the current working directory, which comes from the
    base image or from an earlier `WORKDIR`.  When the base image changes its own working
    directory, files end up somewhere else and `COPY`, `RUN` and `CMD` silently work in the wrong
    place.

    Paths starting with a variable (`WORKDIR $HOME/app`) and Windows drive paths (`C:\\app`) are
    taken as absolute.

    ## Example
    ```Dockerfile
    FROM node:22-slim
    WORKDIR app
    ```

    ## Fix
    Use an absolute path: `WORKDIR /app`.

    ## Compared with hadolint
    Same check.  BuildKit's `WorkdirRelativePath` check is narrower: it only reports the first
    `WORKDIR` of a stage, after expanding variables.
    """

    code = "DL3000"
    name = "relative-workdir"
    severity = ERROR
    scope = "stage"
    instructions = frozenset({"WORKDIR"})

    def check(self, ins):
        if ins.args_range is None or is_absolute(ins.args_text.strip()):
            return None
        return [self.finding(ins.args_range, f"Use absolute WORKDIR: '{ins.args_text.strip()}' is relative to the "
                             "working directory of the base image or of an earlier WORKDIR")]
