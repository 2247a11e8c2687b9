from dockerls.parse.compose.syntax import parse_mount
from dockerls.parse.compose.yaml_tree import Sequence
from dockerls.rules.base import WARNING
from dockerls.rules.compose._base import ComposeRule


class BindMountSourceNotFound(ComposeRule):
    """A bind mount whose host path (relative to the Compose file) does not exist.

    ## Why
    With the short syntax (`./data:/data`) Docker creates a missing host path as an empty folder
    owned by root, so the container sees an empty directory where files were expected, or a
    folder where it expected a file.  With the long syntax Compose refuses to start unless
    `bind.create_host_path: true`.  Only relative paths are checked: absolute ones belong to the
    machine that runs Compose.

    ## Example
    ```yaml
    services:
      web:
        image: nginx:1.27
        volumes:
          - ./nginx.conf:/etc/nginx/nginx.conf:ro
    ```

    ## Fix
    Create the file or folder, or correct the path (relative to the Compose file's folder).
    """

    code = "DC121"
    name = "bind-mount-source-not-found"
    severity = WARNING

    def check(self, service):
        volumes = service.get("volumes")
        if type(volumes) is not Sequence:
            return
        for item in volumes.items:
            mount = parse_mount(item)
            if mount is None or mount.type != "bind" or not mount.source or not mount.source.startswith("."):
                continue
            base = self.ctx.base_dir(item)
            if base is None or self.ctx.fs.exists(base / mount.source):
                continue
            consequence = ("Docker creates it as an empty folder owned by root" if mount.create_host_path
                           else "Compose refuses to start the service")
            yield self.report_span(item.doc, mount.source_start, mount.source_end,
                                   f"The bind mount source `{mount.source}` does not exist: {consequence}")
