from dockerls.parse.dockerfile import problems
from dockerls.rules.base import ERROR
from dockerls.rules.dockerfile._problem import ParseProblemRule


class SyntaxError_(ParseProblemRule):
    """An instruction that BuildKit cannot parse.

    ## Why
    The build stops at the first such line: `ENV` without a value, a `key=value` list with a word
    that has no `=`, an exec-form array whose elements are not strings, an instruction without its
    arguments, `FROM` with a stray word, a parser directive given twice.

    ## Example
    ```Dockerfile
    FROM busybox
    ENV PATH
    CMD ["echo", ["nested"]]
    ```

    ## Fix
    Follow the message: give ENV a value (`ENV PATH=/usr/bin`), make exec-form arrays lists of
    strings, remove the duplicate directive.
    """

    code = problems.SYNTAX
    name = "syntax-error"
    severity = ERROR
