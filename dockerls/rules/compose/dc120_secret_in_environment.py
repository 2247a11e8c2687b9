import re

from dockerls.parse.compose.values import entries
from dockerls.parse.compose.yaml_tree import Scalar
from dockerls.rules.base import WARNING
from dockerls.rules.compose._base import ComposeRule

_SECRET_NAME = re.compile(r"(PASSWORD|PASSWD|SECRET|TOKEN|_KEY$|^KEY$|PRIVATE_?KEY|API_?KEY|ACCESS_?KEY|CREDENTIAL)")
# A word after the secret's own that makes the variable about the secret, not the secret itself:
# TOKEN_TTL_SECONDS, DB_CREDENTIALS__HOST, API_KEY_ID, PASSWORD_MIN_LENGTH.
_ABOUT_THE_SECRET = frozenset({
    "FILE", "PATH", "DIR", "TTL", "SECONDS", "MINUTES", "HOURS", "DAYS", "MS", "EXPIRY", "EXPIRES", "EXPIRATION",
    "LENGTH", "MIN", "MAX", "TIMEOUT", "ENABLED", "ENABLE", "DISABLED", "HEADER", "NAME", "URL", "HOST", "PORT",
    "USER", "USERNAME", "DATABASE", "DB", "TYPE", "ALGORITHM", "ALG", "REGION", "ID", "ENDPOINT", "ISSUER",
    "AUDIENCE", "SCOPE", "SCOPES", "PROVIDER", "MODE", "VERSION", "PREFIX", "LOCATION", "COOKIE", "ROTATION",
    "POLICY", "REQUIRED", "HASH", "HASHER", "ROUNDS", "COST", "STRENGTH", "SIZE", "BITS"})
_URL_PASSWORD = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*:([^@/\s]+)@")


class SecretInEnvironment(ComposeRule):
    """A password, token or key written as a plain value in `environment`.

    ## Why
    The Compose file is committed, shared and printed (`docker compose config`); a secret in it
    leaks with it, and `docker inspect` shows every environment variable of the container.
    Variables whose name says they hold a secret (`*PASSWORD*`, `*SECRET*`, `*TOKEN*`, `*_KEY`)
    with a literal value are reported, and so is a password inside a URL
    (`postgres://app:hunter2@db/app`); values taken from the environment or `.env` (`${VAR}`), and
    variables about a secret rather than holding one (`*_FILE`, `*_TOKEN_TTL_SECONDS`,
    `*_CREDENTIALS__HOST`) are not.

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
            node = entry.value_node
            if not entry.value or type(node) is Scalar and (node.interpolated or not isinstance(node.value, str)):
                continue
            url = _URL_PASSWORD.search(entry.value)
            if url and "$" not in url.group(1):
                start, end = entry.value_start, entry.value_end
                if entry.node.doc.text[start:end] == entry.value:  # written as it reads: point at the password
                    start, end = start + url.start(1), start + url.end(1)
                yield self.report_span(entry.node.doc, start, end,
                                       f"`{entry.name}` holds a URL with a password written in the Compose file: "
                                       f"take it from `.env` or a secret")
                continue
            if not _names_a_secret(name):
                continue
            if entry.value.startswith("/run/secrets/") or entry.value.lower() in ("true", "false"):
                continue
            yield self.report_span(entry.node.doc, entry.value_start, entry.value_end,
                                   f"`{entry.name}` holds a secret written in the Compose file: use a Compose "
                                   f"secret, or take it from `.env` with `${{{entry.name.strip()}}}`")


def _names_a_secret(name: str) -> bool:
    """The name holds a secret word, and no word after it says it is only about the secret."""
    matches = list(_SECRET_NAME.finditer(name))
    if not matches:
        return False
    after = [w for w in re.split(r"_+", name[matches[-1].end():]) if w]
    return not any(w in _ABOUT_THE_SECRET for w in after)
