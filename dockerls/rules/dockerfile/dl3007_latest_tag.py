from dockerls.rules.base import WARNING, Rule


class LatestTag(Rule):
    """`FROM image:latest`: the tag moves, so the build is not repeatable.

    ## Why
    `latest` is just the tag a publisher moved most recently.  Builds from the same Dockerfile
    differ over time, a cached `latest` on one machine differs from another's, and a new major
    release arrives unannounced.  An image pinned by digest as well (`:latest@sha256:...`) is not
    reported: the digest fixes it.

    ## Example
    ```Dockerfile
    FROM node:latest
    ```

    ## Fix
    Pin a release tag (`FROM node:22.11-bookworm-slim`), or a digest.
    """

    code = "DL3007"
    name = "latest-tag"
    severity = WARNING
    scope = "stage"
    instructions = frozenset({"FROM"})

    def check(self, ins):
        image = ins.image
        if image is None or image.tag != "latest" or image.digest:
            return None
        return [self.finding(image.tag_range, "Using 'latest' is prone to errors if the image ever updates: "
                             "pin the version explicitly to a release tag")]
