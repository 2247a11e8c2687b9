from dockerls.rules.base import ERROR, Rule

FORBIDDEN = frozenset({"ONBUILD", "FROM", "MAINTAINER"})


class ForbiddenOnbuildTrigger(Rule):
    """`ONBUILD` with `ONBUILD`, `FROM` or `MAINTAINER` as its trigger.

    ## Why
    Builders refuse these triggers: chaining `ONBUILD ONBUILD` is not allowed, a trigger cannot
    start a new stage with `FROM`, and `MAINTAINER` is not allowed there either.  The image that
    uses this one as its base fails to build.

    ## Example
    ```Dockerfile
    FROM alpine:3.20
    ONBUILD FROM alpine:3.20
    ```

    ## Fix
    Remove the trigger, or write the instruction without `ONBUILD`.
    """

    code = "DL3043"
    name = "forbidden-onbuild-trigger"
    severity = ERROR
    scope = "stage"
    instructions = frozenset({"ONBUILD"})

    def check(self, ins):
        inner = ins.inner
        if inner is None or inner.keyword not in FORBIDDEN:
            return None
        return [self.finding(inner.keyword_range, f"`{inner.keyword}` triggered from within `ONBUILD`: ONBUILD, "
                             "FROM and MAINTAINER are not allowed as ONBUILD triggers")]
