from dockerls.parse.compose import problems
from dockerls.rules.base import ERROR
from dockerls.rules.compose._base import ProblemRule


class InvalidUtf8(ProblemRule):
    """The file is not valid UTF-8.

    ## Why
    Compose reads its files as UTF-8.  Bytes from another encoding (Latin-1, Windows-1252) are
    rejected or turn into replacement characters in values such as labels and commands.

    ## Example
    A label value `café` saved in Latin-1 holds the single byte `E9`.

    ## Fix
    Re-save the file as UTF-8.
    """

    code = problems.INVALID_UTF8
    name = "invalid-utf8"
    severity = ERROR
