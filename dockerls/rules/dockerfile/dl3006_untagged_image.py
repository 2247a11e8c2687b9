from dockerls.rules.base import WARNING, Rule


class UntaggedImage(Rule):
    """`FROM` an image without a tag: the build takes whatever `latest` is that day.

    ## Why
    An untagged reference means `:latest`.  The same Dockerfile then builds different images on
    different days, and a new major version of the base image can break the build or the app
    without any change on your side.

    Not reported: `scratch`, references to an earlier stage (`FROM builder`), images pinned by
    digest (`@sha256:...`), and references built from variables (`FROM ${BASE}`), whose tag is
    only known at build time.

    ## Example
    ```Dockerfile
    FROM ubuntu
    ```

    ## Fix
    Name the version: `FROM ubuntu:24.04`, or pin a digest.
    """

    code = "DL3006"
    name = "untagged-image"
    severity = WARNING
    scope = "stage"
    instructions = frozenset({"FROM"})

    def check(self, ins):
        image = ins.image
        if image is None or image.tag or image.digest or image.has_variables:
            return None
        if image.name.lower() == "scratch" or self.ctx.is_stage_reference(image.raw, ins):
            return None
        return [self.finding(image.range, f"Always tag the version of an image explicitly: '{image.raw}' "
                             "means whatever 'latest' is at build time")]
