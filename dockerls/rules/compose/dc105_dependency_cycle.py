from dockerls.rules.base import ERROR
from dockerls.rules.compose._base import ComposeRule


class DependencyCycle(ComposeRule):
    """Services depend on each other in a cycle.

    ## Why
    Compose starts a service after the services it depends on (`depends_on`, `links`,
    `volumes_from`, `network_mode: service:`); in a cycle none can start first, and Compose
    refuses the project.

    ## Example
    ```yaml
    services:
      api:
        image: example/api:1.4
        depends_on: [worker]
      worker:
        image: example/worker:1.4
        depends_on: [api]
    ```

    ## Fix
    Remove one of the dependencies.  If both really need each other at run time, make them retry
    connecting instead of ordering their start.
    """

    code = "DC105"
    name = "dependency-cycle"
    severity = ERROR

    def finish(self):
        services = self.project.services
        edges = {name: [r for r in self.ctx.references(s)
                        if r.kind == "services" and r.via != "extends" and r.name in services and r.name != name]
                 for name, s in services.items()}
        reported: set[frozenset] = set()
        state: dict[str, int] = {}  # 1: on the current path, 2: done
        path: list[tuple[str, object]] = []

        def visit(name):
            state[name] = 1
            for ref in edges[name]:
                path.append((name, ref))
                target = ref.name
                if state.get(target) == 1:
                    start = next(i for i, (n, _) in enumerate(path) if n == target)
                    cycle = path[start:]
                    members = frozenset(n for n, _ in cycle)
                    if members not in reported:
                        reported.add(members)
                        names = " → ".join([n for n, _ in cycle] + [target])
                        _, first_ref = cycle[0]
                        yield self.report_span(first_ref.node.doc, first_ref.start, first_ref.end,
                                               f"Dependency cycle: {names}")
                elif state.get(target) is None:
                    yield from visit(target)
                path.pop()
            state[name] = 2

        for name in services:
            if name not in state:
                yield from visit(name)
