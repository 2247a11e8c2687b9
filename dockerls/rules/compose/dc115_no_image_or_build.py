import re

from dockerls.rules.base import ERROR
from dockerls.rules.compose._base import ComposeRule

_OVERRIDE_NAME = re.compile(r"\.override\.ya?ml$")


class NoImageOrBuild(ComposeRule):
    """A service has neither `image` nor `build`.

    ## Why
    Compose needs an image to run: one to pull (`image`) or one to build (`build`).  Without
    either it refuses the service ("has neither an image nor a build context specified").  A
    service in an override file that is checked without its base file is not reported, since
    the base usually supplies the image.

    ## Example
    ```yaml
    services:
      worker:
        command: ["python", "-m", "worker"]
    ```

    ## Fix
    Add `image: <name>:<tag>`, or `build: <folder>` for an image built from a Dockerfile.
    """

    code = "DC115"
    name = "no-image-or-build"
    severity = ERROR

    def check(self, service):
        if any(k in service for k in ("image", "build", "provider", "extends")):
            return
        only_override = all(_OVERRIDE_NAME.search(f.path or "") for f in self.project.files if f.role != "include")
        if only_override:
            return
        yield self.report(service.key, f"The service `{service.name}` has neither `image` nor `build`")
