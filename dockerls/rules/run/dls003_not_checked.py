from __future__ import annotations

from dockerls.rules.base import INFO
from dockerls.rules.run._base import RunRule


class NotChecked(RunRule):
    """A file named on the command line is not a Dockerfile, a Compose file or a devcontainer.json,
    so it was not checked.

    ## Why
    A `.yml`/`.yaml` file is a Compose file when its name says so (`compose.yaml`,
    `docker-compose.ci.yml`, `prod.compose.yaml`) or its content does (its top-level keys are
    Compose's: `services`, `include`, `volumes`, `networks`, `name`...).  Any other YAML file (a CI
    workflow, a Kubernetes manifest) is not linted as a Dockerfile: that would report every line.

    ## Example
    `dockerls check .github/workflows/ci.yml`

    ## Fix
    Name the files dockerls checks, or say what the file is: `dockerls check --kind compose stack.yml`.
    """

    code = "DLS003"
    name = "not-checked"
    severity = INFO
