import re

from dockerls.finding import SAFE, Fix
from dockerls.rules.base import WARNING, Rule
from dockerls.rules.dockerfile._packages import APT, RUN_KEYWORDS, calls, command_range, insert_after, run_of

# Subcommands that ask "Do you want to continue? [Y/n]", which aborts a build.
_PROMPTING = frozenset({"install", "upgrade", "dist-upgrade", "full-upgrade", "remove", "purge", "autoremove",
                        "build-dep", "reinstall"})
_ASSUME_YES = re.compile(r"(?i)APT::Get::Assume-Yes=(1|true|yes)")


def _quiet_level(cmd) -> int:
    """How many times ``-q``/``--quiet`` is given: ``-qq``, ``-q -q`` and ``--quiet --quiet`` are 2."""
    level = 0
    for word in cmd.words[1:]:
        value = word.value
        if value == "--":
            break
        if value == "--quiet":
            level += 1
        elif len(value) > 1 and value[0] == "-" and value[1] != "-" and "=" not in value:
            level += value.count("q")
    return level


def _answers_yes(call) -> bool:
    cmd = call.cmd
    if cmd.has_any_flag("-y", "--yes", "--assume-yes") or _quiet_level(cmd) >= 2:
        return True
    if (cmd.flag_value("-q", "--quiet") or "").lstrip("=") == "2":  # -q=2, --quiet=2
        return True
    if any(_ASSUME_YES.search(w.value) for w in cmd.args):
        return True
    return cmd.in_pipeline and cmd.pipeline_position > 0  # `yes | apt-get install ...`


class AptGetYes(Rule):
    """`apt-get install` (or another command that asks for confirmation) without `-y`.

    ## Why
    `apt-get` asks "Do you want to continue? [Y/n]" before installing extra dependencies or
    removing packages.  A build has no one to answer: apt-get reads end of input and aborts, and
    the build fails, sometimes only the day a new dependency appears.

    `-y`, `--yes`, `--assume-yes`, `-qq` (quiet level 2, also written `-q -q` or
    `--quiet --quiet`, implies `-y`) and
    `-o APT::Get::Assume-Yes=true` all answer yes.

    ## Example
    ```Dockerfile
    FROM debian:bookworm-slim
    RUN apt-get update && apt-get install curl
    ```

    ## Fix
    Add `-y`: `apt-get install -y curl`.  The quick fix inserts `-y` after the subcommand; it is
    safe, since without it the command could only succeed when apt-get had nothing to ask.

    ## Compared with hadolint
    hadolint checks `install` only, and takes a single `-q` as enough (it is not: only `-qq`
    implies `-y`).  dockerls also checks `upgrade`, `dist-upgrade`, `remove`, `purge`,
    `autoremove` and `build-dep`, `apt` as well as `apt-get`, and commands inside `sh -c "..."`.
    """

    code = "DL3014"
    name = "apt-get-yes"
    severity = WARNING
    scope = "stage"
    per_instruction = True
    instructions = RUN_KEYWORDS
    fixable = True

    def check(self, ins):
        run = run_of(ins)
        if run is None:
            return None
        found = []
        for call in calls(self.ctx, run, APT, _PROMPTING):
            if _answers_yes(call):
                continue
            program, verb = call.cmd.program, call.verb.value
            usage = f"{program} -y {verb} <package>" if verb == "install" else f"{program} -y {verb}"
            edit = insert_after(self.ctx, run, call.verb, " -y")
            found.append(self.finding(
                command_range(self.ctx, run, call.cmd.words[0], call.verb),
                f"Use the `-y` switch to avoid manual input `{usage}`: "
                "without it the build aborts when apt asks for confirmation",
                fix=Fix(f"Add -y to {program} {verb}", [edit], SAFE) if edit else None,
            ))
        return found
