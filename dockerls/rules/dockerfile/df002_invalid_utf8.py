from dockerls.parse.dockerfile import problems
from dockerls.rules.base import WARNING
from dockerls.rules.dockerfile._problem import ParseProblemRule


class InvalidUtf8(ParseProblemRule):
    """The file is not valid UTF-8; undecodable bytes were read as U+FFFD.

    ## Why
    BuildKit reads Dockerfiles as UTF-8.  Bytes from another encoding (Latin-1 in a LABEL, say)
    end up in image metadata as garbage, and positions in the editor no longer match.

    ## Example
    A LABEL written with a Latin-1 `é` (byte `E9`).

    ## Fix
    Re-save the file as UTF-8.
    """

    code = problems.INVALID_UTF8
    name = "invalid-utf8"
    severity = WARNING
