from dockerls.rules.base import WARNING
from dockerls.rules.devcontainer._base import DevcontainerRule


class DevcontainerSchema(DevcontainerRule):
    """A devcontainer.json value that the Dev Container specification does not allow.

    ## Why
    A value of the wrong type (`"forwardPorts": "3000"`), outside an enumeration
    (`"waitFor": "postCreate"`) or out of range is ignored or refused by the tools that read the
    file; so is an `image` next to a `dockerComposeFile` (the Compose service's image is used).
    The warning points at the value's key.  Keys that are not in the specification are DV003's,
    and a file without an image, a Dockerfile or a compose file DV002's: neither is reported
    twice.  Checked against dockerls' own schema of devcontainer.json, or the specification's when
    a copy is installed (`schemas/README.md`).

    ## Example
    ```json
    {"image": "python:3.12", "forwardPorts": "3000", "waitFor": "postCreate"}
    ```

    ## Fix
    Write the value as the specification describes it (hover the key for its type and values):
    `"forwardPorts": [3000]`, `"waitFor": "postCreateCommand"`.
    """

    code = "DV006"
    name = "devcontainer-schema"
    severity = WARNING

    def finish(self):
        from dockerls.parse.devcontainer.schema import load_schema, violations

        root = load_schema()
        if root is None or not isinstance(self.ctx.value, dict):
            return
        for violation in violations(self.ctx.value, root):
            yield self.finding(self.ctx.at(self._range(violation.path)),
                               f"{'.'.join(map(str, violation.path)) or 'the file'}: {violation.message}")

    def _range(self, path: tuple):
        while path:
            span = self.ctx.spans.get(path)
            if span is not None:
                return self.ctx.lines.range(*span)
            path = path[:-1]
        return None
