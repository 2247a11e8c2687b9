import re

from dockerls.finding import SAFE, Fix
from dockerls.rules.base import WARNING, Rule
from dockerls.rules.dockerfile._packages import (
    PIP, RUN_KEYWORDS, calls, command_range, insert_after, mount_targets, run_of,
)

_INSTALL = frozenset({"install"})
_TRUTHY = frozenset({"1", "true", "yes", "on"})
_NO_CACHE_IN_RUN = re.compile(r"PIP_NO_CACHE_DIR=[\"']?(1|true|yes|on)\b", re.IGNORECASE)


class PipNoCacheDir(Rule):
    """`pip install` without `--no-cache-dir`: the download cache stays in the layer.

    ## Why
    pip keeps every wheel it downloads or builds under `~/.cache/pip`, so that the next install
    can reuse it.  In an image there is no next install: the cache only adds its megabytes (often
    as much as the installed packages) to the layer.

    Not reported when the cache is off or kept out of the layer another way: `PIP_NO_CACHE_DIR`
    set to a true value (ARG/ENV of the stage or of the stage it is built `FROM`, or in the RUN),
    or a cache/tmpfs mount on the pip cache directory (`--mount=type=cache,target=/root/.cache/pip`).

    ## Example
    ```Dockerfile
    FROM python:3.12-slim
    RUN pip install flask==3.0.3
    ```

    ## Fix
    Add `--no-cache-dir`, set `ENV PIP_NO_CACHE_DIR=1` once, or mount a build cache on
    `/root/.cache/pip` (fast rebuilds, nothing in the layer).  The quick fix inserts
    `--no-cache-dir` after `install`; it is safe: the same packages are installed.

    ## Compared with hadolint
    Same exceptions as hadolint.  dockerls also reads `sh -c "..."` strings and `sudo pip ...`.
    """

    code = "DL3042"
    name = "pip-no-cache-dir"
    severity = WARNING
    scope = "stage"
    instructions = RUN_KEYWORDS
    fixable = True

    def check(self, ins):
        run = run_of(ins)
        if run is None:
            return None
        found = []
        for call in calls(self.ctx, run, PIP, _INSTALL):
            if call.has_flag("--no-cache-dir") or self._cache_off(run):
                continue
            edit = insert_after(self.ctx, run, call.verb, " --no-cache-dir")
            found.append(self.finding(
                command_range(self.ctx, run, call.cmd.words[0], call.verb),
                "Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`: "
                "the download cache would stay in the layer",
                fix=Fix("Add --no-cache-dir", [edit], SAFE) if edit else None,
            ))
        return found

    def _cache_off(self, run) -> bool:
        if _NO_CACHE_IN_RUN.search(self.ctx.shell(run).text):
            return True
        if any(t.endswith(("/.cache/pip", "/.cache")) for t in mount_targets(run)):
            return True
        var = self.ctx.variables(run).get("PIP_NO_CACHE_DIR")
        if var is None and run.stage_index < 0:  # a snippet without FROM: its ENVs still count
            values = [p.value for i in self.ctx.previous if i.keyword in ("ENV", "ARG") and i.stage_index < 0
                      for p in i.pairs if p.key == "PIP_NO_CACHE_DIR" and p.value is not None]
            return bool(values) and values[-1].strip("\"'").lower() in _TRUTHY
        return bool(var and var.value and var.value.strip("\"'").lower() in _TRUTHY)
