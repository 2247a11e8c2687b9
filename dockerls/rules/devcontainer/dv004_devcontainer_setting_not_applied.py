from dockerls.rules.base import INFO
from dockerls.rules.devcontainer._base import DevcontainerRule


class DevcontainerSettingNotApplied(DevcontainerRule):
    """A devcontainer.json setting of the specification that dockerls' develop does not apply.

    Off by default: the configuration is right (an editor or the Dev Containers CLI applies it),
    so `dockerls check` never fails on it; enable the rule to see the list, and `dockerls develop`
    prints it anyway.

    ## Why
    `customizations` are for editors and their extensions, `secrets` for Codespaces; a
    `build.options` entry the Engine API's build has no setting for (`--secret`, `--ssh`,
    `--output`, `--push`...) is not passed to the build.  (`waitFor`, `userEnvProbe`,
    `updateRemoteUserUID`, `hostRequirements`, `build.cacheFrom` and the other `build.options`
    are applied: see docs/devcontainer-spec.md for every key.)

    ## Example
    ```json
    {"image": "python:3.12", "customizations": {"vscode": {"extensions": ["ms-python.python"]}}}
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
