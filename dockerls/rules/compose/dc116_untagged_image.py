from dockerls.parse.compose.syntax import parse_image
from dockerls.parse.compose.values import text_of
from dockerls.rules.base import WARNING
from dockerls.rules.compose._base import ComposeRule


class UntaggedImage(ComposeRule):
    """`image` without a tag or digest.

    ## Why
    Without a tag Compose pulls `latest`: whatever the publisher pushed last.  Two machines (or
    two days) run different software from the same file, and a new major release arrives
    unannounced.  A service that also has `build` is not reported: there `image` names the
    image being built; nor is a service using an image that a sibling service builds (`image:
    myapp` beside a service with `build:` and `image: myapp`).

    ## Example
    ```yaml
    services:
      cache:
        image: redis
    ```

    ## Fix
    Pin a release tag (`redis:7.4-alpine`), or a digest (`redis@sha256:...`).
    """

    code = "DC116"
    name = "untagged-image"
    severity = WARNING

    _built: set[str] | None = None

    def built_images(self) -> set[str]:
        """The repositories the project's services build, untagged or tagged `latest` (those an
        untagged `image` names)."""
        if self._built is None:
            self._built = set()
            for service in self.project.services.values():
                text = text_of(service.get("image"))
                if text and "build" in service:
                    image = parse_image(text.strip())
                    if image.digest is None and image.tag in (None, "latest"):
                        self._built.add(image.repository)
        return self._built

    def check(self, service):
        node = service.get("image")
        text = text_of(node)
        if not text or "build" in service:
            return
        image = parse_image(text.strip())
        if image.tag is None and image.digest is None and image.repository and \
                image.repository not in self.built_images():
            yield self.report(node, f"The image `{text}` has no tag: Compose pulls `latest`, which changes over time")
