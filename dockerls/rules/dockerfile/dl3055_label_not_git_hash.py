from dockerls.rules.dockerfile._labels import LabelValueRule, is_git_hash


class LabelNotGitHash(LabelValueRule):
    """A label that the label schema types as `hash` does not hold a git commit hash.

    Only runs when `label-schema` in the configuration gives a label the type `hash`.

    ## Why
    `org.opencontainers.image.revision` tells which commit an image was built from.  A branch
    name or a tag moves over time; only the commit hash identifies the source for good.

    ## Example
    With `label-schema: {org.opencontainers.image.revision: hash}`:
    ```Dockerfile
    FROM alpine:3.20
    LABEL org.opencontainers.image.revision=main
    ```

    ## Fix
    Use the full (40 characters) or short (7 characters) lower-case hash, usually passed in
    from CI: `--build-arg REVISION=$(git rev-parse HEAD)`.

    ## Compared with hadolint
    Same check (7 or 40 lower-case hex digits).  Values with variables (`$REVISION`) are not
    checked, and an empty value is reported by DL3051 alone.
    """

    code = "DL3055"
    scope = "stage"
    name = "label-not-git-hash"
    label_type = "hash"

    def problem(self, key, value):
        if is_git_hash(value):
            return None
        return f"Label `{key}` is not a valid git hash: '{value}' is not 7 or 40 lower-case hex digits"
