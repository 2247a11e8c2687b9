from dockerls.rules.base import WARNING, Rule
from dockerls.rules.dockerfile._instructions import is_absolute, parent_stage, sources_and_dest


class CopyRelativeWithoutWorkdir(Rule):
    """`COPY` or `ADD` to a relative destination before any `WORKDIR` in the stage.

    ## Why
    A relative destination lands in the working directory of the base image: `/` for most
    images, something else for others, and it may change between versions of the base image.
    `COPY . .` right after `FROM` spreads the build context over the image's root directory.

    A `WORKDIR` in the stage, or in a stage it is built `FROM`, fixes the directory.  Destinations
    starting with a variable are not reported.

    ## Example
    ```Dockerfile
    FROM node:22-slim
    COPY . .
    ```

    ## Fix
    Set the directory first (`WORKDIR /app`), or use an absolute destination.

    ## Compared with hadolint
    hadolint checks `COPY` only; `ADD` has the same problem, so dockerls checks both.
    """

    code = "DL3045"
    name = "copy-relative-without-workdir"
    severity = WARNING
    instructions = frozenset({"COPY", "ADD", "WORKDIR"})

    def __init__(self, ctx):
        super().__init__(ctx)
        self.has_workdir: dict[int, bool] = {}  # stage index -> a WORKDIR was set (here or in a parent)

    def _stage_has_workdir(self, index: int) -> bool:
        known = self.has_workdir.get(index)
        if known is None:
            # Through every level: a stage built FROM a stage built FROM one with a WORKDIR has it
            # too, even when the stage between holds no WORKDIR, COPY or ADD of its own.
            parent = parent_stage(self.ctx.df, index) if index >= 0 else None
            known = parent is not None and self._stage_has_workdir(parent)
            self.has_workdir[index] = known
        return known

    def check(self, ins):
        index = ins.stage_index  # -1 before any FROM: checked as hadolint does, a stage without WORKDIR
        if ins.keyword == "WORKDIR":
            self.has_workdir[index] = True
            return None
        if self._stage_has_workdir(index):
            return None
        _, dest = sources_and_dest(ins)
        if dest is None or is_absolute(dest.value):
            return None
        return [self.finding(dest.range, f"`{ins.keyword}` to a relative destination without `WORKDIR` set: "
                             f"'{dest.value}' is relative to the base image's working directory")]
