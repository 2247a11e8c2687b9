from dockerls.rules.base import WARNING
from dockerls.rules.dockerfile._rpm import DNF, MissingYesRule


class DnfMissingYes(MissingYesRule):
    """`dnf install` / `microdnf install` (or another command that changes packages) without `-y`.

    ## Why
    Without `-y`, dnf asks "Is this ok [y/N]" before it changes anything.  A build has no
    terminal to answer, so the question is answered with end-of-input and the RUN fails.

    Checked for `dnf`, `dnf5` and `microdnf`: `install`, `groupinstall`, `localinstall`,
    `reinstall`, `update`/`upgrade`, `remove`/`erase`, `autoremove`, `downgrade`, `distro-sync`,
    `swap`, and the changing actions of `dnf module ...` (`enable`, `install`, `reset`, ...) and
    `dnf group ...`.

    ## Example
    ```Dockerfile
    FROM fedora:40
    RUN dnf install httpd-2.4.62
    ```

    ## Fix
    Add `-y` (or `--assumeyes`).  The quick fix writes `-y` right after the subcommand; it is safe.

    ## Compared with hadolint
    hadolint checks `install`, `groupinstall` and `localinstall` of `dnf` and `microdnf`;
    dockerls also the other subcommands that prompt, and `dnf5`.  dockerls also reads commands
    behind `sudo` and inside `sh -c "..."`.
    """

    code = "DL3038"
    name = "dnf-missing-yes"
    severity = WARNING
    scope = "stage"
    per_instruction = True
    tool = DNF
