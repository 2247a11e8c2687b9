from dockerls.parse.compose.model import is_remote_context
from dockerls.parse.compose.values import text_of
from dockerls.parse.compose.yaml_tree import Mapping
from dockerls.rules.base import ERROR
from dockerls.rules.compose._base import ComposeRule


class BuildContextNotFound(ComposeRule):
    """The `build` context folder does not exist.

    ## Why
    `docker compose build` (and `up`, which builds missing images) fails with "unable to prepare
    context: path not found".  Relative contexts are relative to the Compose file's folder (for
    several `-f` files, the first one's).

    ## Example
    ```yaml
    services:
      web:
        build: ./frontend   # the folder is called ./front
    ```

    ## Fix
    Point `build` (or `build.context`) at the folder that holds the sources and the Dockerfile.
    """

    code = "DC111"
    name = "build-context-not-found"
    severity = ERROR

    def check(self, service):
        build = service.get("build")
        node = build.get("context") if type(build) is Mapping else build
        context = text_of(node)
        base = self.ctx.base_dir(node) if node is not None else None
        if not context or base is None or is_remote_context(context):
            return
        folder = base / context
        if not self.ctx.fs.is_dir(folder):
            what = "is a file, not a folder" if self.ctx.fs.exists(folder) else "does not exist"
            yield self.report(node, f"The build context `{context}` {what}")
