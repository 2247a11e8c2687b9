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
        done: set[str] = set()
        # Depth-first, with an explicit stack: a chain of thousands of services must not exhaust
        # Python's recursion limit.  ``path`` holds the edges being followed, ``on_path`` where each
        # service on it starts.
        path: list[tuple[str, object]] = []
        on_path: dict[str, int] = {}
        for root in services:
            if root in done:
                continue
            on_path[root] = 0
            stack = [(root, iter(edges[root]))]
            while stack:
                name, todo = stack[-1]
                ref = next(todo, None)
                if ref is None:
                    stack.pop()
                    del on_path[name]
                    done.add(name)
                    if path:
                        path.pop()
                    continue
                target = ref.name
                if target in on_path:
                    cycle = [*path[on_path[target]:], (name, ref)]
                    members = frozenset(n for n, _ in cycle)
                    if members not in reported:
                        reported.add(members)
                        names = _chain([n for n, _ in cycle] + [target])
                        _, first_ref = cycle[0]
                        yield self.report_span(first_ref.node.doc, first_ref.start, first_ref.end,
                                               f"Dependency cycle: {names}")
                elif target not in done:
                    path.append((name, ref))
                    on_path[target] = len(path)
                    stack.append((target, iter(edges[target])))


def _chain(names: list[str], most: int = 12) -> str:
    """``a → b → a``; a long cycle is shortened in the middle."""
    if len(names) > most:
        names = [*names[: most // 2], f"… {len(names) - most} more …", *names[-most // 2 :]]
    return " → ".join(names)
