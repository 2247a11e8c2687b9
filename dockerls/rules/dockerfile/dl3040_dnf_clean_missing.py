from dockerls.rules.base import WARNING
from dockerls.rules.dockerfile._rpm import DNF, MissingCleanRule


class DnfCleanMissing(MissingCleanRule):
    """A RUN installs with `dnf` or `microdnf` and leaves the package cache behind.

    ## Why
    `dnf install` downloads repository metadata (and, depending on the configuration,
    packages) into `/var/cache/dnf` (`/var/cache/yum` for microdnf, `/var/cache/libdnf5` for
    dnf5).  Whatever is still there when the RUN ends is stored in the layer, often tens of
    megabytes.  Cleaning up in a later RUN does not help: the bytes stay in the earlier layer.

    A cleanup counts when it comes after the last install of the RUN: `dnf clean ...`
    (`microdnf clean ...`, `yum clean ...`) or `rm -rf` of the cache directory.  A RUN whose
    `--mount=type=cache` (or tmpfs) covers the cache directory is fine.

    ## Example
    ```Dockerfile
    FROM fedora:40
    RUN dnf install -y httpd-2.4.62
    ```

    ## Fix
    End the RUN with `dnf clean all`:
    ```Dockerfile
    RUN dnf install -y httpd-2.4.62 && dnf clean all
    ```
    or use a cache mount.  The quick fix appends `&& dnf clean all` (`microdnf clean all`) when
    the install is the RUN's last command; it is safe.

    ## Compared with hadolint
    hadolint accepts a cleanup anywhere after the first install; dockerls wants it after the
    last one.  dockerls also counts `update`/`upgrade`, `reinstall`, `downgrade`, `distro-sync`
    and `group`/`module install` as filling the cache, accepts any of the three tools' `clean`
    and a cache mount on `/var/cache/dnf` or `/var/cache/yum` (hadolint only on
    `/var/cache/libdnf5`), and reads `sudo` and `sh -c "..."`.
    """

    code = "DL3040"
    name = "dnf-clean-missing"
    severity = WARNING
    scope = "stage"
    per_instruction = True
    tool = DNF
