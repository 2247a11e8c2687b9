from dockerls.rules.base import ERROR
from dockerls.rules.compose._base import ComposeRule


class DependsOnSelf(ComposeRule):
    """A service depends on itself.

    ## Why
    A service cannot wait for its own start; Compose reports a dependency cycle and starts nothing.
    This is usually a copy-paste slip from another service's definition.

    ## Example
    ```yaml
    services:
      web:
        image: example/web:2.1
        depends_on: [web, db]
    ```

    ## Fix
    Remove the service's own name from `depends_on` (or `links`, `volumes_from`).
    """

    code = "DC104"
    name = "depends-on-self"
    severity = ERROR

    def check(self, service):
        for ref in self.ctx.references(service):
            if ref.kind == "services" and ref.via != "extends" and ref.name == service.name:
                yield self.report_span(ref.node.doc, ref.start, ref.end,
                                       f"The service `{service.name}` depends on itself (`{ref.via}`)")
