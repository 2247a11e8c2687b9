from dockerls.rules.dockerfile._labels import LabelValueRule, is_semver


class LabelNotSemver(LabelValueRule):
    """A label that the label schema types as `semver` does not hold a semantic version.

    Only runs when `label-schema` in the configuration gives a label the type `semver`.

    ## Why
    Tools compare `org.opencontainers.image.version` values to find the newest image.  That
    only works when every value is a semantic version: `MAJOR.MINOR.PATCH`, optionally with a
    pre-release (`-rc.1`) and build metadata (`+build.5`).

    ## Example
    With `label-schema: {org.opencontainers.image.version: semver}`:
    ```Dockerfile
    FROM alpine:3.20
    LABEL org.opencontainers.image.version=v1.2
    ```

    ## Fix
    Write all three numbers without a prefix: `1.2.0`.

    ## Compared with hadolint
    dockerls follows semver.org 2.0.0 strictly: no leading zeros (`01.0.0`) and no empty
    pre-release or build parts (`1.0.0-`), which hadolint lets through.  Values with variables
    are not checked, and an empty value is reported by DL3051 alone.
    """

    code = "DL3056"
    scope = "stage"
    name = "label-not-semver"
    label_type = "semver"

    def problem(self, key, value):
        if is_semver(value):
            return None
        hint = f" (drop the 'v': '{value[1:]}')" if value[:1] in "vV" and is_semver(value[1:]) else ""
        return f"Label `{key}` does not conform to semantic versioning: '{value}' is not MAJOR.MINOR.PATCH{hint}"
