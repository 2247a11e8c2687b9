from __future__ import annotations

from dockerls.rules.base import ERROR
from dockerls.rules.run._base import RunRule


class UnreadableFile(RunRule):
    """A file named on the command line cannot be read: it is not a regular file, it is too
    large, or reading it failed.

    ## Why
    Reading a FIFO waits for a writer that never comes, and `/dev/zero` never ends; a huge file
    exhausts memory.  dockerls reads only regular files, up to 16 MiB, and says so for any other:
    the other files are still checked, and `dockerls check` exits with 2 (a path it could not read).

    ## Example
    `dockerls check Dockerfile.fifo` where `Dockerfile.fifo` is a named pipe, or
    `dockerls check /dev/zero`.

    ## Fix
    Name regular files.  A Dockerfile on standard input is checked with `dockerls check -`.
    """

    code = "DLS002"
    name = "unreadable-file"
    severity = ERROR
