import re

from dockerls.parse.compose.values import entries
from dockerls.parse.compose.yaml_tree import Scalar
from dockerls.rules.base import WARNING
from dockerls.rules.compose._base import ComposeRule

_SECRET_NAME = re.compile(r"(PASSWORD|PASSWD|SECRET|TOKEN|_KEY$|^KEY$|PRIVATE_?KEY|API_?KEY|ACCESS_?KEY|CREDENTIAL)")
_NOT_A_SECRET = re.compile(r"(_FILE|_PATH|_DIR|_TTL|_EXPIRY|_EXPIRES|_LENGTH|_TIMEOUT|_ENABLED|_HEADER|_NAME|_URL)$")


class SecretInEnvironment(ComposeRule):
    """A password, token or key written as a plain value in `environment`.

    ## Why
    The Compose file is committed, shared and printed (`docker compose config`); a secret in it
    leaks with it, and `docker inspect` shows every environment variable of the container.
    Variables whose name says they hold a secret (`*PASSWORD*`, `*SECRET*`, `*TOKEN*`, `*_KEY`)
    with a literal value are reported; values taken from the environment or `.env` (`${VAR}`) and
    `*_FILE` variables that point to a secret file are not.

    ## Example
    ```yaml
    services:
      db:
        image: postgres:17
        environment:
          POSTGRES_PASSWORD: hunter2
    ```

    ## Fix
    Use a Compose secret (`secrets: [db_password]` and `POSTGRES_PASSWORD_FILE:
    /run/secrets/db_password`, with the secret declared from a file), or take the value from an
    untracked `.env`: `POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}`.
    """

    code = "DC120"
    name = "secret-in-environment"
    severity = WARNING

    def check(self, service):
        for entry in entries(service.get("environment")):
            name = entry.name.strip().upper()
            if not entry.value or not _SECRET_NAME.search(name) or _NOT_A_SECRET.search(name):
                continue
            node = entry.value_node
            if type(node) is Scalar and (node.interpolated or not isinstance(node.value, str)):
                continue
            if entry.value.startswith("/run/secrets/") or entry.value.lower() in ("true", "false"):
                continue
            yield self.report_span(entry.node.doc, entry.value_start, entry.value_end,
                                   f"`{entry.name}` holds a secret written in the Compose file: use a Compose "
                                   f"secret, or take it from `.env` with `${{{entry.name.strip()}}}`")
