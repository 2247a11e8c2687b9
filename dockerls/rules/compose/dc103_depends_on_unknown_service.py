from dockerls.rules.base import ERROR
from dockerls.rules.compose._base import ComposeRule


class DependsOnUnknownService(ComposeRule):
    """`depends_on` (or `links`, `volumes_from`, `network_mode`, `ipc`, `pid: service:`) names a service that
    is not defined.

    ## Why
    Compose refuses the project: "service `web` depends on undefined service `dbb`".  The usual
    cause is a typo or a service renamed in one place only.  `required: false` does not help:
    it lets the dependency fail to start, but Compose still needs the service to be defined.  A
    service that is only in profiles that are not active is not there either: Compose refuses a
    running service's `depends_on` on it ("depends on undefined service").

    ## Example
    ```yaml
    services:
      web:
        image: example/web:2.1
        depends_on: [dbb]
      db:
        image: postgres:17
    ```

    ## Fix
    Name a service the project defines (a close match is suggested), or define the service.
    """

    code = "DC103"
    name = "depends-on-unknown-service"
    severity = ERROR

    def check(self, service):
        known = self.project.services
        for ref in self.ctx.references(service):
            if ref.kind != "services" or ref.via == "extends":
                continue
            if ref.name in known:
                yield from self._inactive(service, ref, known[ref.name])
                continue
            if ref.name == service.name:
                continue  # DC104
            hint = self.ctx.suggest("services", ref.name)
            yield self.report_span(ref.node.doc, ref.start, ref.end,
                                   f"`{ref.via}` names the service `{ref.name}`, which is not defined{hint}")

    def _inactive(self, service, ref, target):
        """A dependency of a running service on a service whose profiles are not active."""
        project = self.project
        if ref.via != "depends_on" or not ref.required or not project.active(service) or project.active(target):
            return
        wanted = ", ".join(f"`{p}`" for p in sorted(project.profiles_of(target)))
        yield self.report_span(ref.node.doc, ref.start, ref.end,
                               f"`depends_on` names the service `{ref.name}`, which only runs with the profile "
                               f"{wanted}, not active: Compose refuses the project (--profile or COMPOSE_PROFILES "
                               "turns it on)")
