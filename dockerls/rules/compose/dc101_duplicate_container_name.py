from dockerls.parse.compose.values import text_of
from dockerls.rules.base import ERROR
from dockerls.rules.compose._base import ComposeRule


class DuplicateContainerName(ComposeRule):
    """Two services set the same `container_name`.

    ## Why
    Container names are unique on a Docker host.  The second service to start fails with
    "Conflict. The container name is already in use", and which one starts first depends on the
    dependency order.

    ## Example
    ```yaml
    services:
      api:
        image: example/api:1.4
        container_name: app
      worker:
        image: example/worker:1.4
        container_name: app
    ```

    ## Fix
    Give each service its own name, or drop `container_name` and let Compose name the containers
    (`<project>-<service>-<n>`).
    """

    code = "DC101"
    name = "duplicate-container-name"
    severity = ERROR

    def finish(self):
        first: dict[str, tuple[str, object]] = {}
        for service in self.project.services.values():
            node = service.get("container_name")
            name = text_of(node)
            if not name:
                continue
            if name in first:
                other, other_node = first[name]
                yield self.report(node, f"The container name `{name}` is also used by the service `{other}`: "
                                  "the second container cannot start", related=[(other_node, "first used here")])
            else:
                first[name] = (service.name, node)
