from __future__ import annotations

from dockerls.finding import SAFE, UNSAFE, Edit, Fix
from dockerls.rules.base import WARNING, Rule
from dockerls.rules.dockerfile._packages import (
    FAMILY_NAMES, append_command, cleanup_family, families_of, install_family, mount_targets,
)

# Cleanups that remove installed packages (their files stay in the installing layer whatever the
# cache did); every other cleanup only empties a cache or the package lists.
_PURGES = frozenset({("apt-get", "purge"), ("apt-get", "autoremove"), ("apt", "purge"), ("apt", "autoremove"),
                     ("apk", "del"), ("yum", "autoremove"), ("dnf", "autoremove")})
# Where each family keeps what a cache cleanup removes; a cache/tmpfs mount over all the folders
# of one entry keeps them out of the layer.
_CACHE_DIRS: dict[str, list[tuple[str, ...]]] = {
    "apt": [("/var/lib/apt/lists", "/var/cache/apt")],
    "apk": [("/var/cache/apk",), ("/etc/apk/cache",)],
    "rpm": [("/var/cache/yum",), ("/var/cache/dnf",), ("/var/cache/libdnf5",)],
    "zypper": [("/var/cache/zypp",)],
    "pip": [("/root/.cache",), ("/root/.cache/pip",)],
    "npm": [("/root/.npm",)],
    "yarn": [("/usr/local/share/.cache/yarn",)],
}
# Flags with which an install keeps no cache at all.
_NO_CACHE_FLAGS = {"apk": ("--no-cache",), "pip": ("--no-cache-dir",)}


def _purges(cmd) -> bool:
    cmd = cmd.unwrapped()
    return cmd.program is not None and (cmd.program, cmd.subcommand) in _PURGES


def _leaves_cache(ctx, run, family: str) -> bool:
    """Whether the installs of ``family`` in ``run`` leave a cache (or lists) in its layer."""
    targets = mount_targets(run)
    if any(all(any(d == t or d.startswith(t.rstrip("/") + "/") for t in targets) for d in dirs)
           for dirs in _CACHE_DIRS.get(family, [])):
        return False
    flags = _NO_CACHE_FLAGS.get(family)
    installs = [c for c in ctx.shell(run).commands if install_family(c) == family]
    return not (flags and installs and all(c.unwrapped().has_any_flag(*flags) for c in installs))


class CleanupInSeparateLayer(Rule):
    """A RUN cleans up package-manager caches or lists that an earlier RUN created.

    ## Why
    Every RUN is a layer, and a layer only adds to the ones below it.  Deleting
    `/var/lib/apt/lists/*`, running `apt-get clean`, `apt-get purge`, `yum clean all`,
    `pip cache purge` or `rm -rf ~/.cache` in a later RUN hides the files but the bytes stay in the
    earlier layer and in every pull of the image.  The cleanup only saves space in the same RUN
    that created the files.

    The classic case is a Python image that builds `cython` and `ujson` in nine RUN lines
    (update, install the compiler, pip install, purge the compiler, autoremove, remove the lists,
    purge the pip cache...): a 375 MB image, where the same steps in one RUN give 189 MB.

    ## Example
    ```Dockerfile
    FROM debian:bookworm-slim
    RUN apt-get update && apt-get install -y --no-install-recommends curl
    RUN rm -rf /var/lib/apt/lists/*
    ```

    ## Fix
    Do the cleanup in the RUN that installs:
    ```Dockerfile
    RUN apt-get update && apt-get install -y --no-install-recommends curl \\
        && rm -rf /var/lib/apt/lists/*
    ```
    The quick fix moves the cleanup commands into the installing RUN and removes the cleanup RUN.
    It is safe when the two RUNs are next to each other, unsafe when other instructions stand
    between them (they would then run after the cleanup).
    """

    code = "DF100"
    name = "cleanup-in-separate-layer"
    severity = WARNING
    scope = "stage"
    instructions = frozenset({"RUN"})
    fixable = True

    def __init__(self, ctx):
        super().__init__(ctx)
        self.installs: dict[tuple[int, str], object] = {}  # (stage, family) -> the installing RUN
        self.cached: set[tuple[int, str]] = set()  # (stage, family) whose install left a cache

    def check(self, ins):
        installed_here, cleaned = families_of(self.ctx, ins)
        late = set()
        if cleaned:
            purged = {cleanup_family(c) for c in self.ctx.shell(ins).commands if _purges(c)}
            late = {fam for fam in cleaned if fam not in installed_here and (ins.stage_index, fam) in self.installs
                    and (fam in purged or (ins.stage_index, fam) in self.cached)}
        for fam in installed_here:
            key = (ins.stage_index, fam)
            if fam in cleaned:  # cleaned up in the same layer: nothing left behind
                self.installs.pop(key, None)
                self.cached.discard(key)
            else:
                self.installs[key] = ins
                if _leaves_cache(self.ctx, ins, fam):
                    self.cached.add(key)
                else:
                    self.cached.discard(key)
        if not late:
            return None
        installer = max((self.installs[(ins.stage_index, f)] for f in late), key=lambda i: i.index)
        families = ", ".join(sorted(FAMILY_NAMES[f] for f in late))
        return [self.finding(
            self.ctx.head_range(ins),
            f"This RUN cleans up {families} files that the RUN on line {installer.line + 1} created; they stay in "
            "that earlier layer. Do the cleanup in the RUN that installs",
            fix=self._merge_fix(installer, ins, self.ctx.shell(ins)),
            related=[(installer.keyword_range, "the RUN that created the files")],
        )]

    def _merge_fix(self, installer, cleanup, script) -> Fix | None:
        """Append the cleanup commands to the installing RUN and delete the cleanup RUN."""
        for ins in (installer, cleanup):
            if ins.json is not None or ins.heredocs or ins.flags or ins.args_range is None:
                return None
        top = [c for c in script.commands if c.depth == 0]
        if not top or any(c.separator_before not in (None, "&&", ";", "\n") for c in top):
            return None
        if not all(cleanup_family(c) for c in top):
            return None  # the cleanup RUN does more than clean up: keep it
        df = self.ctx.df
        commands = " && ".join(" ".join(cleanup.args_text[c.start : c.end].split()) for c in top)
        append = append_command(self.ctx, installer, commands)
        if append is None:
            return None
        start = df.lines.line_starts[cleanup.range.start.line]
        end_line = cleanup.range.end.line + 1
        end = df.lines.line_starts[end_line] if end_line < df.lines.line_count else len(df.text)
        between = [i for i in df.instructions if installer.index < i.index < cleanup.index]
        return Fix(
            title="Move the cleanup into the RUN that installs",
            edits=[append, Edit(start, end, "")],
            applicability=UNSAFE if between else SAFE,
        )

