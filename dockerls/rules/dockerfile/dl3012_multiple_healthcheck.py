from dockerls.rules.base import ERROR
from dockerls.rules.dockerfile._last_one_wins import LastOneWinsRule


class MultipleHealthcheck(LastOneWinsRule):
    """More than one `HEALTHCHECK` in a stage: only the last takes effect.

    ## Why
    A container has one health check.  An earlier `HEALTHCHECK` is ignored, which is easy to miss
    when the two differ in interval or command.

    ## Example
    ```Dockerfile
    FROM nginx:1.27
    HEALTHCHECK CMD curl -f http://localhost/ || exit 1
    HEALTHCHECK --interval=10s CMD wget -qO- http://localhost/
    ```

    ## Fix
    Keep one `HEALTHCHECK`.

    ## Compared with hadolint
    hadolint reports the later ones; dockerls reports the ignored ones.
    """

    code = "DL3012"
    name = "multiple-healthcheck"
    severity = ERROR
    instructions = frozenset({"HEALTHCHECK"})
    tags = ("unnecessary",)
    keyword = "HEALTHCHECK"
    buildkit_check = "MultipleInstructionsDisallowed"
