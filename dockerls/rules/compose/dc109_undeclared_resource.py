from dockerls.rules.base import ERROR
from dockerls.rules.compose._base import ComposeRule

_SINGULAR = {"volumes": "volume", "networks": "network", "secrets": "secret", "configs": "config"}


class UndeclaredResource(ComposeRule):
    """A service uses a named volume, network, secret or config that the top level does not declare.

    ## Why
    Named volumes, networks, secrets and configs must be declared under the top-level key of the
    same name; Compose refuses "service `db` refers to undefined volume `pgdata`".  A typo in
    the name is the usual cause.  The implicit `default` network needs no declaration.

    ## Example
    ```yaml
    services:
      db:
        image: postgres:17
        volumes:
          - pgdata:/var/lib/postgresql/data
    ```

    ## Fix
    Declare it (`volumes: {pgdata: {}}` at the top level), or correct the name (a close match is
    suggested).  For a host folder, write a path: `./pgdata:/var/lib/postgresql/data`.
    """

    code = "DC109"
    name = "undeclared-resource"
    severity = ERROR

    def check(self, service):
        for ref in self.ctx.references(service):
            if ref.kind == "services" or (ref.kind == "networks" and ref.name == "default"):
                continue
            declared = self.project.resources[ref.kind]
            if ref.name in declared:
                continue
            hint = self.ctx.suggest(ref.kind, ref.name) or f": declare it under the top-level `{ref.kind}`"
            yield self.report_span(ref.node.doc, ref.start, ref.end,
                                   f"The {_SINGULAR[ref.kind]} `{ref.name}` is not declared{hint}")
