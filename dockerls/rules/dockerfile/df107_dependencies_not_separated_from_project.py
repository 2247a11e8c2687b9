from __future__ import annotations

from dockerls.rules.base import INFO, Rule
from dockerls.rules.dockerfile._packages import install_family
from dockerls.rules.dockerfile._practices import (
    SYSTEM_FAMILIES, project_build, whole_context_source, whole_copy_before,
)

_MANAGER_NAMES = {"apt": "apt-get install", "apk": "apk add", "rpm": "yum/dnf install", "zypper": "zypper install"}


# Commands that remove installed packages again, by family (`apk del .build-deps`).
_REMOVALS = {"apt": {("apt-get", "purge"), ("apt-get", "remove"), ("apt-get", "autoremove"), ("apt", "purge"),
                     ("apt", "remove"), ("apt", "autoremove")},
             "apk": {("apk", "del")},
             "rpm": {(p, v) for p in ("yum", "dnf", "microdnf") for v in ("remove", "erase", "autoremove")}}


def _removes_packages(cmd, family: str) -> bool:
    cmd = cmd.unwrapped()
    return (cmd.program, cmd.subcommand) in _REMOVALS.get(family, ())


class DependenciesNotSeparatedFromProject(Rule):
    """One RUN installs system packages and builds the project from the copied source.

    ## Why
    The cache reuses a RUN only when nothing above it changed.  After `COPY . .`, every edit of
    the source invalidates the RUN that builds it, which is expected, but when that same RUN also
    runs `apt-get install`/`apk add`/`dnf install`, every code change downloads and installs the
    system packages again.  That is usually the slowest part of the build and it depends on
    nothing in the source.  Installed in their own RUN before the `COPY`, the packages stay
    cached until the package list itself changes.

    Reported when a RUN that comes after a whole-context `COPY`/`ADD` of the stage installs system
    packages and builds or installs the project in the same command: `pip install .`,
    `pip install -e .`, `python setup.py install`, `npm|yarn|pnpm run build`, `go build`,
    `cargo build`, `make`, `cmake --build`, `mvn package`, `gradle build`, `dotnet publish`...

    Not reported when the same RUN removes packages again after the build (`apk add --virtual
    .build-deps ... && make && apk del .build-deps`, the way extension and module images are
    built): installing build tools, building and removing them in one RUN keeps them out of the
    image (see DF100), a deliberate choice of size over cache.  A multi-stage build gives both:
    install the tools and build in a builder stage, copy only the result into a clean final stage.

    ## Example
    ```Dockerfile
    FROM python:3.12-slim
    WORKDIR /app
    COPY . .
    RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev \\
        && pip install --no-cache-dir . \\
        && rm -rf /var/lib/apt/lists/*
    ```

    ## Fix
    Split the RUN: install the system packages first, before copying the source, and build after:
    ```Dockerfile
    FROM python:3.12-slim
    RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev \\
        && rm -rf /var/lib/apt/lists/*
    WORKDIR /app
    COPY . .
    RUN pip install --no-cache-dir .
    ```
    There is no quick fix: where the split goes and what the cleanup keeps is a design choice.
    """

    code = "DF107"
    name = "dependencies-not-separated-from-project"
    severity = INFO
    scope = "stage"
    instructions = frozenset({"RUN"})

    def check(self, ins):
        stage = self.ctx.stage
        if stage is None:
            return None
        copy = whole_copy_before(self.ctx, stage, ins)
        if copy is None:
            return None
        system = build = None
        for cmd in self.ctx.shell(ins).commands:
            if system is None:
                family = install_family(cmd)
                if family in SYSTEM_FAMILIES:
                    system = (cmd, family)
                    continue
            if build is None:
                label = project_build(cmd)
                if label is not None:
                    build = (cmd, label)
            if system is not None and build is not None:
                break
        if system is None or build is None:
            return None
        cmd, family = system
        if any(c.start > cmd.start and _removes_packages(c, family) for c in self.ctx.shell(ins).commands):
            return None  # install, build, remove the tools: a smaller image chosen over the cache
        build_cmd, label = build
        source = whole_context_source(copy)
        return [self.finding(
            self.ctx.shell_range(ins, cmd.start, cmd.end),
            f"This RUN installs system packages ({_MANAGER_NAMES[family]}) and builds the project (`{label}`) "
            f"after the source is copied (line {copy.line + 1}): every source change reinstalls the packages. "
            "Install them in a RUN before the COPY",
            related=[(self.ctx.shell_range(ins, build_cmd.start, build_cmd.end), "the project build"),
                     (source.range, "the whole build context is copied here")],
        )]
