from dockerls.parse.dockerfile.scope import global_args
from dockerls.parse.dockerfile.variables import expand
from dockerls.rules.base import WARNING, Rule
from dockerls.rules.dockerfile._buildkit import AUTOMATIC_VALUES, is_valid_reference


class InvalidDefaultArgInFrom(Rule):
    """With the default values of its ARGs, a `FROM` line names no valid image.

    ## Why
    `ARG VERSION` / `FROM busybox:$VERSION` works when the build passes `--build-arg VERSION=...`
    and breaks for everyone who builds without it: the image becomes `busybox:`, which is not
    a reference.  A default keeps the plain `docker build` working.

    ## Example
    ```Dockerfile
    ARG VERSION
    FROM busybox:$VERSION
    ```

    ## Fix
    Give the ARG a default (`ARG VERSION=1.36`), or write the reference so that it stays valid
    when the ARG is empty (`FROM busybox:stable${SUFFIX}`).
    """

    code = "DF208"
    name = "invalid-default-arg-in-from"
    severity = WARNING
    scope = "stage"
    instructions = frozenset({"FROM"})
    buildkit_check = "InvalidDefaultArgInFrom"

    def __init__(self, ctx):
        super().__init__(ctx)
        self.values = None

    def check(self, ins):
        image = ins.image
        if image is None or not image.has_variables:
            return None
        if self.values is None:
            self.values = dict(AUTOMATIC_VALUES)
            self.values.update({k: v.value for k, v in global_args(self.ctx.df).items() if v.value is not None})
        result = _unquote(expand(image.raw, self.values, self.ctx.df.escape))
        if is_valid_reference(result) or self.ctx.df.stage_by_name(result) is not None:
            return None
        shown = f"'{result}'" if result else "an empty name"
        return [self.finding(image.range, f"Default value for ARG {image.raw} results in empty or invalid base "
                             f"image name ({shown})")]


def _unquote(text: str) -> str:
    return text.replace('"', "").replace("'", "")
