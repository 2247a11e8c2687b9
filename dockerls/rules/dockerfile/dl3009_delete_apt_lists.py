from dockerls.finding import SAFE, UNSAFE, Fix
from dockerls.rules.base import INFO, Rule
from dockerls.rules.dockerfile._packages import (
    RUN_KEYWORDS, append_command, base_stage, cleanup_family, command_range, commands_of, install_family, layer_stages,
    mount_targets, run_of,
)

_LISTS = "/var/lib/apt/lists"
_UPDATERS = frozenset({"apt-get", "apt", "aptitude"})
_CLEANUP = "rm -rf /var/lib/apt/lists/*"
# Commands that read the lists: they fail (or find nothing) once the lists are gone.
_READERS = frozenset({"install", "reinstall", "upgrade", "dist-upgrade", "full-upgrade", "source", "build-dep",
                      "download", "policy", "show", "madison", "search", "depends", "rdepends"})


def _removes_lists(path: str) -> bool:
    """``rm`` of the lists, their contents, or a directory above them (``/var/lib/apt/*``)."""
    path = path.strip("\"'").rstrip("*").rstrip("/")
    return path.startswith(_LISTS) or (bool(path) and (_LISTS + "/").startswith(path + "/"))


def _cleans_lists(cmd) -> bool:
    program = cmd.program
    if program == "rm":
        return any(_removes_lists(w.value) for w in cmd.positional())
    if program == "find":
        return bool(cmd.args) and _removes_lists(cmd.args[0].value) and any(
            w.value in ("-delete", "-exec") for w in cmd.args)
    return program in _UPDATERS and cmd.subcommand in ("distclean", "dist-clean")


def _reads_lists(ctx, run) -> bool:
    for cmd in commands_of(ctx, run, *_UPDATERS, "apt-cache"):
        sub = cmd.subcommand
        if sub == "update":
            return False
        if sub in _READERS:
            return True
    return False


def _uncleaned_update(ctx, run):
    """The last ``apt-get update`` of ``run`` when no removal of the lists follows it, else None;
    found once per RUN text (the language server lints every RUN again on each keystroke)."""
    memo = ctx.run_facts(run).memo
    if _uncleaned_update not in memo:
        updates = [c for c in commands_of(ctx, run, *_UPDATERS) if c.subcommand == "update"]
        memo[_uncleaned_update] = updates[-1] if updates and _cleanup_at(ctx, run) <= updates[-1].start else None
    return memo[_uncleaned_update]


def _cleanup_at(ctx, run) -> int:
    """Offset of the last command of ``run`` that removes the lists, -1 if none."""
    found = [c.start for c in commands_of(ctx, run, "rm", "find", *_UPDATERS) if _cleans_lists(c)]
    return max(found, default=-1)


class DeleteAptLists(Rule):
    """`apt-get update` without removing `/var/lib/apt/lists` in the same RUN.

    ## Why
    `apt-get update` downloads the package index into `/var/lib/apt/lists`: tens of megabytes the
    running container never needs.  Deleted in the same RUN, they never reach a layer; deleted in
    a later RUN, they still weigh on every pull.  An image that keeps them also offers an old index:
    a later `apt-get install` without `update` may fail on packages that are gone from the mirror.

    Only stages that end up in an image are checked: the last stage, and stages that another stage
    is built `FROM`.  A RUN that mounts a cache or tmpfs on `/var/lib/apt` or `/var/lib/apt/lists`
    keeps the lists out of the layer and is not reported.

    ## Example
    ```Dockerfile
    FROM debian:bookworm-slim
    RUN apt-get update && apt-get install -y --no-install-recommends curl
    ```

    ## Fix
    End the RUN with `rm -rf /var/lib/apt/lists/*`:
    ```Dockerfile
    RUN apt-get update && apt-get install -y --no-install-recommends curl \\
        && rm -rf /var/lib/apt/lists/*
    ```
    The quick fix appends that command, in the layout the RUN already uses, so that it runs
    when the RUN got that far.  It is safe unless a later RUN of the stage (or of a stage built
    on it) runs `apt-get install` without its own `apt-get update`: that RUN would then find no
    lists, so there the fix is unsafe (add `apt-get update` to that RUN).

    ## Compared with hadolint
    hadolint accepts any `rm` with a `-rf` argument (`rm -rf /tmp/build` too) and rejects
    `rm -fr /var/lib/apt/lists` or `rm -r -f ...`; dockerls looks at what is removed, and also
    accepts `find /var/lib/apt/lists ... -delete` and `apt-get dist-clean` (the cleanup of the
    official Debian trixie images, which hadolint reports).  A removal that comes
    before the last `apt-get update` of the RUN does not count.  dockerls also reads
    `sh -c "..."` strings.  When a later RUN of the stage removes the lists, DF100
    (cleanup-in-separate-layer) reports that RUN instead.  hadolint reports `ONBUILD RUN` in any
    stage; dockerls applies the same stage filter as for other RUNs (a trigger in a stage nothing
    is built on never runs).
    """

    code = "DL3009"
    name = "delete-apt-lists"
    severity = INFO
    instructions = RUN_KEYWORDS
    fixable = True

    def __init__(self, ctx):
        super().__init__(ctx)
        self._image_stages = layer_stages(ctx.df)

    def check(self, ins):
        run = run_of(ins)
        if run is None or ins.stage_index not in self._image_stages:
            return None
        update = _uncleaned_update(self.ctx, run)
        if update is None:
            return None
        if any(t == "/var/lib/apt" or t.startswith(_LISTS) for t in mount_targets(run)):
            return None
        if ins is run and self._cleaned_later(ins):
            return None  # DF100 (cleanup in a separate layer) reports it, with a fix that merges the RUNs
        verb = next((w for w in update.words[1:] if w.value == "update"), None)
        edit = append_command(self.ctx, run, _CLEANUP)
        safety = UNSAFE if self._lists_read_later(ins) else SAFE
        return [self.finding(
            command_range(self.ctx, run, update.words[0], verb),
            "Delete the apt lists (/var/lib/apt/lists) after installing something: "
            f"end this RUN with `{_CLEANUP}`",
            fix=Fix("Remove /var/lib/apt/lists at the end of the RUN", [edit], safety) if edit else None,
        )]

    def _lists_read_later(self, ins) -> bool:
        """Whether a later RUN of this stage, or of a stage built on it, uses the lists without
        downloading them again (``apt-get install`` with no ``apt-get update`` before it)."""
        df = self.ctx.df
        if ins.stage_index < 0:
            return False  # before any FROM (DF007 reports that): no stage, nothing runs later
        stages = {ins.stage_index}
        for stage in df.stages[ins.stage_index + 1 :]:
            if base_stage(df, stage.index) in stages:
                stages.add(stage.index)
        for index in sorted(stages):
            for other in _instructions_of(df, index):
                run = run_of(other)
                if run is not None and other.index > ins.index and _reads_lists(self.ctx, run):
                    return True
        return False

    def _cleaned_later(self, ins) -> bool:
        """Whether DF100 reports this: the next RUN of the stage that touches apt removes the
        lists without installing."""
        if not any(install_family(c) == "apt" for c in commands_of(self.ctx, ins, *_UPDATERS)):
            return False
        for other in _instructions_of(self.ctx.df, ins.stage_index):
            if other.keyword != "RUN" or other.index <= ins.index:
                continue
            installs = any(install_family(c) == "apt" for c in commands_of(self.ctx, other, *_UPDATERS))
            cleans = any(cleanup_family(c) == "apt" for c in commands_of(self.ctx, other, "rm", *_UPDATERS))
            if installs or cleans:
                return cleans and not installs and _cleanup_at(self.ctx, other) >= 0
        return False


def _instructions_of(df, index: int) -> list:
    """The instructions of stage ``index``; for -1, those before any FROM (a snippet without one)."""
    return df.stages[index].instructions if index >= 0 else [i for i in df.instructions if i.stage_index < 0]
