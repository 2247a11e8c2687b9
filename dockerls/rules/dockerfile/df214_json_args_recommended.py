from dockerls.rules.base import WARNING, Rule


class JSONArgsRecommended(Rule):
    """`CMD` or `ENTRYPOINT` in shell form, with no `SHELL` set for the stage.

    ## Why
    The shell form runs the command as `/bin/sh -c "..."`: the shell is process 1 of the
    container and does not pass `SIGTERM` on, so `docker stop` waits ten seconds and then kills
    the application without a clean shutdown.  The JSON (exec) form starts the program directly.
    A stage that chose its shell with `SHELL [...]` (here or in the stage it is built from)
    has decided how commands run and is not reported.

    ## Example
    ```Dockerfile
    FROM python:3.12-slim
    CMD gunicorn app:app
    ```

    ## Fix
    Use the JSON form: `CMD ["gunicorn", "app:app"]`.  If the command needs the shell (variables,
    `&&`), start it with `exec` so that the program replaces the shell, or use an init such as
    `tini`.

    ## Compared with hadolint
    Related to DL3025, which ignores `SHELL`.  When DL3025 reports the same instruction, this
    finding is left out (one finding, not two).  A `SHELL` set by the base image itself is not
    known to dockerls.
    """

    code = "DF214"
    name = "json-args-recommended"
    severity = WARNING
    scope = "stage"
    instructions = frozenset({"CMD", "ENTRYPOINT", "SHELL", "FROM"})
    buildkit_check = "JSONArgsRecommended"
    superseded_by = ("DL3025",)

    def __init__(self, ctx):
        super().__init__(ctx)
        self.has_shell: set[int] = set()

    def check(self, ins):
        stage = ins.stage_index
        if ins.keyword == "FROM":
            parent = self._parent(ins)
            if parent is not None and parent in self.has_shell:
                self.has_shell.add(stage)
            return None
        if ins.keyword == "SHELL":
            self.has_shell.add(stage)
            return None
        if ins.json is not None or ins.heredocs or not ins.args_text.strip() or stage in self.has_shell:
            return None
        rng = ins.args_range or ins.keyword_range
        return [self.finding(rng, f"JSON arguments recommended for {ins.keyword} to prevent unintended behavior "
                             "related to OS signals")]

    def _parent(self, ins) -> int | None:
        image = ins.image
        if image is None or image.has_variables or image.tag or image.digest or image.registry:
            return None
        parent = self.ctx.df.stage_by_name(image.raw)
        return parent.index if parent is not None and parent.index < ins.stage_index else None
