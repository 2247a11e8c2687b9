from dockerls.parse.compose import problems
from dockerls.rules.base import STYLE
from dockerls.rules.compose._base import ProblemRule


class ImportConflict(ProblemRule):
    """An included file defines a service or resource that the project defines too.

    ## Why
    Compose 5 (compose-go 2.10 and later) merges the two: the including project's definition is
    merged over the included one, as an overlay file would be, and of two included files the
    first wins.  Compose 2 refused the project ("services.db conflicts with imported resource"),
    and many CI runners still have it: a project that overrides an included service loads on a
    laptop and fails in CI.  The same file included twice (or through two paths) is no conflict
    for either, and is not reported.

    ## Example
    ```yaml
    include:
      - db/compose.yaml   # defines the service `db`
    services:
      db:
        image: postgres:17
    ```

    ## Fix
    Nothing, when every place that runs the project has Compose 5.  Otherwise override the
    included definition with an extra `-f` file instead, or rename one of them.
    """

    code = problems.IMPORT_CONFLICT
    name = "include-conflict"
    severity = STYLE
