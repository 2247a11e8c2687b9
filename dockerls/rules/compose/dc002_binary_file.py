from dockerls.parse.compose import problems
from dockerls.rules.base import ERROR
from dockerls.rules.compose._base import ProblemRule


class BinaryFile(ProblemRule):
    """The file holds NUL bytes: it is binary, not a Compose file.

    ## Why
    A Compose file is UTF-8 text.  A file saved as UTF-16, or a binary file with a Compose name,
    cannot be read; nothing else is checked in it.

    ## Example
    `compose.yaml` saved by an editor as UTF-16 starts with `FF FE` and has a NUL after every
    ASCII character.

    ## Fix
    Save the file as UTF-8.
    """

    code = problems.BINARY_FILE
    name = "binary-file"
    severity = ERROR
