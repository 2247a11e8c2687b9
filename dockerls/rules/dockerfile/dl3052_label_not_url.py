from dockerls.rules.dockerfile._labels import LabelValueRule, is_absolute_uri


class LabelNotUrl(LabelValueRule):
    """A label that the label schema types as `url` does not hold an absolute URL.

    Only runs when `label-schema` in the configuration gives a label the type `url`.

    ## Why
    Tools that read image labels (registries, scanners, dashboards) link to the value of
    labels such as `org.opencontainers.image.source` or `org.opencontainers.image.url`.  A value
    without a scheme (`github.com/acme/app`) or with broken percent-escapes is not a link.

    ## Example
    With `label-schema: {org.opencontainers.image.source: url}`:
    ```Dockerfile
    FROM alpine:3.20
    LABEL org.opencontainers.image.source=github.com/acme/app
    ```

    ## Fix
    Write the full URL, scheme included: `https://github.com/acme/app`.

    ## Compared with hadolint
    Values built from variables (`${SOURCE_URL}`) are only known at build time and are not
    checked; an empty value is reported by DL3051 alone, not by this rule as well.
    """

    code = "DL3052"
    scope = "stage"
    name = "label-not-url"
    label_type = "url"

    def problem(self, key, value):
        if is_absolute_uri(value):
            return None
        hint = " (add a scheme such as https://)" if ":" not in value else ""
        return f"Label `{key}` is not a valid URL: '{value}' is not an absolute URI{hint}"
