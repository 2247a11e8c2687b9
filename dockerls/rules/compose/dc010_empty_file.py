from dockerls.parse.compose import problems
from dockerls.rules.base import ERROR
from dockerls.rules.compose._base import ProblemRule


class EmptyFile(ProblemRule):
    """The Compose file is empty.

    ## Why
    Compose refuses an empty file ("empty compose file").  A file with only comments counts as
    empty too.

    ## Example
    A `compose.override.yaml` created as a placeholder with nothing in it.

    ## Fix
    Add at least `services: {}`, or delete the file.
    """

    code = problems.EMPTY_FILE
    name = "empty-file"
    severity = ERROR
