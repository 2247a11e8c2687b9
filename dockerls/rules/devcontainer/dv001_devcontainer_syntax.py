from dockerls.rules.base import ERROR
from dockerls.rules.devcontainer._base import DevcontainerRule


class DevcontainerSyntax(DevcontainerRule):
    """devcontainer.json is not valid JSON (comments and trailing commas are allowed).

    ## Why
    Neither dockerls nor VS Code nor the Dev Containers CLI can read the file, so no container can
    be built from it.

    ## Example
    ```json
    {
      "image": "python:3.12"
      "remoteUser": "vscode"
    }
    ```

    ## Fix
    Follow the message: a missing comma, an unclosed string or bracket.
    """

    code = "DV001"
    name = "devcontainer-syntax"
    severity = ERROR

    def finish(self):
        err = self.ctx.syntax_error
        if err is not None:
            yield self.finding(err.range, f"devcontainer.json is not valid JSON: {err.message}")
