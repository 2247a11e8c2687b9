from dockerls.parse.compose import problems
from dockerls.rules.base import ERROR
from dockerls.rules.compose._base import ProblemRule


class ImportConflict(ProblemRule):
    """An included file defines a service or resource the project already defines.

    ## Why
    `include` imports whole sub-projects; Compose refuses a service, volume, network, secret or
    config that is defined both by the including project and an included one (unlike `-f`, which
    merges them).

    ## Example
    ```yaml
    include:
      - db/compose.yaml   # defines the service `db`
    services:
      db:
        image: postgres:17
    ```

    ## Fix
    Rename one of them, or override the included definition with an extra `-f` file instead.
    """

    code = problems.IMPORT_CONFLICT
    name = "include-conflict"
    severity = ERROR
