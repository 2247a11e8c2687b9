from dockerls.rules.base import WARNING, Rule
from dockerls.rules.dockerfile._labels import label_schema


class EmptyLabel(Rule):
    """A label that the label schema requires is set to an empty value.

    Only runs when `label-schema` is configured.

    ## Why
    An empty value satisfies "the label is present" while carrying no information.  It is
    usually a build argument that CI forgot to pass (`LABEL org.opencontainers.image.revision=$REV`
    is checked after the fact; `LABEL org.opencontainers.image.revision=""` is caught here).

    ## Example
    With `label-schema: {org.opencontainers.image.revision: hash}`:
    ```Dockerfile
    FROM alpine:3.20
    LABEL org.opencontainers.image.revision=""
    ```

    ## Fix
    Give the label its value.

    ## Compared with hadolint
    For an empty value hadolint also reports the type rule (DL3052-DL3058) on the same label;
    dockerls reports the empty value once, here.
    """

    code = "DL3051"
    name = "empty-label"
    severity = WARNING
    scope = "stage"
    instructions = frozenset({"LABEL"})

    def __init__(self, ctx):
        super().__init__(ctx)
        self.schema = label_schema(ctx.config)

    def check(self, ins):
        if not self.schema:
            return None
        return [
            self.finding(p.range, f"Label `{p.key}` is empty: the label schema requires a {self.schema[p.key]} value")
            for p in ins.pairs if p.key in self.schema and not p.value
        ]
