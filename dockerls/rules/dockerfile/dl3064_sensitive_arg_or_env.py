import re

from dockerls.rules.base import WARNING, Rule

# hadolint's list of well-known secret variables.
KNOWN_SECRETS = frozenset({
    "ACCESS_TOKEN", "APPLICATION_KEY", "APP_SECRET", "AUTH_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
    "BITTREX_API_KEY", "BITTREX_API_SECRET", "CF_PASSWORD", "CF_USERNAME", "CIRCLE_TOKEN", "CI_DEPLOY_PASSWORD",
    "CI_DEPLOY_USER", "DOCKERHUB_PASSWORD", "DOCKER_EMAIL", "DOCKER_PASSWORD", "DOCKER_USERNAME",
    "FACEBOOK_ACCESS_TOKEN", "FACEBOOK_APP_ID", "FACEBOOK_APP_SECRET", "FIREBASE_API_TOKEN", "FIREBASE_TOKEN",
    "FOSSA_API_KEY", "GH_ENTERPRISE_TOKEN", "GH_TOKEN", "GITHUB_ENTERPRISE_TOKEN", "GITHUB_TOKEN", "HEROKU_API_KEY",
    "HEROKU_API_USER", "NPM_AUTH_TOKEN", "NPM_TOKEN", "OKTA_AUTHN_GROUPID", "OKTA_CLIENT_ORGURL", "OKTA_CLIENT_TOKEN",
    "OKTA_OAUTH2_CLIENTID", "OKTA_OAUTH2_CLIENTSECRET", "OPENAI_API_KEY", "OS_PASSWORD", "OS_USERNAME",
    "POSTGRES_PASSWORD", "SLACK_TOKEN", "STRIPE_API_KEY", "STRIPE_DEVICE_NAME", "TRAVIS_OS_NAME",
    "TRAVIS_SECURE_ENV_VARS", "TRAVIS_SUDO", "VAULT_CLIENT_KEY", "VAULT_TOKEN",
})
# Anywhere in the name: no ordinary word contains these.
SECRET_SUBSTRINGS = ("password", "passwd", "secret", "api_key", "apikey", "client_key", "private_key")
# Whole name segments only, so that TOKENIZERS_PARALLELISM or PRIVATE_REPO_URL are not secrets.
SECRET_SEGMENT = re.compile(r"(?:^|[_.-])(?:[a-z0-9]*token|tokens|private)(?:$|[_.-])")
# Names that point at a secret instead of holding one: POSTGRES_PASSWORD_FILE=/run/secrets/db.
POINTER_SUFFIXES = ("_file", "_path", "_dir", "_name")


def is_sensitive(name: str) -> bool:
    if name.upper() in KNOWN_SECRETS:
        return True
    low = name.lower()
    if low.endswith(POINTER_SUFFIXES):
        return False
    return any(s in low for s in SECRET_SUBSTRINGS) or SECRET_SEGMENT.search(low) is not None


class SensitiveArgOrEnv(Rule):
    """An `ARG` or `ENV` name suggests it holds a secret (a password, token or key).

    ## Why
    `ENV` values are stored in the image config: anyone who can pull the image can read them
    with `docker inspect`.  `ARG` values end up in the image history and the build cache, and in
    the environment of every `RUN` that uses them.  Neither is a safe place for credentials.

    Names that point at a secret rather than hold one (`..._FILE`, `..._PATH`) are not reported.

    ## Example
    ```Dockerfile
    FROM node:22-slim
    ARG NPM_TOKEN
    RUN echo "//npm.example.com/:_authToken=${NPM_TOKEN}" > ~/.npmrc && npm ci
    ```

    ## Fix
    Pass secrets with BuildKit secret mounts, which are never stored in the image:
    `RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci`, and at run time through the
    orchestrator's secrets or environment, not the Dockerfile.

    ## Compared with hadolint
    Same list of well-known names.  hadolint also matches `token`, `private` and `username`
    anywhere in a name, which reports `TOKENIZERS_PARALLELISM` or `ARG USERNAME=app`; dockerls
    matches `token` and `private` as whole parts of the name (`GH_TOKEN`, `AUTHTOKEN`), does not
    treat a user name as a secret (the well-known `DOCKER_USERNAME` and the like excepted) and
    skips pointer names such as `POSTGRES_PASSWORD_FILE`.  One finding per name, not per
    instruction.  `ONBUILD` instructions are checked too, as hadolint does.
    """

    code = "DL3064"
    name = "sensitive-arg-or-env"
    severity = WARNING
    scope = "stage"
    per_instruction = True
    instructions = frozenset({"ARG", "ENV", "ONBUILD"})

    def check(self, ins):
        target = ins.inner if ins.keyword == "ONBUILD" else ins
        if target is None or target.keyword not in ("ARG", "ENV"):
            return None
        where = "the image config" if target.keyword == "ENV" else "the image history and build cache"
        return [self.finding(p.key_range, f"Potentially sensitive data should not be used in the `ARG` or `ENV` "
                             f"commands: the value of {target.keyword} '{p.key}' is kept in {where}")
                for p in target.pairs if is_sensitive(p.key)]
