from dockerls.parse.dockerfile.variables import find_refs
from dockerls.rules.base import INFO, Rule
from dockerls.rules.dockerfile._instructions import resolve_known


class NonNumericUser(Rule):
    """`USER` names the user instead of giving its numeric id.

    ## Why
    A user name is resolved through the image's `/etc/passwd` when the container starts; the host
    and orchestrators cannot do that.  Kubernetes' `runAsNonRoot` refuses a non-numeric user
    because it cannot tell whether the name is root, and volume ownership on the host is by
    number.

    ## Example
    ```Dockerfile
    FROM nginx:1.27
    USER nginx
    ```

    ## Fix
    Use the id: `USER 101` (or `USER 101:101`).  Look it up with `id nginx` in the image.

    A user given by a build argument (`ARG UID` ... `USER ${UID}`) is not reported: it is chosen
    at build time.  A user from an `ENV` is judged by its value.

    ## Compared with hadolint
    Same, except that dockerls expands an `ENV` variable with a known value and accepts it when
    it is numeric (hadolint reports every `ENV`-based user).
    """

    code = "DL3066"
    name = "non-numeric-user"
    severity = INFO
    scope = "stage"
    instructions = frozenset({"USER"})

    def check(self, ins):
        text = ins.args_text.strip()
        if not text or ins.args_range is None:
            return None
        user = text.split(":", 1)[0]
        value = user
        if "$" in user:
            if self._uses_arg(ins, user):
                return None  # a build argument: `--build-arg UID=1000` can make it numeric
            value = resolve_known(self.ctx, ins, user)
        if value is not None and value.isdigit():
            return None
        rng = ins.args_range
        if user and rng.start.line == rng.end.line:
            rng = self.ctx.df.lines.range(rng.start_offset, rng.start_offset + len(user))
        return [self.finding(rng, f"Non-numeric user-id may not be resolvable by host system: use the numeric id of "
                             f"'{user}'")]

    def _uses_arg(self, ins, text: str) -> bool:
        df = self.ctx.df
        scope = self.ctx.variables(ins)
        global_names = {p.key for a in df.global_args for p in a.pairs}
        for ref in find_refs(text, df.escape):
            var = scope.get(ref.name)
            if (var is not None and var.kind != "env") or (var is None and ref.name in global_names):
                return True
        return False
