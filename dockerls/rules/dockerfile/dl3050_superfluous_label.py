from dockerls.rules.base import INFO, Rule
from dockerls.rules.dockerfile._labels import has_variables, label_schema


class SuperfluousLabel(Rule):
    """A `LABEL` key that is not in the label schema, with `strict-labels` on.

    Only runs when `strict-labels: true` is configured.  With an empty schema every label is
    superfluous.

    ## Why
    A strict label schema keeps image metadata uniform across a team's images: no private
    spellings (`version` next to `org.opencontainers.image.version`), no forgotten experiments.

    ## Example
    With `label-schema: {org.opencontainers.image.version: semver}` and `strict-labels: true`:
    ```Dockerfile
    FROM alpine:3.20
    LABEL version=1.0.0
    ```

    ## Fix
    Use the schema's label, or add the new label to the schema.

    ## Compared with hadolint
    hadolint reports the `LABEL` instruction once ("Superfluous label(s) present."); dockerls
    reports each extra key by name.  Keys built from variables are not checked.
    """

    code = "DL3050"
    name = "superfluous-label"
    severity = INFO
    scope = "stage"
    instructions = frozenset({"LABEL"})

    def __init__(self, ctx):
        super().__init__(ctx)
        self.known = set(label_schema(ctx.config))

    def check(self, ins):
        if not self.ctx.config.strict_labels:
            return None
        escape = self.ctx.df.escape
        return [
            self.finding(p.key_range, f"Superfluous label `{p.key}` present: it is not in the label schema "
                         "(strict-labels)")
            for p in ins.pairs if p.key not in self.known and not has_variables(p.key, escape)
        ]
