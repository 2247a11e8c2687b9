from dockerls.parse.dockerfile import problems
from dockerls.rules.base import ERROR
from dockerls.rules.dockerfile._problem import ParseProblemRule


class BinaryFile(ParseProblemRule):
    """The file holds NUL bytes: it is a binary file, not a Dockerfile.

    ## Why
    A Dockerfile is text.  A binary file named like one (an image layer, a compiled artefact, a file
    saved in UTF-16) cannot be built; nothing else is checked in it.

    ## Example
    A `Dockerfile` saved by an editor as UTF-16 starts with `FF FE` and has a NUL after every ASCII
    character.

    ## Fix
    Save the file as UTF-8, or exclude the binary file from the check.
    """

    code = problems.BINARY_FILE
    name = "binary-file"
    severity = ERROR
