from dockerls.rules.base import WARNING, Rule
from dockerls.rules.dockerfile._packages import RUN_KEYWORDS, run_of
from dockerls.rules.dockerfile._rpm import YUM, actions, asks_confirmation, has_yes, insert_flag_fix, verb_range


class YumMissingYes(Rule):
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
    instructions = RUN_KEYWORDS
    fixable = True

    def check(self, ins):
        run = run_of(ins)
        if run is None:
            return None
        out = []
        for action in actions(self.ctx, run, YUM):
            if asks_confirmation(action) and not has_yes(action):
                out.append(self.finding(
                    verb_range(self.ctx, run, action),
                    f"Use the -y switch to avoid manual input `yum {action.verb} -y ...`: without it yum "
                    "waits for a confirmation the build cannot give, and the RUN fails",
                    fix=insert_flag_fix(self.ctx, run, action.last_verb_word, "-y"),
                ))
        return out
