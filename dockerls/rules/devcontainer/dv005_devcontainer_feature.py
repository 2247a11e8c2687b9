from dockerls.rules.base import ERROR
from dockerls.rules.devcontainer._base import DevcontainerRule

FEATURE_KEYS = ("features", "overrideFeatureInstallOrder")


def is_feature_error(problem) -> bool:
    """A problem DV005 reports rather than DV003: a feature that cannot be installed as written."""
    return problem.severity == "error" and (problem.key or "").split(".", 1)[0] in FEATURE_KEYS


class DevcontainerFeature(DevcontainerRule):
    """A dev container feature that cannot be installed as written.

    ## Why
    A reference that is not one (`node` instead of `ghcr.io/devcontainers/features/node:1`), a
    local feature folder (`./my-feature`) that is missing or has no `devcontainer-feature.json` or
    `install.sh`, an option the feature does not have, a value of the wrong type (`"true"` for a
    boolean) or outside the option's `enum`, features that depend on each other in a cycle: the
    Dev Containers CLI and develop in container stop there.  Options are checked when the feature
    is local or already downloaded (the cache); nothing is fetched to check a file.

    ## Example
    ```json
    {"image": "debian", "features": {"./hello": {"greting": "hi"}}}
    ```
    where `.devcontainer/hello/devcontainer-feature.json` has the option `greeting`.

    ## Fix
    Follow the message: the feature's options are in its devcontainer-feature.json (hover the
    feature in the editor once it is resolved).
    """

    code = "DV005"
    name = "devcontainer-feature"
    severity = ERROR

    def finish(self):
        for problem in self.ctx.problems:
            if is_feature_error(problem):
                yield self.finding(self.ctx.at(problem.range), problem.message)
