from dockerls.rules.base import WARNING, Rule
from dockerls.rules.dockerfile._packages import RUN_KEYWORDS, run_of
from dockerls.rules.dockerfile._rpm import (
    ZYPPER, ZYPPER_CACHES, ZYPPER_DOWNLOADS, cleanup_fix, missing_cleanup, verb_range,
)


def _downloads(action) -> bool:
    return action.verb in ZYPPER_DOWNLOADS


class ZypperCleanMissing(Rule):
    """A RUN installs with `zypper` and leaves zypper's cache behind.

    ## Why
    zypper keeps repository metadata (and, depending on the configuration, packages) under
    `/var/cache/zypp`.  Whatever is still there when the RUN ends is stored in the layer.
    Cleaning up in a later RUN does not help: the bytes stay in the earlier layer.

    A cleanup counts when it comes after the last install of the RUN: `zypper clean` (`cc`) or
    `rm -rf /var/cache/zypp/*`.  A RUN whose `--mount=type=cache` (or tmpfs) covers
    `/var/cache/zypp` is fine.

    ## Example
    ```Dockerfile
    FROM opensuse/leap:15.6
    RUN zypper --non-interactive install curl=8.6.0
    ```

    ## Fix
    End the RUN with `zypper clean --all`.  The quick fix appends `&& zypper clean --all` when
    the install is the RUN's last command; it is safe.

    ## Compared with hadolint
    hadolint accepts a cleanup anywhere after the first install; dockerls wants it after the
    last one.  dockerls also counts `update`, `dist-upgrade`, `patch`, `source-install` and
    `install-new-recommends` as filling the cache, accepts `rm -rf /var/cache/zypp/*`, and reads
    `sudo` and `sh -c "..."`.
    """

    code = "DL3036"
    name = "zypper-clean-missing"
    severity = WARNING
    scope = "stage"
    instructions = RUN_KEYWORDS
    fixable = True

    def check(self, ins):
        run = run_of(ins)
        if run is None:
            return None
        action = missing_cleanup(self.ctx, run, ZYPPER, ZYPPER_CACHES, _downloads, (ZYPPER,))
        if action is None:
            return None
        return [self.finding(
            verb_range(self.ctx, run, action),
            f"`zypper clean` missing after zypper use: the cache that `zypper {action.verb}` fills stays in "
            "the layer",
            fix=cleanup_fix(self.ctx, run, action, "zypper clean --all"),
        )]
