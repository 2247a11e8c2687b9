from dockerls.rules.base import WARNING, Rule
from dockerls.rules.dockerfile._packages import RUN_KEYWORDS, run_of
from dockerls.rules.dockerfile._rpm import ZYPPER, actions, verb_range


class ZypperDistUpgrade(Rule):
    """`zypper dist-upgrade` (`zypper dup`) in a build.

    ## Why
    A distribution upgrade may move the whole system to the packages of another release:
    vendor changes, removed packages, a different libc.  Done in a build it makes the image
    depend on the day it was built, and it is the base image's job.  Upgrading single packages
    (`zypper update` / `zypper patch`) keeps within the release.

    ## Example
    ```Dockerfile
    FROM opensuse/leap:15.6
    RUN zypper --non-interactive dup
    ```

    ## Fix
    Use a newer base image instead, or `zypper patch` / `zypper update` for fixes within the
    release.

    ## Compared with hadolint
    dockerls also reads `ONBUILD RUN`, commands behind `sudo` and inside `sh -c "..."`.
    """

    code = "DL3035"
    name = "zypper-dist-upgrade"
    severity = WARNING
    scope = "stage"
    per_instruction = True
    instructions = RUN_KEYWORDS

    def check(self, ins):
        run = run_of(ins)
        if run is None:
            return None
        return [
            self.finding(verb_range(self.ctx, run, action),
                         f"Do not use `zypper {action.verb}`: it upgrades the whole distribution at build time; "
                         "use a newer base image, or `zypper patch` for updates within the release")
            for action in actions(self.ctx, run, ZYPPER) if action.verb in ("dist-upgrade", "dup")
        ]
