from dockerls.rules.base import WARNING, Rule
from dockerls.rules.dockerfile._packages import RUN_KEYWORDS, run_of
from dockerls.rules.dockerfile._rpm import DNF, actions, asks_confirmation, has_yes, insert_flag_fix, verb_range


class DnfMissingYes(Rule):
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
    instructions = RUN_KEYWORDS
    fixable = True

    def check(self, ins):
        run = run_of(ins)
        if run is None:
            return None
        out = []
        for action in actions(self.ctx, run, DNF):
            if asks_confirmation(action) and not has_yes(action):
                out.append(self.finding(
                    verb_range(self.ctx, run, action),
                    f"Use the -y switch to avoid manual input `{action.program} {action.verb} -y ...`: without "
                    "it the command waits for a confirmation the build cannot give, and the RUN fails",
                    fix=insert_flag_fix(self.ctx, run, action.last_verb_word, "-y"),
                ))
        return out
