from dockerls.parse.compose import problems
from dockerls.rules.base import ERROR
from dockerls.rules.compose._base import ProblemRule


class SchemaViolation(ProblemRule):
    """The file does not follow the Compose Specification.

    ## Why
    Compose validates every file against the Compose Specification's JSON Schema and refuses one
    that does not match: an unknown key (often a typo: `enviroment`), a value of the wrong type
    (a list where a mapping is expected), a name with characters Compose does not allow.

    ## Example
    ```yaml
    services:
      web:
        image: nginx:1.27
        enviroment:
          DEBUG: "1"
    ```

    ## Fix
    Follow the message: rename the key (a close match is suggested), or change the value's form.
    """

    code = problems.SCHEMA
    name = "schema"
    severity = ERROR
