from dockerls.rules.base import WARNING
from dockerls.rules.dockerfile._rpm import YUM, UnpinnedRpmRule


class YumPinVersions(UnpinnedRpmRule):
    """`yum install` of a package without a version.

    ## Why
    An unpinned package is whatever the repository holds on the day of the build.  Two builds
    of the same Dockerfile then differ, and an update can break the image without any change
    to the Dockerfile.

    A package is pinned when the name is followed by `-<version>` (`httpd-2.4.6`,
    `httpd-2.4.6-99.el7.centos`): dash-separated parts of version characters, one of them
    starting with a digit.  Local files and URLs (`/tmp/x.rpm`, `https://.../x.rpm`) are a fixed
    version.  For `yum module install`, a module needs its stream (`nodejs:18`).  Groups and
    `@module` specs are not checked.  Variables are expanded with the ARG/ENV values known at
    that point; a word whose value is only known at build time is not judged.

    ## Example
    ```Dockerfile
    FROM centos:7
    RUN yum install -y httpd && yum clean all
    ```

    ## Fix
    Name the version: `yum install -y httpd-2.4.6`.

    ## Compared with hadolint
    hadolint reports the RUN once; dockerls each unpinned package.  hadolint reports a word with
    a variable it cannot resolve (`foo-$VERSION` with `VERSION` from the base image) and `.rpm`
    paths without a dash; dockerls does not.  Values of flags such as `--enablerepo epel` are not
    taken for packages.  dockerls also reads `sudo` and `sh -c "..."`.
    """

    code = "DL3033"
    name = "yum-pin-versions"
    severity = WARNING
    scope = "stage"
    per_instruction = True
    tool = YUM
