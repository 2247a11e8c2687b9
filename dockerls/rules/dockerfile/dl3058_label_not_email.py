from dockerls.rules.dockerfile._labels import LabelValueRule, is_email


class LabelNotEmail(LabelValueRule):
    """A label that the label schema types as `email` does not hold an email address.

    Only runs when `label-schema` in the configuration gives a label the type `email`.

    ## Why
    Labels such as `maintainer` or a team contact are read by people and tools to reach the
    owners of an image; a value that is not an address (`platform team`) cannot be used that way.

    ## Example
    With `label-schema: {maintainer: email}`:
    ```Dockerfile
    FROM alpine:3.20
    LABEL maintainer="Platform Team"
    ```

    ## Fix
    Write a bare address: `maintainer=platform@example.com`.  A display name (`Team <a@b.c>`)
    is not an address either; give such a label the type `text`.

    ## Compared with hadolint
    Both accept RFC 5322 addresses (`local@domain`, quoted local parts, domain literals).
    Values with variables are not checked, and an empty value is reported by DL3051 alone.
    """

    code = "DL3058"
    scope = "stage"
    name = "label-not-email"
    label_type = "email"

    def problem(self, key, value):
        if is_email(value):
            return None
        return f"Label `{key}` is not a valid email format - must conform to RFC5322: '{value}' is not an address"
