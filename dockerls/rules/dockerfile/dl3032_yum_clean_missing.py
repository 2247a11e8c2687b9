from dockerls.rules.base import WARNING
from dockerls.rules.dockerfile._rpm import YUM, MissingCleanRule


class YumCleanMissing(MissingCleanRule):
    """A RUN installs with `yum` and leaves yum's cache behind.

    ## Why
    `yum install` downloads repository metadata (and, depending on the configuration,
    packages) into `/var/cache/yum`.  Whatever is still there when the RUN ends is stored in
    the layer, often tens of megabytes nobody needs at run time.  Cleaning up in a later RUN
    does not help: the bytes stay in the earlier layer.

    A cleanup counts when it comes after the last install of the RUN: `yum clean ...`
    (`dnf clean ...` too, which shares the cache) or `rm -rf /var/cache/yum/*`.  A RUN whose
    `--mount=type=cache` (or tmpfs) covers the cache directory is fine.

    ## Example
    ```Dockerfile
    FROM centos:7
    RUN yum install -y httpd-2.4.6
    ```

    ## Fix
    End the RUN with `yum clean all`:
    ```Dockerfile
    RUN yum install -y httpd-2.4.6 && yum clean all
    ```
    or use a cache mount (`RUN --mount=type=cache,target=/var/cache/yum ...`).  The quick fix
    appends `&& yum clean all` when the install is the RUN's last command; it is safe.

    ## Compared with hadolint
    hadolint accepts a cleanup anywhere after the first install (`yum install a && yum clean all
    && yum install b` passes); dockerls wants it after the last one.  dockerls also counts
    `update`/`upgrade`, `reinstall`, `downgrade`, `distro-sync`, `groupinstall`, `localinstall` and
    `yum module install` as filling the cache, accepts `dnf clean` and a cache mount on
    `/var/cache/yum` (hadolint does not), and reads `sudo` and `sh -c "..."`.
    """

    code = "DL3032"
    name = "yum-clean-missing"
    severity = WARNING
    scope = "stage"
    per_instruction = True
    tool = YUM
