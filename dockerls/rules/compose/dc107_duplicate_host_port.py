from dockerls.parse.compose.syntax import parse_port
from dockerls.parse.compose.yaml_tree import Sequence
from dockerls.rules.base import WARNING
from dockerls.rules.compose._base import ComposeRule

_ANY = ("", "0.0.0.0", "::", "[::]")


def _overlap(a: str, b: str) -> bool:
    return a == b or a in _ANY or b in _ANY


class DuplicateHostPort(ComposeRule):
    """The same host port is published twice.

    ## Why
    A host port can be bound by one container only; the second fails to start with "port is
    already allocated".  Short and long syntax, port ranges, protocols and host addresses are
    compared: `8080:80` and `127.0.0.1:8080:8080` clash (all interfaces include 127.0.0.1),
    `53:53/udp` and `53:53/tcp` do not.

    ## Example
    ```yaml
    services:
      web:
        image: nginx:1.27
        ports: ["8080:80"]
      admin:
        image: example/admin:3.0
        ports:
          - target: 3000
            published: 8080
    ```

    ## Fix
    Publish one of them on another host port.
    """

    code = "DC107"
    name = "duplicate-host-port"
    severity = WARNING

    def finish(self):
        bound: dict[tuple[str, int], list[tuple[str, str, object]]] = {}  # (protocol, port) -> (ip, service, node)
        for service in self.project.services.values():
            ports = service.get("ports")
            if type(ports) is not Sequence:
                continue
            for item in ports.items:
                spec = parse_port(item)
                if spec is None or spec.published is None:
                    continue
                low, high = spec.published
                clash = None
                for port in range(low, min(high, low + 1024) + 1):
                    for ip, other, node in bound.get((spec.protocol, port), ()):
                        if _overlap(ip, spec.host_ip) and node is not item:
                            clash = (port, other, node)
                            break
                    if clash:
                        break
                if clash:
                    port, other, node = clash
                    whom = "this service" if other == service.name else f"the service `{other}`"
                    yield self.report(item, f"The host port {port}/{spec.protocol} is already published by {whom}",
                                      related=[(node, "published here")])
                for port in range(low, min(high, low + 1024) + 1):
                    bound.setdefault((spec.protocol, port), []).append((spec.host_ip, service.name, item))
