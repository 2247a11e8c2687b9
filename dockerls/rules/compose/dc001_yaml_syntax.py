from dockerls.parse.compose import problems
from dockerls.rules.base import ERROR
from dockerls.rules.compose._base import ProblemRule


class YamlSyntax(ProblemRule):
    """The file is not valid YAML.

    ## Why
    Compose parses the file as YAML first; a syntax error stops every command (`up`, `config`,
    `build`).  Common causes: a tab used for indentation, an unclosed quote or bracket, a key
    indented differently from its siblings, an alias (`*name`) with no anchor (`&name`) before it.

    ## Example
    ```yaml
    services:
      web:
    <TAB>image: nginx:1.27    # <TAB>: a tab character
    ```

    ## Fix
    Correct the YAML at the reported position; indent with spaces only.
    """

    code = problems.YAML_SYNTAX
    name = "yaml-syntax"
    severity = ERROR
