from dockerls.rules.base import WARNING, Rule
from dockerls.rules.dockerfile._packages import APT, RUN_KEYWORDS, calls, pin_findings, run_of

_INSTALL = frozenset({"install"})


def _pinned(name: str) -> bool:
    # pkg=1.2, a release (pkg/bookworm-backports), a local .deb or path
    return "=" in name or "/" in name or name.endswith(".deb")


class PinAptVersions(Rule):
    """`apt-get install` of a package without a version.

    ## Why
    Without a version, `apt-get install` takes whatever the package index offers on the day of the
    build.  Two builds of the same Dockerfile can then differ, and a rebuild may pull an update that
    breaks the image or the build, with no change in your files to point at.

    A package given as `name=version`, as `name/release`, or as a local `.deb` file counts as
    pinned.  A variable (`$buildDeps`) is looked up in the assignments earlier in the same RUN and
    in ARG/ENV; when its value can't be known (it is computed at build time, or set in the base
    image), it is not reported.

    ## Example
    ```Dockerfile
    FROM debian:bookworm-slim
    RUN apt-get update && apt-get install -y --no-install-recommends curl
    ```

    ## Fix
    Name the version: `apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u12`
    (`apt-cache policy curl` shows the candidates).  Pinning means updating the versions yourself
    when the distribution ships fixes; images that follow a stable release often accept the
    drift instead and turn this rule off.

    ## Compared with hadolint
    dockerls reports each unpinned package on its own word.  It also checks `apt install`, and
    commands inside `sh -c "..."` or behind `sudo`.  hadolint reports variables whose value it
    can't see (`$runDeps` computed in the RUN); dockerls expands the variables it knows and leaves
    the others alone.
    """

    code = "DL3008"
    name = "pin-apt-versions"
    severity = WARNING
    scope = "stage"
    per_instruction = True
    instructions = RUN_KEYWORDS

    def check(self, ins):
        run = run_of(ins)
        if run is None:
            return None
        found = calls(self.ctx, run, APT, _INSTALL)
        return pin_findings(self, run, found, _pinned, "Pin versions in apt get install", "=")
