from dockerls.rules.dockerfile._labels import LabelValueRule, is_rfc3339


class LabelNotRfc3339(LabelValueRule):
    """A label that the label schema types as `rfc3339` does not hold an RFC 3339 date-time.

    Only runs when `label-schema` in the configuration gives a label the type `rfc3339`.

    ## Why
    `org.opencontainers.image.created` and similar labels are read by machines that expect a
    full RFC 3339 timestamp: a date, a time and a time zone.  A bare date or a local time cannot
    be compared or sorted reliably.

    ## Example
    With `label-schema: {org.opencontainers.image.created: rfc3339}`:
    ```Dockerfile
    FROM alpine:3.20
    LABEL org.opencontainers.image.created=2024-05-01
    ```

    ## Fix
    Write date, time and zone: `2024-05-01T12:00:00Z`.  In CI, pass it as a build argument
    (`ARG CREATED` / `LABEL org.opencontainers.image.created=$CREATED`) and give the label the
    type `text`, or keep `rfc3339`: values built from variables are not checked.

    ## Compared with hadolint
    dockerls follows RFC 3339 strictly: the zone offset needs its colon (`+01:00`, not `+0100`)
    and the year four digits, which hadolint's parser lets through.  Values with variables are
    not checked, and an empty value is reported by DL3051 alone.
    """

    code = "DL3053"
    scope = "stage"
    name = "label-not-rfc3339"
    label_type = "rfc3339"

    def problem(self, key, value):
        if is_rfc3339(value):
            return None
        return (f"Label `{key}` is not a valid time format - must conform to RFC3339: '{value}' "
                "is not like 2024-05-01T12:00:00Z")
