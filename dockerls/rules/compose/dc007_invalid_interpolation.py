from dockerls.parse.compose import problems
from dockerls.rules.base import ERROR
from dockerls.rules.compose._base import ProblemRule


class InvalidInterpolation(ProblemRule):
    """A `${...}` that is not a valid substitution.

    ## Why
    Compose substitutes `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`,
    `${VAR?error}`, `${VAR:+alternative}` and `${VAR+alternative}`; anything else after `${` (a
    missing `}`, a name starting with a digit, `:=`) makes Compose refuse the file.  A literal
    dollar sign is written `$$`.

    ## Example
    ```yaml
    services:
      web:
        image: nginx:1.27
        command: echo ${1}
    ```

    ## Fix
    Write `$${1}` for a literal `${1}` (shell expansion inside the container), or correct the
    variable name and operator.
    """

    code = problems.INVALID_INTERPOLATION
    name = "invalid-interpolation"
    severity = ERROR
