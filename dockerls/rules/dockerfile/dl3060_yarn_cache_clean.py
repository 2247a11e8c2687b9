from dockerls.finding import UNSAFE, Fix
from dockerls.rules.base import INFO, Rule
from dockerls.rules.dockerfile._packages import (
    RUN_KEYWORDS, YARN, append_command, calls, command_range, commands_of, layer_stages, mount_targets, run_of,
)

_NOT_INSTALLS = ("-v", "--version", "-h", "--help")  # a bare `yarn` installs, `yarn --version` doesn't


def _installs(call) -> bool:
    verb = call.verb.value if call.verb else None
    if verb is None:
        return not call.has_flag(*_NOT_INSTALLS)
    return verb in ("install", "add") or (verb == "global" and bool(call.operands) and call.operands[0].value == "add")


def _cleans(call) -> bool:
    return call.verb is not None and call.verb.value == "cache" and any(w.value == "clean" for w in call.operands)


def _removes_cache(cmd) -> bool:
    return any(".cache/yarn" in w.value or "yarn cache dir" in w.value
                                       for w in cmd.positional())


class YarnCacheClean(Rule):
    """`yarn install` without `yarn cache clean` in the same RUN.

    ## Why
    Yarn keeps a copy of every package it downloads in its global cache
    (`/usr/local/share/.cache/yarn` for root).  In an image the cache is dead weight, often as big
    as `node_modules` itself, and it stays in the layer unless the same RUN cleans it.

    A bare `yarn` (which installs), `yarn add` and `yarn global add` fill the cache too.  Not
    reported: a RUN that removes the cache directory, or mounts a cache/tmpfs on it
    (`--mount=type=cache,target=/usr/local/share/.cache/yarn`), and a RUN in a build stage that
    only serves `COPY --from` (neither the last stage nor the base of another): its layers never
    reach an image.

    ## Example
    ```Dockerfile
    FROM node:22-slim
    COPY package.json yarn.lock ./
    RUN yarn install --frozen-lockfile
    ```

    ## Fix
    `RUN yarn install --frozen-lockfile && yarn cache clean`, or use a cache mount.  The quick fix
    appends `yarn cache clean`.  It is unsafe: with Yarn 2+ the command works on the project's
    cache, and it fails when the RUN ends outside the project.

    ## Compared with hadolint
    hadolint checks `yarn install` only, and takes any `yarn cache ...` as a cleanup.  dockerls
    also checks the other commands that install, accepts `rm -rf` of the cache directory, and
    looks inside `sh -c "..."`.
    """

    code = "DL3060"
    name = "yarn-cache-clean"
    severity = INFO
    instructions = RUN_KEYWORDS
    fixable = True

    def __init__(self, ctx):
        super().__init__(ctx)
        self._layer_stages = layer_stages(ctx.df)

    def check(self, ins):
        run = run_of(ins)
        if run is None or ins.stage_index not in self._layer_stages:
            return None  # a build stage only copied from: its cache never reaches an image
        install = None
        for call in calls(self.ctx, run, YARN):
            if _installs(call):
                install = install or call
            elif install is not None and _cleans(call):
                return None
        if install is None:
            return None
        if any(_removes_cache(c) for c in commands_of(self.ctx, run, "rm") if c.start > install.cmd.start):
            return None
        if any("yarn" in t for t in mount_targets(run)):
            return None
        edit = append_command(self.ctx, run, "yarn cache clean")
        return [self.finding(
            command_range(self.ctx, run, install.cmd.words[0], install.verb),
            f"`yarn cache clean` missing after `{install.command}` was run: the package cache stays in the layer",
            fix=Fix("Append yarn cache clean", [edit], UNSAFE) if edit else None,
        )]
