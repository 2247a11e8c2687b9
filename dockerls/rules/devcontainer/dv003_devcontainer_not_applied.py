from dockerls.rules.base import WARNING
from dockerls.rules.devcontainer._base import DevcontainerRule
from dockerls.rules.devcontainer.dv005_devcontainer_feature import is_feature_error


class DevcontainerNotApplied(DevcontainerRule):
    """A devcontainer.json setting that dockerls' develop in container does not apply.

    ## Why
    Nothing is ignored silently.  A key dockerls does not know is a warning (a typo, or not a
    devcontainer.json key); so are values that cannot be applied.  Keys of the specification that
    dockerls does not apply (`customizations`, `secrets`, `build.options: ["--secret", ...]`...) are DV004's,
    off by default; a feature that cannot be installed as written is DV005's.

    ## Example
    ```json
    {"image": "python:3.12", "runArgs": ["--device", "/dev/fuse"]}
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
                continue  # DV005's
            if problem.severity == "info":
                continue  # DV004's
            yield self.finding(self.ctx.at(problem.range), problem.message)
