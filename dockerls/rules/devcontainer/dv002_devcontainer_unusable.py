from dockerls.rules.base import ERROR
from dockerls.rules.devcontainer._base import DevcontainerRule


class DevcontainerUnusable(DevcontainerRule):
    """devcontainer.json parses, but no container can be made from it.

    ## Why
    Develop in container stops here: neither `image` nor a `build` (or `dockerComposeFile`), a
    Dockerfile or build context that does not exist, a mount or port that cannot be read.

    ## Example
    ```json
    {"build": {"dockerfile": "Dockerfile.dev"}}
    ```
    with no `.devcontainer/Dockerfile.dev`.

    ## Fix
    Follow the message: point `build.dockerfile` at the file (relative to devcontainer.json), name
    an `image`, correct the mount or port.
    """

    code = "DV002"
    name = "devcontainer-unusable"
    severity = ERROR

    def finish(self):
        err = self.ctx.plan_error
        if err is not None:
            yield self.finding(self.ctx.at(err.range), err.message)
