from dockerls.rules.base import WARNING, Rule
from dockerls.rules.dockerfile._packages import APK, RUN_KEYWORDS, calls, pin_findings, run_of

_ADD = frozenset({"add"})


def _pinned(name: str) -> bool:
    # pkg=1.2-r0, pkg~1.2, pkg>1.2 (quoted), or a local .apk file
    return any(ch in name for ch in "=~<>") or name.endswith(".apk")


class PinApkVersions(Rule):
    """`apk add` of a package without a version.

    ## Why
    Without a version, `apk add` installs whatever the repository has on the day of the build, so
    two builds of the same Dockerfile can differ, and a rebuild can break without any change on
    your side.

    `name=version`, `name~version` (any release of that version), `name>version` and local `.apk`
    files count as pinned.  The name given to `--virtual`/`-t` is not a package.  Variables are
    expanded when their value is known (earlier in the same RUN, or ARG/ENV); values computed at
    build time (`$runDeps` from `scanelf`) are not reported.

    ## Example
    ```Dockerfile
    FROM alpine:3.20
    RUN apk add --no-cache curl
    ```

    ## Fix
    Name the version: `apk add --no-cache curl=8.9.1-r1`, or `curl~8.9` to accept fix releases.
    Alpine removes old package versions from its mirrors, so exact pins need updating when the
    base image moves to a new release.

    ## Compared with hadolint
    dockerls reports each unpinned package on its own word, accepts `<`/`>` constraints, and looks
    inside `sh -c "..."`.  hadolint reports variables whose value it can't see; dockerls doesn't.
    """

    code = "DL3018"
    name = "pin-apk-versions"
    severity = WARNING
    scope = "stage"
    per_instruction = True
    instructions = RUN_KEYWORDS

    def check(self, ins):
        run = run_of(ins)
        if run is None:
            return None
        return pin_findings(self, run, calls(self.ctx, run, APK, _ADD), _pinned, "Pin versions in apk add", "=")
