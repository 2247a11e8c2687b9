from dockerls.rules.base import WARNING, Rule
from dockerls.rules.dockerfile._packages import RUN_KEYWORDS, run_of
from dockerls.rules.dockerfile._rpm import ZYPPER, ZYPPER_CHANGES, actions, insert_flag_fix, verb_range


class ZypperMissingYes(Rule):
    """A `zypper` command that changes packages without `-y` / `--non-interactive`.

    ## Why
    zypper asks before it installs, removes or upgrades.  A build has no terminal to answer, so
    the question gets no reply and the RUN fails (or, worse, waits).

    Checked: `install`/`in`, `remove`/`rm`, `source-install`/`si`, `patch`, `update`/`up`,
    `dist-upgrade`/`dup`, `install-new-recommends`/`inr` and `verify`/`ve`.

    ## Example
    ```Dockerfile
    FROM opensuse/leap:15.6
    RUN zypper install curl=8.6.0
    ```

    ## Fix
    Add `-y` after the subcommand or the global `--non-interactive` (`-n`) before it.  The quick
    fix writes `--non-interactive` right after `zypper`, which every subcommand accepts; it is safe.

    ## Compared with hadolint
    hadolint checks `install`, `remove`, `source-install` and `patch`; dockerls also `update`,
    `dist-upgrade`, `install-new-recommends` and `verify`.  dockerls also reads commands behind
    `sudo` and inside `sh -c "..."`.
    """

    code = "DL3034"
    name = "zypper-missing-yes"
    severity = WARNING
    scope = "stage"
    per_instruction = True
    instructions = RUN_KEYWORDS
    fixable = True

    def check(self, ins):
        run = run_of(ins)
        if run is None:
            return None
        out = []
        for action in actions(self.ctx, run, ZYPPER):
            cmd = action.call.cmd
            if action.verb not in ZYPPER_CHANGES or cmd.has_any_flag("-y", "--no-confirm", "-n", "--non-interactive"):
                continue
            out.append(self.finding(
                verb_range(self.ctx, run, action),
                f"Non-interactive switch missing from `zypper` command: `zypper {action.verb} -y` (or "
                "`zypper --non-interactive ...`); without it zypper waits for an answer the build cannot give",
                fix=insert_flag_fix(self.ctx, run, cmd.words[0], "--non-interactive"),
            ))
        return out
