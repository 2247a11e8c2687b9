from dockerls.rules.base import WARNING, Rule

RESERVED = frozenset({"scratch", "context"})


class ReservedStageName(Rule):
    """A stage is named `scratch` or `context`, names the builder reserves.

    ## Why
    `scratch` is the empty image and `context` is the build context: `FROM scratch` and
    `COPY --from=context` mean those, not a stage of yours.  A stage with such a name cannot be
    referred to reliably.  Stage names are not case sensitive, so `AS Scratch` counts too.

    ## Example
    ```Dockerfile
    FROM alpine:3.20 AS scratch
    ```

    ## Fix
    Rename the stage.

    ## Compared with hadolint
    hadolint compares case-sensitively (`AS Scratch` passes); dockerls follows BuildKit's
    `ReservedStageName`, which lower-cases the name first.
    """

    code = "DL3063"
    name = "reserved-stage-name"
    severity = WARNING
    scope = "stage"
    instructions = frozenset({"FROM"})
    buildkit_check = "ReservedStageName"

    def check(self, ins):
        word = ins.stage_name
        if word is None or word.value.lower() not in RESERVED:
            return None
        return [self.finding(word.range, f"Stage name should not be a reserved word: '{word.value}' is the "
                             f"reserved stage name \"{word.value.lower()}\"")]
