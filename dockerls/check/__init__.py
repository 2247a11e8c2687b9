"""``dockerls check`` without the command line.

- :mod:`.run` — :func:`run` (:class:`CheckOptions` in, :class:`CheckResult` out): discovery,
  configuration, the result cache, parallel checking, fixes and the exit code; it prints nothing
- :mod:`.files` — one file's check (:func:`lint_text`, :func:`check_file`, :class:`FileResult`), and
  the Dockerfiles that compose files build

The command line (:func:`dockerls.cli.main`) turns arguments into :class:`CheckOptions` and prints
the result through :mod:`dockerls.report`.
"""

from dockerls.check.files import FileResult, check_file, lint_text
from dockerls.check.run import CheckOptions, CheckResult, Fixed, run

__all__ = ["CheckOptions", "CheckResult", "FileResult", "Fixed", "check_file", "lint_text", "run"]
