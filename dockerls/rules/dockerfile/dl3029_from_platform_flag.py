from dockerls.rules.base import WARNING, Rule

ALLOWED_VARIABLES = ("BUILDPLATFORM", "TARGETPLATFORM")


class FromPlatformFlag(Rule):
    """`FROM --platform=` pins the platform of a base image.

    ## Why
    A fixed platform (`--platform=linux/amd64`) makes the image build for that platform whatever
    the build was asked for: on an arm64 machine or in a multi-platform build the result runs
    under emulation, or not at all.  `--platform=$BUILDPLATFORM` for a cross-compiling build
    stage is the intended use and is not reported (`$TARGETPLATFORM` is redundant and reported
    by DL3065).

    ## Example
    ```Dockerfile
    FROM --platform=linux/amd64 python:3.12-slim
    ```

    ## Fix
    Remove `--platform` and choose the platform at build time (`docker build --platform ...`).
    """

    code = "DL3029"
    name = "from-platform-flag"
    severity = WARNING
    scope = "stage"
    instructions = frozenset({"FROM"})

    def check(self, ins):
        flag = ins.flag("platform")
        if flag is None or not flag.value:
            return None
        if "$" in flag.value and any(v in flag.value for v in ALLOWED_VARIABLES):
            return None
        return [self.finding(flag.range, f"Do not use --platform flag with FROM: '{flag.value}' overrides the "
                             "platform the build is run for")]
