from dockerls.parse.compose.values import text_of
from dockerls.parse.compose.yaml_tree import Mapping, Scalar, Sequence
from dockerls.rules.base import WARNING
from dockerls.rules.compose._base import ComposeRule


def has_healthcheck(service) -> bool:
    check = service.get("healthcheck")
    if type(check) is not Mapping:
        return False
    disable = check.get("disable")
    if type(disable) is Scalar and disable.value is True:
        return False
    test = check.get("test")
    first = text_of(test.items[0]) if type(test) is Sequence and test.items else text_of(test)
    return first != "NONE"


class HealthyDependencyWithoutHealthcheck(ComposeRule):
    """`condition: service_healthy` on a service that has no health check.

    ## Why
    Compose waits for the dependency to report "healthy", which only a container with a health
    check ever does: without one, `docker compose up` fails ("container has no healthcheck
    configured").  A service built from a Dockerfile with a `HEALTHCHECK` is fine; for a service
    that only names an image, dockerls cannot see whether the image defines one.

    ## Example
    ```yaml
    services:
      web:
        image: example/web:2.1
        depends_on:
          db:
            condition: service_healthy
      db:
        image: postgres:17
    ```

    ## Fix
    Give the dependency a `healthcheck` (for PostgreSQL: `test: ["CMD-SHELL", "pg_isready -U
    postgres"]`), or wait with `condition: service_started`.
    """

    code = "DC106"
    name = "healthy-dependency-without-healthcheck"
    severity = WARNING

    def check(self, service):
        depends = service.get("depends_on")
        if type(depends) is not Mapping:
            return
        for pair in depends.pairs:
            condition = pair.value.get("condition") if type(pair.value) is Mapping else None
            target = self.project.services.get(pair.name)
            if text_of(condition) != "service_healthy" or target is None or has_healthcheck(target):
                continue
            built = self._dockerfile_healthcheck(target)
            if built is True:
                continue
            why = "" if built is False else " (unless its image defines a HEALTHCHECK)"
            yield self.report(condition, f"`{pair.name}` has no health check{why}: it never becomes healthy, "
                              "so this service cannot start")

    def _dockerfile_healthcheck(self, service) -> bool | None:
        """Whether the Dockerfile the service builds has a HEALTHCHECK; None when unknown."""
        path = self.project.dockerfile_of(service)
        df = self.ctx.dockerfile(path) if path is not None else None
        if df is None or not df.stages:
            return None
        build = service.get("build")
        target = text_of(build.get("target")) if type(build) is Mapping else None
        stage = next((s for s in df.stages if target and s.name and s.name.lower() == target.lower()), df.stages[-1])
        checks = [i for i in stage.instructions if i.keyword == "HEALTHCHECK"]
        if not checks:
            return None  # it may inherit one from its base image
        return checks[-1].args_text.strip().upper() != "NONE"
