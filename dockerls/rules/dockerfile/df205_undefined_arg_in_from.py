from dockerls.rules.base import WARNING, Rule
from dockerls.rules.dockerfile._buildkit import AUTOMATIC_ARGS, refs_at, suggest


class UndefinedArgInFrom(Rule):
    """A `FROM` line uses a variable that no global `ARG` declares.

    ## Why
    A `FROM` line only sees the ARGs declared before the first `FROM` (and BuildKit's automatic
    platform ARGs such as `BUILDPLATFORM` and `TARGETARCH`).  Anything else expands to an empty
    string: `FROM node:${NODE_VERSION}` without `ARG NODE_VERSION` at the top becomes
    `FROM node:`, and a misspelt `$BULIDPLATFORM` silently drops the platform.

    ## Example
    ```Dockerfile
    ARG VERSION=3.20
    FROM alpine:${VERISON}
    ```

    ## Fix
    Declare the ARG before the first `FROM` (`ARG NODE_VERSION=22`), or fix the name.  An ARG
    declared inside a stage does not count: stages do not share their ARGs with later `FROM` lines.
    """

    code = "DF205"
    name = "undefined-arg-in-from"
    severity = WARNING
    scope = "stage"
    instructions = frozenset({"FROM"})
    buildkit_check = "UndefinedArgInFrom"

    def __init__(self, ctx):
        super().__init__(ctx)
        self.declared = {p.key for ins in ctx.df.global_args for p in ins.pairs}

    def check(self, ins):
        df = self.ctx.df
        pieces = []
        if ins.image is not None and ins.image.has_variables:
            pieces.append((ins.image.raw, ins.image.range.start_offset))
        platform = ins.flag("platform")
        if platform is not None and platform.value and platform.value_range is not None:
            pieces.append((platform.value, platform.value_range.start_offset))
        out = []
        seen: set[str] = set()
        for text, base in pieces:
            for ref, start, end in refs_at(text, base, df.text, df.escape):
                name = ref.name
                if name in self.declared or name in AUTOMATIC_ARGS or name in seen:
                    continue
                seen.add(name)
                match = suggest(name, self.declared | AUTOMATIC_ARGS)
                hint = f" (did you mean {match}?)" if match else ""
                out.append(self.finding(df.lines.range(start, end), f"FROM argument '{name}' is not declared{hint}"))
        return out
