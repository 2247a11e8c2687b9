from dockerls.parse.dockerfile import problems
from dockerls.rules.base import ERROR
from dockerls.rules.dockerfile._problem import ParseProblemRule


class UnknownInstruction(ParseProblemRule):
    """A line starts with a word that is not a Dockerfile instruction.

    ## Why
    BuildKit stops with "unknown instruction".  Most often it is a typo (`RNU`), or the second line
    of a command whose first line lost its trailing `\\`.

    ## Example
    ```Dockerfile
    FROM debian
    RUN apt-get update &&
        apt-get install -y curl
    ```

    ## Fix
    Correct the keyword, or restore the line continuation on the line above.
    """

    code = problems.UNKNOWN_INSTRUCTION
    name = "unknown-instruction"
    severity = ERROR
