from dockerls.parse.compose.values import text_of
from dockerls.parse.compose.yaml_tree import Mapping, Scalar, Sequence
from dockerls.rules.base import ERROR
from dockerls.rules.compose._base import ComposeRule


class EnvFileNotFound(ComposeRule):
    """An `env_file` that does not exist.

    ## Why
    Compose refuses to start a service whose `env_file` is missing ("env file not found"), unless
    the long syntax marks it `required: false`.  Paths are relative to the Compose file's folder.

    ## Example
    ```yaml
    services:
      web:
        image: example/web:2.1
        env_file: .env.local
    ```

    ## Fix
    Create the file, correct the path, or make it optional:
    `env_file: [{path: .env.local, required: false}]`.
    """

    code = "DC113"
    name = "env-file-not-found"
    severity = ERROR

    def check(self, service):
        node = service.get("env_file")
        items = node.items if type(node) is Sequence else [node] if node is not None else []
        for item in items:
            required = True
            if type(item) is Mapping:
                flag = item.get("required")
                required = not (type(flag) is Scalar and flag.value in (False, "false"))
                item = item.get("path")
            path = text_of(item)
            base = self.ctx.base_dir(item) if item is not None else None
            if required and path and base is not None and not self.ctx.fs.is_file(base / path):
                yield self.report(item, f"The env_file `{path}` does not exist")
