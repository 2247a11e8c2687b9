from dockerls.rules.base import WARNING, Rule
from dockerls.rules.dockerfile._packages import RUN_KEYWORDS, run_of, word_range
from dockerls.rules.dockerfile._rpm import ZYPPER, actions, unpinned, zypper_pinned


class ZypperPinVersions(Rule):
    """`zypper install` of a package without a version.

    ## Why
    An unpinned package is whatever the repository holds on the day of the build.  Two builds
    of the same Dockerfile then differ, and an update can break the image without any change
    to the Dockerfile.

    A package is pinned with a version condition: `curl=8.6.0`, `'curl>=8'`, `curl<9`.  Local
    files and URLs (`/tmp/x.rpm`) are a fixed version.  Patterns, patches and products
    (`-t pattern ...`, `pattern:devel_basis`) have no version and are not checked.  Variables are
    expanded with the ARG/ENV values known at that point; a word whose value is only known at
    build time is not judged.

    ## Example
    ```Dockerfile
    FROM opensuse/leap:15.6
    RUN zypper --non-interactive install curl && zypper clean --all
    ```

    ## Fix
    Name the version: `zypper --non-interactive install curl=8.6.0`.

    ## Compared with hadolint
    hadolint reports the RUN once; dockerls each unpinned package.  hadolint also reports
    patterns and the values of flags (`-t pattern`, `--from repo`).  dockerls also reads `sudo`
    and `sh -c "..."`.
    """

    code = "DL3037"
    name = "zypper-pin-versions"
    severity = WARNING
    scope = "stage"
    per_instruction = True
    instructions = RUN_KEYWORDS

    def check(self, ins):
        run = run_of(ins)
        if run is None:
            return None
        out = []
        for action in actions(self.ctx, run, ZYPPER):
            if action.verb not in ("install", "in"):
                continue
            kind = action.call.cmd.flag_value("-t", "--type")
            if kind is not None and kind != "package":
                continue
            for word, value in unpinned(self.ctx, run, action, zypper_pinned):
                out.append(self.finding(
                    word_range(self.ctx, run, word),
                    f"Specify version with `zypper install -y <package>=<version>`: `{value}` has no version",
                ))
        return out
