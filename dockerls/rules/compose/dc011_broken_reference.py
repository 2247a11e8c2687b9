from dockerls.parse.compose import problems
from dockerls.rules.base import ERROR
from dockerls.rules.compose._base import ProblemRule


class BrokenReference(ProblemRule):
    """An `include` or `extends` that cannot be followed.

    ## Why
    Compose loads included files and the services that `extends` names before anything else; a
    missing file, a service that does not exist, or a loop (a service extending itself through
    others, a file including itself) stops it.

    ## Example
    ```yaml
    services:
      web:
        extends:
          file: common.yaml
          service: webapp   # common.yaml defines `web-app`
    ```

    ## Fix
    Correct the path or the service name; break the loop.
    """

    code = problems.BROKEN_REFERENCE
    name = "broken-reference"
    severity = ERROR
