from __future__ import annotations

from dockerls.rules.base import WARNING
from dockerls.rules.run._base import RunRule


class OutsideCheckedFolder(RunRule):
    """A file found in the checked folder is a symbolic link to a file outside it: not read.

    ## Why
    `dockerls check .` runs on repositories just cloned, on pull requests from strangers, and the
    language server on whatever folder an editor opens.  A symbolic link committed to such a
    repository (`Dockerfile -> ~/.config/gh/hosts.yml`) would make dockerls read a file of the
    machine it runs on and quote it in its messages (`Unknown instruction: ghp_...`), in a report
    that CI may publish.  So a link that leaves the folder being checked is not followed; this
    finding says so.  `--fix` does not write through such a link either.

    Files that the checked files name (a Compose `include`, `extends` or `env_file`, a build
    context) are not read outside the checked folder for the same reason; those findings say so
    with the rule of the reference (DC011, DC111, DC113...).

    ## Example
    `Dockerfile -> ../../secrets/token.txt` in the repository.

    ## Fix
    Check the file where it lives (name it on the command line: a file named explicitly is
    always read), or copy it into the repository instead of linking it.
    """

    code = "DLS001"
    name = "outside-checked-folder"
    severity = WARNING
