from dockerls.text import small_number
from dockerls.parse.compose.values import text_of
from dockerls.rules.base import ERROR
from dockerls.rules.compose._base import ComposeRule


def replicas(service) -> int | None:
    """``deploy.replicas`` or ``scale``, as a number (None when not set or not a number)."""
    deploy = service.get("deploy")
    for node in (deploy.get("replicas") if hasattr(deploy, "get") else None, service.get("scale")):
        text = text_of(node)
        if text is not None and small_number(text.strip()) is not None:
            return small_number(text.strip())
    return None


class ContainerNameScaled(ComposeRule):
    """A service with a fixed `container_name` runs more than one replica.

    ## Why
    Every replica needs its own container name; with `container_name` set they would all share
    one, so Compose refuses to scale the service beyond one container.

    ## Example
    ```yaml
    services:
      worker:
        image: example/worker:1.4
        container_name: worker
        deploy:
          replicas: 3
    ```

    ## Fix
    Remove `container_name` (Compose names replicas `<project>-worker-1`, `-2`...), or run one
    replica.
    """

    code = "DC102"
    name = "container-name-scaled"
    severity = ERROR

    def check(self, service):
        node = service.get("container_name")
        count = replicas(service)
        if text_of(node) and count is not None and count > 1:
            yield self.report(node, f"`container_name` is fixed but the service runs {count} replicas: "
                              "Compose cannot give them all the same name")
