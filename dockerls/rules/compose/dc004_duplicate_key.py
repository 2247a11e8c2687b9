from dockerls.parse.compose import problems
from dockerls.rules.base import ERROR
from dockerls.rules.compose._base import ProblemRule


class DuplicateKey(ProblemRule):
    """A mapping holds the same key twice.

    ## Why
    Docker Compose refuses a file with a duplicate key ("mapping key already defined").  Many
    other YAML tools silently keep the last value, so the mistake often goes unnoticed in review:
    a second `environment:` or a service defined twice.

    ## Example
    ```yaml
    services:
      web:
        image: nginx:1.27
        ports: ["80:80"]
        ports: ["8080:80"]
    ```

    ## Fix
    Keep one of the keys and merge what the two held.
    """

    code = problems.DUPLICATE_KEY
    name = "duplicate-key"
    severity = ERROR
