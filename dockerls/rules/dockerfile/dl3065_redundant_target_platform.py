import re

from dockerls.finding import SAFE, Edit, Fix
from dockerls.rules.base import WARNING, Rule

TARGETPLATFORM = re.compile(r"\$(?:TARGETPLATFORM|\{TARGETPLATFORM\})")
_TRAILING_BLANKS = re.compile(r"[ \t]+")


class RedundantTargetPlatform(Rule):
    """`FROM --platform=$TARGETPLATFORM`: that is already the default.

    ## Why
    A stage's base image is pulled for the target platform unless told otherwise, so the flag
    says nothing.  It suggests to readers that something special happens with platforms here.

    ## Example
    ```Dockerfile
    FROM --platform=$TARGETPLATFORM alpine:3.20
    ```

    ## Fix
    Remove the flag.  The quick fix does (safe).

    ## Compared with hadolint
    Same check, except when a global `ARG TARGETPLATFORM=...` gives it a default: the flag then
    changes the platform and is not reported (hadolint reports it).
    """

    code = "DL3065"
    name = "redundant-target-platform"
    severity = WARNING
    scope = "stage"
    instructions = frozenset({"FROM"})
    buildkit_check = "RedundantTargetPlatform"
    tags = ("unnecessary",)

    def check(self, ins):
        flag = ins.flag("platform")
        if flag is None or not flag.value or not TARGETPLATFORM.fullmatch(flag.value):
            return None
        if any(p.key == "TARGETPLATFORM" and p.value for a in self.ctx.df.global_args for p in a.pairs):
            return None
        text = self.ctx.df.text
        end = flag.range.end_offset
        blanks = _TRAILING_BLANKS.match(text, end)
        end = blanks.end() if blanks else end
        return [self.finding(flag.range, "Setting `FROM --platform` to predefined `$TARGETPLATFORM` is redundant "
                             "as this is the default behavior",
                             fix=Fix("Remove the redundant --platform flag", [Edit(flag.range.start_offset, end, "")],
                                     SAFE))]
