from dockerls.rules.base import INFO
from dockerls.rules.compose._base import ComposeRule

_SINGULAR = {"volumes": "volume", "networks": "network", "secrets": "secret", "configs": "config"}


class UnusedResource(ComposeRule):
    """A declared volume, network, secret or config that no service uses.

    ## Why
    Compose still creates unused volumes and networks, and an unused secret or config usually
    means a service was meant to use it but the reference was forgotten or misspelled.  The
    `default` network, which configures the network every service joins implicitly, is not
    reported.

    ## Example
    ```yaml
    services:
      db:
        image: postgres:17
        volumes: [pgdata:/var/lib/postgresql/data]
    volumes:
      pgdata: {}
      cache: {}
    ```

    ## Fix
    Use it from a service, or remove the declaration.
    """

    code = "DC110"
    name = "unused-resource"
    severity = INFO
    tags = ("unnecessary",)

    def finish(self):
        used = {(ref.kind, ref.name) for s in self.project.services.values() for ref in self.ctx.references(s)}
        for kind, declared in self.project.resources.items():
            for name, resource in declared.items():
                if (kind, name) in used or (kind == "networks" and name == "default"):
                    continue
                yield self.report(resource.key, f"The {_SINGULAR[kind]} `{name}` is declared but no service uses it")
