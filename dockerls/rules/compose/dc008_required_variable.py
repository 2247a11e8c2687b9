from dockerls.parse.compose import problems
from dockerls.rules.base import ERROR
from dockerls.rules.compose._base import ProblemRule


class RequiredVariable(ProblemRule):
    """A `${VAR:?message}` or `${VAR?message}` whose variable has no value.

    ## Why
    The `?` form makes a variable mandatory: Compose stops with the message when the variable is
    not set (`:?` also when it is empty).  Neither the environment dockerls runs in nor the `.env`
    file beside the Compose file sets it.

    ## Example
    ```yaml
    services:
      db:
        image: postgres:17
        environment:
          POSTGRES_PASSWORD: ${DB_PASSWORD:?set DB_PASSWORD in .env}
    ```

    ## Fix
    Set the variable in `.env` (for local use) or in the environment that runs Compose.
    """

    code = problems.REQUIRED_VARIABLE
    name = "required-variable-unset"
    severity = ERROR
