from dockerls.parse.compose.model import is_remote_context
from dockerls.parse.compose.values import text_of
from dockerls.parse.compose.yaml_tree import Mapping
from dockerls.rules.base import ERROR
from dockerls.rules.compose._base import ComposeRule


class DockerfileNotFound(ComposeRule):
    """The Dockerfile a service builds from does not exist.

    ## Why
    `build.dockerfile` is relative to the build context (not to the Compose file); without it the
    context must hold a `Dockerfile`.  The build fails with "failed to read dockerfile".

    ## Example
    ```yaml
    services:
      api:
        build:
          context: ./api
          dockerfile: Dockerfile.prod   # the file is ./api/prod.Dockerfile
    ```

    ## Fix
    Correct `dockerfile` (relative to the context), add the Dockerfile, or write it inline with
    `dockerfile_inline`.
    """

    code = "DC112"
    name = "dockerfile-not-found"
    severity = ERROR

    def check(self, service):
        build = service.get("build")
        if build is None or (type(build) is Mapping and build.get("dockerfile_inline") is not None):
            return
        context_node = build.get("context") if type(build) is Mapping else build
        context = text_of(context_node) or "."
        base = self.ctx.base_dir(build)
        if base is None or is_remote_context(context) or not self.ctx.fs.is_dir(base / context):
            return  # DC111 reports a missing context
        dockerfile_node = build.get("dockerfile") if type(build) is Mapping else None
        dockerfile = text_of(dockerfile_node)
        if dockerfile:
            if not self.ctx.fs.is_file(base / context / dockerfile):
                yield self.report(dockerfile_node, f"The Dockerfile `{dockerfile}` does not exist in the build "
                                  f"context `{context}` (the path is relative to the context)")
        elif not any(self.ctx.fs.is_file(base / context / name) for name in ("Dockerfile", "dockerfile")):
            where = context_node if context_node is not None else build
            yield self.report(where, f"The build context `{context}` has no `Dockerfile`: name one with "
                              "`dockerfile:` or add it")
