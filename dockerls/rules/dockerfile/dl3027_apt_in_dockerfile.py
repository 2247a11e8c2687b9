from dockerls.finding import UNSAFE, Edit, Fix
from dockerls.rules.base import WARNING, Rule
from dockerls.rules.dockerfile._packages import APT, RUN_KEYWORDS, calls, run_of, word_range

# apt subcommands that apt-get has under the same name.
_SAME_IN_APT_GET = frozenset({"install", "reinstall", "remove", "purge", "update", "upgrade", "autoremove", "clean",
                              "autoclean", "source", "build-dep", "download", "satisfy", "distclean", "dist-clean"})


class AptInDockerfile(Rule):
    """`apt` in a RUN: it is meant for people at a terminal, not for scripts.

    ## Why
    `apt` is the interactive front end: its output (progress bars, colours, columns) and even its
    behaviour may change between releases, and it warns "apt does not have a stable CLI interface.
    Use with caution in scripts."  `apt-get` and `apt-cache` do the same work with a stable
    interface.

    ## Example
    ```Dockerfile
    FROM ubuntu:24.04
    RUN apt update && apt install -y curl
    ```

    ## Fix
    Use `apt-get` (`update`, `install`, `remove`...) or `apt-cache` (`search`, `show`, `policy`).
    The quick fix replaces `apt` with `apt-get` for the subcommands apt-get has.  It is unsafe:
    some defaults differ (`apt upgrade` installs new dependencies, `apt-get upgrade` holds them
    back).

    ## Compared with hadolint
    dockerls also finds `apt` behind `sudo` and inside `sh -c "..."`.
    """

    code = "DL3027"
    name = "apt-in-dockerfile"
    severity = WARNING
    scope = "stage"
    instructions = RUN_KEYWORDS
    fixable = True

    def check(self, ins):
        run = run_of(ins)
        if run is None:
            return None
        found = []
        for call in calls(self.ctx, run, APT):
            program = call.cmd.words[0]
            if call.cmd.program != "apt":
                continue
            rng = word_range(self.ctx, run, program)
            fix = None
            verb = call.verb.value if call.verb else None
            if verb in _SAME_IN_APT_GET and run.json is None and program.raw == program.value:
                fix = Fix("Use apt-get", [Edit(rng.end_offset, rng.end_offset, "-get")], UNSAFE)
            found.append(self.finding(
                rng, "Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead",
                fix=fix))
        return found
