from dockerls.rules.base import ERROR
from dockerls.rules.dockerfile._last_one_wins import LastOneWinsRule


class MultipleEntrypoint(LastOneWinsRule):
    """More than one `ENTRYPOINT` in a stage: only the last takes effect.

    ## Why
    As with `CMD`, an image has one entrypoint; the earlier ones are silently dropped.

    ## Example
    ```Dockerfile
    FROM alpine:3.20
    ENTRYPOINT ["/bin/init"]
    ENTRYPOINT ["/usr/bin/app"]
    ```

    ## Fix
    Keep one `ENTRYPOINT`.

    ## Compared with hadolint
    hadolint reports the later ones; dockerls reports the ignored ones and relates them to the
    effective one.
    """

    code = "DL4004"
    name = "multiple-entrypoint"
    severity = ERROR
    instructions = frozenset({"ENTRYPOINT"})
    tags = ("unnecessary",)
    keyword = "ENTRYPOINT"
    buildkit_check = "MultipleInstructionsDisallowed"
