from dockerls.parse.compose import problems
from dockerls.rules.base import ERROR
from dockerls.rules.compose._base import ProblemRule


class NestingTooDeep(ProblemRule):
    """The document nests deeper than 64 levels.

    ## Why
    Compose files nest about eight levels deep.  Hundreds of nested brackets are a generated or
    hostile file; reading it further risks exhausting the stack of YAML readers, so dockerls stops.

    ## Example
    ```yaml
    x-deep: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]
    ```

    ## Fix
    Flatten the structure.
    """

    code = problems.NESTING_TOO_DEEP
    name = "nesting-too-deep"
    severity = ERROR
