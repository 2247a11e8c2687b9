import re

from dockerls.finding import UNSAFE, Fix
from dockerls.rules.base import INFO, Rule
from dockerls.rules.dockerfile._packages import (
    APT, RUN_KEYWORDS, base_stage, calls, command_range, insert_after, run_of,
)

_INSTALL = frozenset({"install"})
# `-o APT::Install-Recommends=false`, or the same set in an apt.conf.d file by an earlier RUN.
_NO_RECOMMENDS = re.compile(r"(?i)Install-Recommends[\"'\s=]+(0|false|no|off)\b")


class AptNoInstallRecommends(Rule):
    """`apt-get install` without `--no-install-recommends`.

    ## Why
    By default apt installs each package's "recommended" packages too: documentation tools,
    extra libraries, sometimes whole toolchains the image never runs.  They make the image bigger,
    slower to pull, and add software to patch.

    Not reported when recommends are turned off another way: `-o APT::Install-Recommends=false`
    on the command, or an earlier RUN of the stage (or of the stage it is built `FROM`) that
    writes `APT::Install-Recommends "false";` into an apt configuration file.

    ## Example
    ```Dockerfile
    FROM debian:bookworm-slim
    RUN apt-get update && apt-get install -y curl
    ```

    ## Fix
    Add `--no-install-recommends` and name the packages you do need.  The quick fix inserts the
    flag after `install`.  It is unsafe: something in the image may rely on a package that only
    came in as a recommendation.

    ## Compared with hadolint
    hadolint only sees the flag or the `-o` option on the command itself.  dockerls also checks
    `apt install` and commands inside `sh -c "..."`, and accepts the setting made in an apt
    configuration file earlier in the stage.
    """

    code = "DL3015"
    name = "apt-no-install-recommends"
    severity = INFO
    instructions = RUN_KEYWORDS
    fixable = True
    # Its findings in a stage follow from that stage's RUNs and those of the stages it is built FROM.
    scope = "stage"

    def __init__(self, ctx):
        super().__init__(ctx)
        self._configured: set[int] = set()  # stages seen so far whose apt config turns recommends off
        self._bases_configured: dict[int, bool] = {}  # earlier stages, read when asked

    def check(self, ins):
        run = run_of(ins)
        if run is None:
            return None
        found = []
        for call in calls(self.ctx, run, APT, _INSTALL):
            cmd = call.cmd
            if cmd.has_any_flag("--no-install-recommends") or self._configured_before(ins, run, cmd.start):
                continue
            if any(_NO_RECOMMENDS.search(w.value) for w in cmd.args):
                continue
            edit = insert_after(self.ctx, run, call.verb, " --no-install-recommends")
            found.append(self.finding(
                command_range(self.ctx, run, cmd.words[0], call.verb),
                "Avoid additional packages by specifying `--no-install-recommends`: "
                f"`{cmd.program} install` also installs every recommended package",
                fix=Fix("Add --no-install-recommends", [edit], UNSAFE) if edit else None,
            ))
        if _setting_end(self.ctx, run) != _NONE and ins.stage_index >= 0:
            self._configured.add(ins.stage_index)
        return found

    def _configured_before(self, ins, run, offset: int) -> bool:
        if _setting_end(self.ctx, run) <= offset:
            return True
        stage = ins.stage_index
        if stage is not None and stage in self._configured:
            return True
        for _ in range(len(self.ctx.df.stages)):
            stage = base_stage(self.ctx.df, stage) if stage is not None and stage >= 0 else None
            if stage is None:
                return False
            if self._base_configured(stage):
                return True
        return False

    def _base_configured(self, index: int) -> bool:
        """Whether a RUN of stage ``index`` (one this stage is built on) turns recommends off: read
        from that stage's instructions, not from state kept while checking it (a stage rule may be
        run on one stage alone)."""
        known = self._bases_configured.get(index)
        if known is None:
            known = self._bases_configured[index] = any(
                (run := run_of(other)) is not None and _setting_end(self.ctx, run) != _NONE
                for other in self.ctx.df.stages[index].instructions)
        return known



_NONE = float("inf")


def _setting_end(ctx, run) -> float:
    """Where the first ``Install-Recommends=false`` of the RUN's script ends (infinity: none); found
    once per RUN text, not searched again for every ``apt-get install`` of it (that was quadratic)
    nor on every keystroke (the case-blind pattern is slow on long scripts)."""
    memo = ctx.run_facts(run).memo
    if _setting_end not in memo:
        ends = [m.end() for m in _NO_RECOMMENDS.finditer(ctx.shell(run).text)]
        memo[_setting_end] = min(ends, default=_NONE)
    return memo[_setting_end]
