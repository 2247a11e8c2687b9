from __future__ import annotations

import traceback

from dockerls.finding import Finding
from dockerls.rules.base import ERROR
from dockerls.rules.run._base import RunRule


class InternalError(RunRule):
    """dockerls failed while checking this file: a bug in dockerls, not in the file.

    ## Why
    A check that crashes must not pass for a clean file, nor take the other files down with it.
    The failure becomes this finding on the file where it happened; every other file (and every
    other rule on this one) is still checked.  `dockerls check` exits with 2 when any file has it,
    whatever the failure threshold or `--no-fail` say, so CI notices.

    ## Example
    A rule that raised an exception on an input it did not expect:
    `DLS000 dockerls failed here (IndexError in dl3009_delete_apt_lists.py:131, rule DL3009) ...`

    ## Fix
    Please report it to the dockerls project with the file (or the smallest part of it that still
    fails) and the message.  Until it is fixed, `# dockerls ignore=<rule>` or `ignore:` in the
    configuration turns the failing rule off.
    """

    code = "DLS000"
    name = "internal-error"
    severity = ERROR

    @classmethod
    def of(cls, path: str | None, error: BaseException, rule: str | None = None) -> Finding:
        """The finding for ``error`` raised while checking ``path`` (in ``rule``, when one rule failed).

        The message names the exception's type and where it was raised, never its text: an
        exception's text may quote what it was looking at (a value from the environment, a line
        of a file outside the checked folder)."""
        where = _where(error)
        what = f"{type(error).__name__}{f' in {where}' if where else ''}{f', rule {rule}' if rule else ''}"
        extra = f"; the findings of rule {rule} are missing" if rule else "; its other findings are missing"
        return cls.at_start(path, f"dockerls failed here ({what}){extra}. This is a bug in dockerls: "
                                  "please report it with this file")


def _where(error: BaseException) -> str:
    """``module.py:line`` of the innermost frame inside dockerls."""
    frames = traceback.extract_tb(error.__traceback__)
    for frame in reversed(frames):
        parts = frame.filename.replace("\\", "/").split("/")
        if "dockerls" in parts[:-1]:
            return f"{parts[-1]}:{frame.lineno}"
    return f"{frames[-1].filename.replace(chr(92), '/').rsplit('/', 1)[-1]}:{frames[-1].lineno}" if frames else ""
