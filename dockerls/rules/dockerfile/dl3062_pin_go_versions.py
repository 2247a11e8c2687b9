from dockerls.rules.base import WARNING, Rule
from dockerls.rules.dockerfile._packages import GO, RUN_KEYWORDS, Call, calls, pin_findings, run_of

_VERBS = frozenset({"install", "get", "run"})
_META = frozenset({"std", "cmd", "all", "tool"})  # package patterns of the toolchain itself
# Version queries that move: `@latest` is whatever was tagged last, `@master` a branch.
_FLOATING = frozenset({"latest", "upgrade", "patch", "none", "master", "main", "HEAD"})


def _pinned(path: str) -> bool:
    if path.startswith((".", "/")) or path.endswith(".go") or path in _META:
        return True  # local packages and files, built from the module's own go.mod
    return "@" in path and path.rsplit("@", 1)[1] not in _FLOATING


def _suggest(path: str) -> str:
    return f"{path.rsplit('@', 1)[0]}@<version>"


class PinGoVersions(Rule):
    """`go install`, `go get` or `go run` of a remote package without a version.

    ## Why
    `go install example.com/tool@latest` (or without a version) builds whatever was published
    last, so two builds of the same Dockerfile can produce different binaries, and a rebuild can
    break with no change in your files.

    Local packages (`.`, `./cmd/app`, `./...`), `.go` files and `std` are built from your own
    `go.mod` and are not reported.  For `go run` only the package is checked, not the arguments
    given to the program.

    ## Example
    ```Dockerfile
    FROM golang:1.23
    RUN go install golang.org/x/tools/gopls@latest
    ```

    ## Fix
    Name a version: `go install golang.org/x/tools/gopls@v0.16.2`.

    ## Compared with hadolint
    hadolint also reports `go run main.go` and `go install std`; dockerls treats `.go` files and
    the toolchain's own package patterns as local.  dockerls also reports branch names
    (`@master`, `@main`, `@HEAD`) and `@upgrade`/`@patch`, skips the values of build flags
    (`-tags netgo`), and looks inside `sh -c "..."`.
    """

    code = "DL3062"
    name = "pin-go-versions"
    severity = WARNING
    scope = "stage"
    per_instruction = True
    instructions = RUN_KEYWORDS

    def check(self, ins):
        run = run_of(ins)
        if run is None:
            return None
        found = [Call(c.cmd, c.verb, c.operands[:1], c.name) if c.verb.value == "run" else c
                 for c in calls(self.ctx, run, GO, _VERBS)]
        return pin_findings(self, run, found, _pinned, "Pin versions in go", "@", suggest=_suggest)
