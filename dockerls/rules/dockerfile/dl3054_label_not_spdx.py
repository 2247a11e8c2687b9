from dockerls.rules.dockerfile._labels import LabelValueRule
from dockerls.rules.dockerfile._spdx import check_expression


class LabelNotSpdx(LabelValueRule):
    """A label that the label schema types as `spdx` does not hold an SPDX license expression.

    Only runs when `label-schema` in the configuration gives a label the type `spdx`.

    ## Why
    License scanners and registries read `org.opencontainers.image.licenses` as an SPDX
    license expression.  A free-form name (`Apache License`, `GPLv2`) cannot be matched to a
    license, and deprecated identifiers (`GPL-2.0`) are ambiguous about "or later".

    ## Example
    With `label-schema: {org.opencontainers.image.licenses: spdx}`:
    ```Dockerfile
    FROM alpine:3.20
    LABEL org.opencontainers.image.licenses="Apache License"
    ```

    ## Fix
    Use the SPDX identifier (`Apache-2.0`), or an expression such as `MIT OR Apache-2.0`.

    ## Compared with hadolint
    hadolint accepts exactly one current license identifier, case-sensitively.  dockerls
    accepts a full SPDX license expression (`AND`, `OR`, `WITH` an exception, parentheses,
    `LicenseRef-...`), which is what the OCI `licenses` annotation holds, and matches
    identifiers case-insensitively as the SPDX specification asks.  Deprecated identifiers are
    reported, naming their replacement.  The identifiers are those of the SPDX License List
    3.x bundled with dockerls.  Values with variables are not checked, and an empty value is
    reported by DL3051 alone.
    """

    code = "DL3054"
    scope = "stage"
    name = "label-not-spdx"
    label_type = "spdx"

    def problem(self, key, value):
        why = check_expression(value)
        if why is None:
            return None
        return f"Label `{key}` is not a valid SPDX identifier: {why}"
