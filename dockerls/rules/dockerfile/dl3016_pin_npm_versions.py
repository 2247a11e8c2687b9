from dockerls.rules.base import WARNING, Rule
from dockerls.rules.dockerfile._packages import NPM, RUN_KEYWORDS, calls, pin_findings, run_of

_INSTALL = frozenset({"install", "i", "add"})
_GIT = ("git://", "git+ssh://", "git+http://", "git+https://", "github:", "gitlab:", "bitbucket:")
_TARBALLS = (".tar", ".tar.gz", ".tgz")
_LOCAL = ("/", "./", "../", "~/", "file:")
_FLOATING_TAGS = frozenset({"", "latest", "next"})


def _pinned(spec: str) -> bool:
    if spec.startswith(_GIT):
        return "#" in spec
    if spec.endswith(_TARBALLS) or spec.startswith(_LOCAL):
        return True
    name = spec[1:] if spec.startswith("@") else spec  # @scope/name@1.2
    if "@" not in name:
        return False
    return name.rsplit("@", 1)[1] not in _FLOATING_TAGS


def _suggest(spec: str) -> str:
    if spec.startswith(_GIT):
        return f"{spec}#<tag>"
    name = spec[1:] if spec.startswith("@") else spec
    if "@" in name:
        spec = spec.rsplit("@", 1)[0]  # drop @latest
    return f"{spec}@<version>"


class PinNpmVersions(Rule):
    """`npm install` of a package without a version.

    ## Why
    `npm install express` takes the newest release at build time, so rebuilding the same
    Dockerfile can bring a new major version, and a broken image, with no change in your files.

    Counted as pinned: `name@version` (also ranges like `@^4`), a git URL with a `#ref`, a tarball,
    or a local path.  The floating tags `@latest` and `@next` are not versions.  `npm install`
    and `npm ci` without package names install what `package.json`/`package-lock.json` say and
    are not reported.

    ## Example
    ```Dockerfile
    FROM node:22-slim
    RUN npm install -g express
    ```

    ## Fix
    Name the version: `npm install -g express@4.21.1`; for an application, commit a lock file and
    run `npm ci`.

    ## Compared with hadolint
    hadolint checks `npm install` only and takes `@latest` as a version; dockerls also checks
    `npm i` and `npm add`, reports `@latest`/`@next`, reports each package on its own word, and
    looks inside `sh -c "..."`.
    """

    code = "DL3016"
    name = "pin-npm-versions"
    severity = WARNING
    scope = "stage"
    per_instruction = True
    instructions = RUN_KEYWORDS

    def check(self, ins):
        run = run_of(ins)
        if run is None:
            return None
        return pin_findings(self, run, calls(self.ctx, run, NPM, _INSTALL), _pinned, "Pin versions in npm", "@",
                            suggest=_suggest)
