from __future__ import annotations

from pathlib import Path

from dockerls.lint.workspace_fs import WorkspaceFS
from dockerls.rules.base import WARNING, Rule
from dockerls.rules.dockerfile._practices import whole_context_source


class CopyContextWithoutDockerignore(Rule):
    """`COPY . .` copies the whole build context, and no `.dockerignore` limits what that is.

    ## Why
    Without a `.dockerignore`, the build context is every file in the folder: `.git` (the whole
    history), `node_modules`, virtualenvs, build output, editor files, and local secrets such as
    `.env`, `*.pem` or cloud credentials.  `COPY . .` sends all of it to the builder and bakes it
    into a layer of the image, where anyone who can pull the image can read it (deleting it in a
    later RUN does not remove it from the earlier layer).  It also makes the build slower and
    breaks the cache: the layer changes whenever any of those files changes, even the ones the
    image never uses (a `git fetch` is enough).

    Only reported when the Dockerfile's location is known.  dockerls looks for `.dockerignore` and
    `<Dockerfile name>.dockerignore` (e.g. `Dockerfile.dev.dockerignore`, which BuildKit prefers for
    that Dockerfile) next to the Dockerfile, the usual build context.  When the Dockerfile is in a
    subfolder of a Git repository, a `.dockerignore` in a folder above it (up to the repository
    root) also counts, since the build context is then probably that folder.

    ## Example
    ```Dockerfile
    FROM node:22-alpine
    WORKDIR /app
    COPY . .
    RUN npm ci && npm run build
    ```

    ## Fix
    Add a `.dockerignore` next to the Dockerfile that leaves out what the image does not need, e.g.
    ```
    .git
    node_modules
    .env
    *.log
    Dockerfile*
    ```
    or copy only what is needed (`COPY src/ ./src/`).  There is no quick fix.
    """

    code = "DF102"
    name = "copy-context-without-dockerignore"
    severity = WARNING
    instructions = frozenset({"COPY", "ADD"})

    def __init__(self, ctx):
        super().__init__(ctx)
        self.reported = False

    def check(self, ins):
        if self.reported or self.ctx.path is None:
            return None
        source = whole_context_source(ins)
        if source is None:
            return None
        self.reported = True  # one finding per file: the answer is the same for every COPY
        if _has_dockerignore(self.ctx.fs, Path(self.ctx.path)):
            return None
        return [self.finding(
            source.range,
            f"`{ins.keyword} {source.raw}` copies the whole build context, but there is no .dockerignore next "
            f"to {Path(self.ctx.path).name}: .git, local secrets and build output end up in the image",
        )]


def _has_dockerignore(fs: WorkspaceFS, dockerfile: Path) -> bool:
    folder = dockerfile.parent
    names = (".dockerignore", f"{dockerfile.name}.dockerignore")
    if any(fs.is_file(folder / n) for n in names):
        return True
    # A Dockerfile in a subfolder of a repository is often built with the repository as context.
    folder = Path(fs.real_path(folder))
    if fs.exists(folder / ".git"):
        return False
    for parent in folder.parents:
        if fs.is_file(parent / ".dockerignore"):
            return any(fs.exists(p / ".git") for p in (parent, *parent.parents))
        if fs.exists(parent / ".git"):
            return False
    return False
