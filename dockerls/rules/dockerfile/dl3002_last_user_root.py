from dockerls.rules.base import WARNING, Rule
from dockerls.rules.dockerfile._instructions import final_stages, parent_stage


def is_root(user: str) -> bool:
    name = user.split(":", 1)[0]
    return name in ("root", "0")


class LastUserRoot(Rule):
    """The image ends up running as root: the last `USER` of the stage switches to root.

    ## Why
    A process running as root inside a container is root on the container's filesystem and, if it
    escapes, has far more power on the host.  Switching to root to install something is fine, but
    the image should switch back to an unprivileged user before it is done.

    Only stages that become images are checked: the last stage and stages no other stage uses.  A
    build stage that is only copied from (`COPY --from=build`) never runs as a container, and a
    stage built `FROM` another one inherits that stage's last `USER` (reported if it is root and
    the child does not switch away).

    ## Example
    ```Dockerfile
    FROM python:3.12-slim
    RUN useradd --create-home app
    USER app
    RUN pip install --user httpie
    USER root
    ```

    ## Fix
    End the stage with `USER <unprivileged user>` (a numeric UID works best with Kubernetes'
    `runAsNonRoot`).

    ## Compared with hadolint
    hadolint reports every stage whose last `USER` is root, also build stages that are only
    copied from and base stages whose children switch to another user; dockerls reports the
    stages that end up as images, following `FROM <stage>` inheritance.
    """

    code = "DL3002"
    name = "last-user-root"
    severity = WARNING
    instructions = frozenset({"USER"})

    def __init__(self, ctx):
        super().__init__(ctx)
        self.last_user: dict[int, object] = {}  # stage index -> its last USER

    def check(self, ins):
        if ins.stage_index >= 0:
            self.last_user[ins.stage_index] = ins

    def finish(self):
        if not self.last_user:
            return
        df = self.ctx.df
        reported: set[int] = set()
        for index in final_stages(df):
            user, seen = None, set()
            while index is not None and index not in seen:
                seen.add(index)
                user = self.last_user.get(index)
                if user is not None:
                    break
                index = parent_stage(df, index)
            if user is None or user.index in reported or not is_root(user.args_text.strip()):
                continue
            reported.add(user.index)
            yield self.finding(user.args_range, f"Last USER should not be root: the image runs as "
                               f"'{user.args_text.strip()}'; switch to an unprivileged user at the end of the stage")
