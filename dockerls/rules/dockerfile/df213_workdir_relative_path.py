import re

from dockerls.parse.dockerfile.scope import values_of
from dockerls.parse.dockerfile.variables import expand, find_refs
from dockerls.rules.base import WARNING, Rule

_WINDOWS_ABSOLUTE = re.compile(r"[A-Za-z]:[\\/]|\\\\")


class WorkdirRelativePath(Rule):
    """The first `WORKDIR` of a stage is a relative path.

    ## Why
    A relative `WORKDIR` is resolved against the working directory of the base image, which
    the base image's maintainers may change at any time (and which differs between images).
    The first `WORKDIR` of a stage should say where the stage works: an absolute path.  Later
    relative `WORKDIR`s build on it and are fine.  A stage built `FROM` an earlier stage
    continues that stage's `WORKDIR`.

    ## Example
    ```Dockerfile
    FROM node:22
    WORKDIR app
    ```

    ## Fix
    Use an absolute path: `WORKDIR /app`.

    ## Compared with hadolint
    Related to DL3000 ("Use absolute WORKDIR"), which reports every relative `WORKDIR` but does
    not expand variables.  This check follows BuildKit: only the first `WORKDIR` of a stage
    lineage, after expanding the ARG/ENV it uses (a path from a variable whose value is not
    known, such as the base image's `$GOPATH`, is not reported).  When DL3000 reports the same
    `WORKDIR`, this finding is left out (one finding, not two).
    """

    code = "DF213"
    name = "workdir-relative-path"
    severity = WARNING
    scope = "stage"
    instructions = frozenset({"WORKDIR"})
    buildkit_check = "WorkdirRelativePath"
    superseded_by = ("DL3000",)

    def __init__(self, ctx):
        super().__init__(ctx)
        self.set_in: set[int] = set()  # stages where a WORKDIR ran

    def check(self, ins):
        stage = ins.stage_index
        if stage < 0 or stage in self.set_in:
            return None
        self.set_in.add(stage)
        if self._inherits_workdir(stage):
            return None
        path = self._expanded(ins)
        if path is None or path.startswith("/") or _WINDOWS_ABSOLUTE.match(path):
            return None
        rng = ins.args_range or ins.keyword_range
        return [self.finding(rng, f'Relative workdir "{path}" can have unexpected results if the base image changes')]

    def _inherits_workdir(self, stage_index: int) -> bool:
        df = self.ctx.df
        seen = set()
        while stage_index not in seen:
            seen.add(stage_index)
            image = df.stages[stage_index].from_instruction.image
            if image is None or image.has_variables or image.tag or image.digest or image.registry:
                return False
            parent = df.stage_by_name(image.raw)
            if parent is None or parent.index >= stage_index:
                return False
            if parent.index in self.set_in:
                return True
            stage_index = parent.index
        return False

    def _expanded(self, ins) -> str | None:
        """The path with known variables expanded; None when it depends on an unknown value."""
        text = ins.words[0].value if len(ins.words) == 1 else ins.args_text.strip()
        refs = find_refs(text, self.ctx.df.escape)
        if not refs:
            return text
        scope = self.ctx.variables(ins)
        if any(scope.get(r.name) is None or scope[r.name].value is None for r in refs if r.operator is None):
            return None
        return expand(text, values_of(scope), self.ctx.df.escape)
