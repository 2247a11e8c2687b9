import re

from dockerls.rules.base import STYLE, Rule
from dockerls.rules.dockerfile._labels import has_variables

_ALLOWED = re.compile(r"[a-z0-9._/\-]+")
_RESERVED = ("com.docker.", "io.docker.", "org.dockerproject.")


def key_problem(key: str) -> str | None:
    """Why ``key`` is not a valid label key, or None."""
    if not key:
        return "it is empty"
    if key != key.lower() and _ALLOWED.fullmatch(key.lower()):
        return "use lower case only"
    if not _ALLOWED.fullmatch(key):
        return "use only lower-case letters, digits, '.', '-', '_' and '/'"
    if not ("a" <= key[0] <= "z"):
        return "start it with a lower-case letter"
    if not (key[-1].isdigit() or "a" <= key[-1] <= "z"):
        return "end it with a letter or a digit"
    if ".." in key or "--" in key:
        return "do not repeat '.' or '-'"
    for prefix in _RESERVED:
        if key.startswith(prefix):
            return f"the '{prefix}' namespace is reserved for Docker's own labels"
    return None


class InvalidLabelKey(Rule):
    """A `LABEL` key that does not follow Docker's label-key format.

    ## Why
    Docker recommends label keys in reverse-DNS notation made of lower-case letters, digits,
    `.` and `-` (`org.opencontainers.image.title`), starting with a letter and ending with a
    letter or digit, without repeated separators.  The `com.docker.*`, `io.docker.*` and
    `org.dockerproject.*` namespaces belong to Docker.  Keys outside the convention are easy to
    mistype and clash with other tools' labels.

    ## Example
    ```Dockerfile
    FROM alpine:3.20
    LABEL Version=1.0 com.docker.team=infra
    ```

    ## Fix
    Use lower-case, namespaced keys: `LABEL org.opencontainers.image.version=1.0`.

    ## Compared with hadolint
    hadolint reports the `LABEL` instruction once; dockerls reports each bad key, naming what is
    wrong.  Keys built from variables (`${PREFIX}.version`) are only known at build time and
    are not checked.
    """

    code = "DL3048"
    name = "invalid-label-key"
    severity = STYLE
    scope = "stage"
    instructions = frozenset({"LABEL"})

    def check(self, ins):
        out = []
        escape = self.ctx.df.escape
        for pair in ins.pairs:
            if has_variables(pair.key, escape):
                continue
            why = key_problem(pair.key)
            if why:
                out.append(self.finding(pair.key_range, f"Invalid label key `{pair.key}`: {why}"))
        return out
