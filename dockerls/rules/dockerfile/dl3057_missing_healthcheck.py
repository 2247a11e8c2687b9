from dockerls.rules.base import INFO, Rule
from dockerls.rules.dockerfile._instructions import final_stages, parent_stage


class MissingHealthcheck(Rule):
    """The image has no `HEALTHCHECK`.

    ## Why
    Without a health check, Docker and Swarm only know whether the process runs, not whether it
    answers.  A hung server stays "up".  (Kubernetes ignores `HEALTHCHECK` and uses its own
    probes, which is why this rule is off by default.)

    Only stages that become images are checked: the last stage and stages no other stage uses.
    A `HEALTHCHECK` in a stage the image is built `FROM` counts, and `HEALTHCHECK NONE` counts
    as a deliberate choice.

    ## Example
    ```Dockerfile
    FROM nginx:1.27
    COPY site/ /usr/share/nginx/html/
    ```

    ## Fix
    Add one: `HEALTHCHECK CMD curl -fsS http://localhost/ || exit 1`.

    ## Compared with hadolint
    Off by default in both.  hadolint reports every stage, build stages that are only copied from
    included; dockerls only the stages that end up as images.
    """

    code = "DL3057"
    name = "missing-healthcheck"
    severity = INFO
    status = "off-by-default"
    instructions = frozenset({"HEALTHCHECK"})

    def __init__(self, ctx):
        super().__init__(ctx)
        self.stages_with_healthcheck: set[int] = set()

    def check(self, ins):
        self.stages_with_healthcheck.add(ins.stage_index)

    def finish(self):
        df = self.ctx.df
        for index in final_stages(df):
            stage, seen = index, set()
            while stage is not None and stage not in seen and stage not in self.stages_with_healthcheck:
                seen.add(stage)
                stage = parent_stage(df, stage)
            if stage is not None and stage in self.stages_with_healthcheck:
                continue
            from_ins = df.stages[index].from_instruction
            rng = from_ins.image.range if from_ins.image else from_ins.keyword_range
            yield self.finding(rng, "`HEALTHCHECK` instruction missing: nothing tells Docker whether the container "
                               "built from this stage works")
