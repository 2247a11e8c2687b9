from dockerls.rules.base import INFO
from dockerls.rules.devcontainer._base import DevcontainerRule


class DevcontainerSettingNotApplied(DevcontainerRule):
    """A devcontainer.json setting of the specification that dockerls' develop does not apply.

    Off by default: the configuration is right (an editor or the Dev Containers CLI applies it),
    so `dockerls check` never fails on it; enable the rule to see the list, and `dockerls develop`
    prints it anyway.

    ## Why
    `customizations` and `portsAttributes` are for editors; `waitFor`, `userEnvProbe`,
    `updateRemoteUserUID` and `hostRequirements` are not used by develop; `build.options` and
    `build.cacheFrom` are not passed to the build.

    ## Example
    ```json
    {"image": "python:3.12", "updateRemoteUserUID": true}
    ```

    ## Fix
    Nothing to fix in the file.  Where the setting matters, use an editor or the Dev Containers
    CLI for that project.
    """

    code = "DV004"
    name = "devcontainer-setting-not-applied"
    severity = INFO
    status = "off-by-default"

    def finish(self):
        for problem in self.ctx.problems:
            if problem.severity == "info":
                yield self.finding(self.ctx.at(problem.range), problem.message)
