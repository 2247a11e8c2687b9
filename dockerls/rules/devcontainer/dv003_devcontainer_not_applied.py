from dockerls.rules.base import WARNING
from dockerls.rules.devcontainer._base import DevcontainerRule


class DevcontainerNotApplied(DevcontainerRule):
    """A devcontainer.json setting that dockerls' develop in container does not apply.

    ## Why
    Nothing is ignored silently.  A key dockerls does not know is a warning (a typo, or not a
    devcontainer.json key); so are `features` (not installed: the container lacks what they add)
    and values that cannot be applied.  Keys of the specification that dockerls does not apply
    (`customizations`, `waitFor`, `updateRemoteUserUID`...) are DV004's, off by default.

    ## Example
    ```json
    {"image": "python:3.12", "features": {"ghcr.io/devcontainers/features/node:1": {}}}
    ```

    ## Fix
    Install what a feature would add in a Dockerfile (`build.dockerfile`), or use the Dev Containers
    CLI for that project; or ignore the rule for the key.
    """

    code = "DV003"
    name = "devcontainer-not-applied"
    severity = WARNING

    def finish(self):
        for problem in self.ctx.problems:
            if problem.severity == "info":
                continue  # DV004's
            yield self.finding(self.ctx.at(problem.range), problem.message)
