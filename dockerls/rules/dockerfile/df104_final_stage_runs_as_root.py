from __future__ import annotations

from dockerls.rules.base import INFO, Rule
from dockerls.rules.dockerfile._instructions import parent_stage

# Tools that start as root and switch to another user at run time (the entrypoint drops privileges).
_PRIVILEGE_DROPPERS = ("gosu", "su-exec", "setpriv", "s6-setuidgid", "chpst", "runuser", "setuser")
_NON_ROOT_TAGS = ("nonroot", "non-root", "rootless")


class FinalStageRunsAsRoot(Rule):
    """The final stage never sets `USER`, so the container runs as the base image's user: usually root.

    ## Why
    Unless the Dockerfile says otherwise, the main process of the container runs as root.  Root in
    a container is the same UID 0 as on the host: with a writable bind mount, a misconfigured
    capability or a kernel or runtime escape, it is root on the host.  Most applications need no
    privilege at all; running them as an unprivileged user is the cheapest defence in depth there
    is, and platforms such as Kubernetes with `runAsNonRoot` or OpenShift refuse or remap root
    images.

    dockerls cannot see the base image, so it only knows that this Dockerfile never chose a user:
    the base may set one (distroless `:nonroot`, Bitnami and some vendor images do), but most
    official images (`python`, `node`, `debian`, `nginx`...) run as root.  A stage built `FROM`
    an earlier stage inherits that stage's `USER`, and counts as setting it.

    Not reported: when a `USER` is set (if the last one is root, DL3002 reports it instead, so the
    two rules never report the same image); when the stage installs or uses a tool that drops
    privileges at run time (`gosu`, `su-exec`, `setpriv`, `s6-setuidgid`, `chpst`, `runuser`), the
    usual pattern of official images whose entrypoint starts as root, fixes permissions and then
    runs the server as its own user; when the base image's tag says it is non-root (`nonroot`,
    `rootless`); and for a final `FROM scratch` stage without `CMD` or `ENTRYPOINT`, which only
    collects build output (`docker build --output`) and never runs.  A `FROM scratch` stage that
    does run something is reported: a numeric `USER 65534:65534` works there without a user
    database.  Servers whose master process starts as root and runs its workers as another user
    (nginx, Apache httpd, the php-fpm master) are reported too: the main process is root.  Run them
    unprivileged on a port above 1024, or ignore the rule for such images.

    Off by default: images that are meant to start as root (most official images) would all be
    reported; enable it (`enable: [DF104]`) for your application images.

    ## Example
    ```Dockerfile
    FROM python:3.12-slim
    WORKDIR /app
    COPY . .
    CMD ["gunicorn", "app:app"]
    ```

    ## Fix
    Create an unprivileged user and switch to it at the end of the final stage:
    ```Dockerfile
    RUN useradd --system --uid 10001 app
    USER 10001
    CMD ["gunicorn", "app:app"]
    ```
    There is no quick fix: the application may need to write to files owned by root (use
    `COPY --chown` for those).  When the image must start as root, drop privileges in the
    entrypoint (`gosu`, `su-exec`, `setpriv`).
    """

    code = "DF104"
    # Most official images run as root by design (81 % of ../shared/corpus/official): a default that
    # fires on most Dockerfiles is noise for a CI gate.  Turn it on with `enable: [DF104]`.
    status = "off-by-default"
    name = "final-stage-runs-as-root"
    severity = INFO
    instructions = frozenset()  # everything happens in finish()

    def finish(self):
        df = self.ctx.df
        if not df.stages:
            return None
        final = df.stages[-1]
        chain, seen, index = [], set(), final.index
        while index is not None and index not in seen:
            seen.add(index)
            chain.append(df.stages[index])
            index = parent_stage(df, index)
        root_image = chain[-1].from_instruction.image
        if root_image is not None:
            if root_image.has_variables:
                return None  # the base is chosen at build time
            tag = (root_image.tag or "").lower()
            if any(t in tag for t in _NON_ROOT_TAGS):
                return None
            if root_image.name.lower() == "scratch" and not any(
                    ins.keyword in ("CMD", "ENTRYPOINT") for ins in final.instructions):
                return None
        for stage in chain:
            for ins in stage.instructions:
                if ins.keyword == "USER" or self._drops_privileges(ins):
                    return None
        frm = final.from_instruction
        base = f"the default user of {root_image.raw}" if root_image is not None else "the base image's user"
        return [self.finding(
            self.ctx.head_range(frm),
            f"The final stage never sets USER, so the container runs as {base} (root for most images). "
            "Switch to an unprivileged user with USER",
        )]

    def _drops_privileges(self, ins) -> bool:
        if ins.keyword == "RUN":
            words = (w.value for cmd in self.ctx.shell(ins).commands for w in cmd.words)
        elif ins.keyword in ("ENTRYPOINT", "CMD"):
            words = (w.value for w in ins.words)
        else:
            return False
        return any(tool in value for value in words for tool in _PRIVILEGE_DROPPERS)
