from dockerls.rules.base import ERROR
from dockerls.rules.compose._base import ComposeRule


class DependsOnUnknownService(ComposeRule):
    """`depends_on` (or `links`, `volumes_from`, `network_mode`, `ipc`, `pid: service:`) names a service that
    is not defined.

    ## Why
    Compose refuses the project: "service `web` depends on undefined service `dbb`".  The usual
    cause is a typo or a service renamed in one place only.  `required: false` does not help:
    it lets the dependency fail to start, but Compose still needs the service to be defined.

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
            if ref.kind != "services" or ref.via == "extends" or ref.name in known:
                continue
            if ref.name == service.name:
                continue  # DC104
            hint = self.ctx.suggest("services", ref.name)
            yield self.report_span(ref.node.doc, ref.start, ref.end,
                                   f"`{ref.via}` names the service `{ref.name}`, which is not defined{hint}")
