from dockerls.finding import Severity
from dockerls.rules.base import WARNING
from dockerls.rules.devcontainer._base import DevcontainerRule
from dockerls.rules.devcontainer.dv004_devcontainer_feature import is_feature_error


class DevcontainerNotApplied(DevcontainerRule):
    """A devcontainer.json setting that dockerls' develop in container does not apply.

    ## Why
    Nothing is ignored silently: keys only editors read
    (`customizations`, `forwardPorts`) have no effect on the container, `initializeCommand` runs on
    your machine only when you allow it.  A warning for what changes the container, information
    for the rest.

    ## Example
    ```json
    {"image": "python:3.12", "hostRequirements": {"cpus": 4}}
    ```

    ## Fix
    Do in a Dockerfile (`build.dockerfile`) or in `runArgs` what the key would do, or use the Dev
    Containers CLI for that project; or ignore the rule for the key.
    """

    code = "DV003"
    name = "devcontainer-not-applied"
    severity = WARNING

    def finish(self):
        for problem in self.ctx.problems:
            if is_feature_error(problem):
                continue  # DV004's
            found = self.finding(self.ctx.at(problem.range), problem.message)
            if problem.severity == "info":
                found.severity = min(found.severity, Severity.INFO)
            yield found
