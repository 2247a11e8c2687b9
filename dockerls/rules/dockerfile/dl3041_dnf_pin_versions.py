from dockerls.rules.base import WARNING
from dockerls.rules.dockerfile._rpm import DNF, UnpinnedRpmRule


class DnfPinVersions(UnpinnedRpmRule):
    """`dnf install` / `microdnf install` of a package without a version.

    ## Why
    An unpinned package is whatever the repository holds on the day of the build.  Two builds
    of the same Dockerfile then differ, and an update can break the image without any change
    to the Dockerfile.

    A package is pinned when the name is followed by `-<version>` (`httpd-2.4.62`,
    `httpd-2.4.62-1.fc40`): dash-separated parts of version characters, one of them starting
    with a digit.  Local files and URLs are a fixed version.  For `dnf module install`, a module
    needs its stream (`nodejs:20`).  `dnf group ...`, groups and `@module` specs are not
    checked.  Variables are expanded with the ARG/ENV values known at that point; a word whose
    value is only known at build time is not judged.

    ## Example
    ```Dockerfile
    FROM fedora:40
    RUN dnf install -y httpd && dnf clean all
    ```

    ## Fix
    Name the version: `dnf install -y httpd-2.4.62`.

    ## Compared with hadolint
    hadolint reports the RUN once; dockerls each unpinned package.  hadolint reports a word with
    a variable it cannot resolve and `.rpm` paths without a dash; dockerls does not.  Values of
    flags such as `--enablerepo epel` are not taken for packages.  dockerls also reads `dnf5`,
    `sudo` and `sh -c "..."`.
    """

    code = "DL3041"
    name = "dnf-pin-versions"
    severity = WARNING
    scope = "stage"
    per_instruction = True
    tool = DNF
