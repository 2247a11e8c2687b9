from dockerls.rules.base import WARNING, Rule
from dockerls.rules.dockerfile._packages import PIP, PIPX, RUN_KEYWORDS, calls, pin_findings, run_of

_INSTALL = frozenset({"install"})
_OPERATORS = ("==", ">=", "<=", ">", "<", "!=", "~=")
_ARCHIVES = (".whl", ".tar.gz", ".tgz", ".tar.bz2", ".zip")
_VCS = ("git+", "hg+", "svn+", "bzr+")


def _pinned(spec: str) -> bool:
    if any(op in spec for op in _OPERATORS) or spec.endswith(_ARCHIVES):
        return True
    if spec.startswith(_VCS):
        return "@" in spec.split("://", 1)[-1]  # git+https://host/repo.git@v1.2
    return "/" in spec or spec.startswith(".")  # a local directory, file or URL


def _suggest(spec: str) -> str:
    return f"{spec}@<revision>" if spec.startswith(_VCS) else f"{spec}==<version>"


class PinPipVersions(Rule):
    """`pip install` (or `pipx install`) of a package without a version.

    ## Why
    `pip install requests` takes the newest release on the day of the build.  Rebuilding the same
    Dockerfile can then bring a new major version, with changed behaviour or dropped support for
    your Python, and nothing in your files shows why the image changed.

    A requirement counts as pinned when it has a version specifier (`==`, `>=`, `~=`, ...), is a
    wheel or sdist file, a local path (`.`, `./src`), a URL, or a VCS URL with a revision
    (`git+https://...@v1.2`).  Requirement files (`-r`) are not read; a constraints file (`-c`,
    or `PIP_CONSTRAINT`) pins what is installed, so such commands are not reported.

    ## Example
    ```Dockerfile
    FROM python:3.12-slim
    RUN pip install --no-cache-dir flask
    ```

    ## Fix
    Pin each requirement: `pip install --no-cache-dir flask==3.0.3`, or list them with versions in
    a requirements file and `pip install -r requirements.txt` (a lock file made with `pip-compile`
    or `uv pip compile` pins the dependencies too).

    ## Compared with hadolint
    hadolint skips a whole command that has `-r` or `.` in it; dockerls still reports the other
    packages named on that command.  dockerls reports each package on its own word, expands the
    variables it knows, accepts `PIP_CONSTRAINT` and looks inside `sh -c "..."`.
    """

    code = "DL3013"
    name = "pin-pip-versions"
    severity = WARNING
    scope = "stage"
    per_instruction = True
    instructions = RUN_KEYWORDS

    def check(self, ins):
        run = run_of(ins)
        if run is None:
            return None
        found = [c for c in calls(self.ctx, run, PIP, _INSTALL) if not self._constrained(run, c)]
        found += calls(self.ctx, run, PIPX, _INSTALL)
        if not found:
            return None
        return pin_findings(self, run, found, _pinned, "Pin versions in pip", "==", suggest=_suggest)

    def _constrained(self, run, call) -> bool:
        if call.has_flag("-c", "--constraint"):
            return True
        if "PIP_CONSTRAINT=" in self.ctx.shell(run).text:
            return True
        var = self.ctx.variables(run).get("PIP_CONSTRAINT") if call.operands else None
        return bool(var and var.value)
