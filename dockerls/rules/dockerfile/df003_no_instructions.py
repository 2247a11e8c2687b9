from dockerls.parse.dockerfile import problems
from dockerls.rules.base import ERROR
from dockerls.rules.dockerfile._problem import ParseProblemRule


class NoInstructions(ParseProblemRule):
    """The Dockerfile is empty or holds only comments.

    ## Why
    BuildKit refuses such a file ("file with no instructions"): there is nothing to build.

    ## Example
    ```Dockerfile
    # TODO
    ```

    ## Fix
    Add a `FROM` and the build steps, or delete the file.
    """

    code = problems.NO_INSTRUCTIONS
    name = "no-instructions"
    severity = ERROR
