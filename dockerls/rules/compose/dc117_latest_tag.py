from dockerls.parse.compose.references import name_span
from dockerls.parse.compose.syntax import parse_image
from dockerls.parse.compose.values import text_of
from dockerls.rules.base import WARNING
from dockerls.rules.compose._base import ComposeRule


class LatestTag(ComposeRule):
    """`image: name:latest`: the tag moves, so the project is not repeatable.

    ## Why
    `latest` is just the tag a publisher moved most recently.  Two machines run different
    versions, a cached `latest` differs from the registry's, and upgrades arrive unannounced.  An
    image pinned by digest as well (`:latest@sha256:...`) is not reported, nor is a service that
    builds the image.

    ## Example
    ```yaml
    services:
      db:
        image: postgres:latest
    ```

    ## Fix
    Pin a release tag (`postgres:17.2`), or a digest.
    """

    code = "DC117"
    name = "latest-tag"
    severity = WARNING

    def check(self, service):
        node = service.get("image")
        text = text_of(node)
        if not text or "build" in service:
            return
        image = parse_image(text)
        if image.tag == "latest" and image.digest is None:
            start, end = name_span(node, "latest", image.tag_start + 1)
            yield self.report_span(node.doc, start, end, f"The image `{text}` uses the `latest` tag: "
                                   "pin a release tag so every machine runs the same version")
