from dockerls.parse.compose.values import text_of
from dockerls.parse.compose.yaml_tree import Mapping
from dockerls.rules.base import ERROR
from dockerls.rules.compose._base import ComposeRule, did_you_mean


class UnknownBuildTarget(ComposeRule):
    """`build.target` names no stage of the Dockerfile.

    ## Why
    The build stops with "target stage could not be found".  Stage names are the `AS name` of
    the Dockerfile's `FROM` lines (compared without regard to case).

    ## Example
    ```yaml
    services:
      api:
        build:
          context: .
          target: prod   # the Dockerfile has `FROM node:22 AS production`
    ```

    ## Fix
    Use one of the stage names (a close match is suggested), or name the stage in the Dockerfile.
    """

    code = "DC114"
    name = "unknown-build-target"
    severity = ERROR

    def check(self, service):
        build = service.get("build")
        node = build.get("target") if type(build) is Mapping else None
        target = text_of(node)
        path = self.project.dockerfile_of(service)
        if not target or path is None:
            return
        df = self.ctx.dockerfile(path)
        if df is None or not df.stages:
            return
        stages = [s.name for s in df.stages if s.name]
        if target.lower() in (s.lower() for s in stages):
            return
        listed = ": its stages are " + ", ".join(f"`{s}`" for s in stages) if stages else \
            ": it names no stage (`FROM image AS name`)"
        hint = did_you_mean(target, stages) or listed
        yield self.report(node, f"The Dockerfile `{path.name}` has no stage `{target}`{hint}")
