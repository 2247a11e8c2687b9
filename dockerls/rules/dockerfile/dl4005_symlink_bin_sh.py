from dockerls.rules.base import WARNING, Rule
from dockerls.rules.dockerfile._packages import RUN_KEYWORDS, run_of

SHELL_PATHS = frozenset({"/bin/sh"})


class SymlinkBinSh(Rule):
    """A `RUN` replaces `/bin/sh` with a symlink (`ln -sf /bin/bash /bin/sh`) to change the shell.

    ## Why
    Swapping `/bin/sh` changes the shell of every script and program in the image that calls
    `sh`, not only of the Dockerfile's `RUN` lines, and it breaks when the base image's `/bin/sh`
    is managed by the package manager.  The `SHELL` instruction changes the shell of the
    Dockerfile's own `RUN`, `CMD` and `ENTRYPOINT` shell forms, and nothing else.

    ## Example
    ```Dockerfile
    FROM debian:bookworm-slim
    RUN ln -sf /bin/bash /bin/sh
    ```

    ## Fix
    `SHELL ["/bin/bash", "-o", "pipefail", "-c"]`.

    ## Compared with hadolint
    hadolint reports `ln` with `/bin/sh` anywhere in its arguments, also as the link target
    (`ln -s /bin/sh /usr/local/bin/sh`, which leaves `/bin/sh` alone); dockerls only when
    `/bin/sh` is the link being created.  dockerls also looks inside `sh -c "..."`.  Like
    hadolint, `ONBUILD RUN` is checked.
    """

    code = "DL4005"
    name = "symlink-bin-sh"
    severity = WARNING
    scope = "stage"
    per_instruction = True
    instructions = RUN_KEYWORDS

    def check(self, ins):
        run = run_of(ins)
        if run is None:
            return None
        if "/bin/sh" not in run.args_text and not any("/bin/sh" in h.body for h in run.heredocs):
            return None  # cheap test first: most RUNs never mention it
        out = []
        for cmd in self.ctx.shell(run).commands:
            cmd = cmd.unwrapped()
            if cmd.program != "ln":
                continue
            target = cmd.flag_value("-t", "--target-directory")
            positional = cmd.positional("-t", "--target-directory", "-S", "--suffix")
            if target is not None or len(positional) < 2 or positional[-1].value not in SHELL_PATHS:
                continue
            link = positional[-1]
            out.append(self.finding(self.ctx.shell_range(run, link.start, link.end),
                                    "Use SHELL to change the default shell: this replaces /bin/sh for every program "
                                    "in the image"))
        return out
