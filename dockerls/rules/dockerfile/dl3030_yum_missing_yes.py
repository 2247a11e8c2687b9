from dockerls.rules.base import WARNING
from dockerls.rules.dockerfile._rpm import YUM, MissingYesRule


class YumMissingYes(MissingYesRule):
    """`yum install` (or another yum command that changes packages) without `-y`.

    ## Why
    Without `-y`, yum asks "Is this ok [y/N]" before it changes anything.  A build has no
    terminal to answer, so yum reads end-of-input, answers no and the RUN fails.

    Checked: `install`, `groupinstall`, `localinstall`, `reinstall`, `update`/`upgrade`,
    `remove`/`erase`, `autoremove`, `downgrade`, `distro-sync`, `swap`, and the changing actions of
    `yum module ...` and `yum group ...`.

    ## Example
    ```Dockerfile
    FROM centos:7
    RUN yum install httpd-2.4.6
    ```

    ## Fix
    Add `-y` (or `--assumeyes`).  The quick fix writes `-y` right after the subcommand; it is safe.

    ## Compared with hadolint
    hadolint checks `install`, `groupinstall` and `localinstall` only; dockerls also the other
    subcommands that prompt.  dockerls also reads commands behind `sudo` and inside `sh -c "..."`.
    """

    code = "DL3030"
    name = "yum-missing-yes"
    severity = WARNING
    scope = "stage"
    per_instruction = True
    tool = YUM
