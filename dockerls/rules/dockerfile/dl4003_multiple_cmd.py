from dockerls.rules.base import WARNING
from dockerls.rules.dockerfile._last_one_wins import LastOneWinsRule


class MultipleCmd(LastOneWinsRule):
    """More than one `CMD` in a stage: only the last takes effect.

    ## Why
    An image has one default command.  Earlier `CMD` lines are dead code that readers take for
    real, and often a sign that two commands were meant to run (use a script or a process manager
    for that, or better, one process per container).

    ## Example
    ```Dockerfile
    FROM python:3.12-slim
    CMD ["python", "migrate.py"]
    CMD ["gunicorn", "app:app"]
    ```

    ## Fix
    Keep one `CMD`.

    ## Compared with hadolint
    hadolint reports the later `CMD`s; dockerls reports the ones that are ignored (all but the
    last) and points at the effective one as related information.
    """

    code = "DL4003"
    name = "multiple-cmd"
    severity = WARNING
    instructions = frozenset({"CMD"})
    tags = ("unnecessary",)
    keyword = "CMD"
    buildkit_check = "MultipleInstructionsDisallowed"
