import re

from dockerls.rules.base import WARNING, Rule

_SECRET = re.compile(r"(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)",
                     re.IGNORECASE)
_ALLOWED = re.compile(r"(?:_|^)(?:public|file|version)(?:_|$)", re.IGNORECASE)
_SECRET_WORDS = frozenset({"apikey", "auth", "credential", "credentials", "key", "password", "pword", "passwd",
                           "secret", "token"})


def is_secret_name(name: str) -> bool:
    if not _SECRET.search(name) or _ALLOWED.search(name):
        return False
    words = {w.lower() for w in name.split("_")}
    # GPG_KEY, NODE_GPG_KEYS...: the fingerprint of a public key that verifies a download
    if words & {"gpg", "pgp"} and words & _SECRET_WORDS == {"key"} and "private" not in words:
        return False
    return True


class SecretsUsedInArgOrEnv(Rule):
    """An `ARG` or `ENV` whose name says it holds a secret (`..._TOKEN`, `PASSWORD`, `API_KEY`).

    ## Why
    ARG and ENV values end up in the image: ENV in its configuration, ARG in its build history
    (`docker history` shows them), for everyone who can pull the image.  Secrets belong in
    build secrets (`RUN --mount=type=secret,id=npm_token ...`, `docker build --secret`) or in
    the environment at run time.

    A name counts as secret-like when one of its `_`-separated words is `apikey`, `auth`,
    `credential(s)`, `key`, `password`, `pword`, `passwd`, `secret` or `token`, unless a word
    is `public`, `file` or `version` (`PUBLIC_KEY`, `TOKEN_FILE`, `KEY_VERSION`).  ARGs before
    the first `FROM` are not stored in the image and are not checked.

    Unlike BuildKit, dockerls does not report `GPG_KEY` and similar names (`gpg`/`pgp` with
    `key`, and no `private`): official images use them for the fingerprint of the public key
    that verifies a download.

    ## Example
    ```Dockerfile
    FROM node:22
    ARG NPM_TOKEN
    ENV DB_PASSWORD=changeme
    ```

    ## Fix
    Pass the secret as a build secret and read it in the RUN that needs it:
    `RUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci`.

    ## Compared with hadolint
    Related to DL3064, which matches a fixed list of names and plain substrings (`TOKENIZER`,
    `USERNAME`) and also checks global ARGs.  When DL3064 reports the same instruction, this
    finding is left out (one finding, not two).
    """

    code = "DF215"
    name = "secrets-used-in-arg-or-env"
    severity = WARNING
    scope = "stage"
    instructions = frozenset({"ARG", "ENV"})
    buildkit_check = "SecretsUsedInArgOrEnv"
    superseded_by = ("DL3064",)

    def check(self, ins):
        if ins.stage_index < 0:
            return None
        return [
            self.finding(p.key_range,
                         f'Do not use ARG or ENV instructions for sensitive data ({ins.keyword} "{p.key}")')
            for p in ins.pairs if is_secret_name(p.key)
        ]
