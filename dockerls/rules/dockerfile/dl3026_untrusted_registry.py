from dockerls.parse.dockerfile.image import parse_image_ref
from dockerls.rules.base import ERROR, Rule
from dockerls.rules.dockerfile._instructions import resolve_known
from dockerls.text import LineIndex

HUB_NAMES = ("docker.io", "hub.docker.com")


def _trusted(registry: str, trusted: tuple[str, ...]) -> bool:
    registry = registry.lower()
    for entry in trusted:
        entry = entry.lower()
        if entry in ("*", registry) or (entry.startswith("*.") and registry.endswith(entry[1:])):
            return True
    return False


class UntrustedRegistry(Rule):
    """`FROM` an image from a registry that is not in the trusted list.

    ## Why
    Teams that mirror or vet their base images want every build to pull from those registries
    only; an image from elsewhere bypasses scanning, licensing checks and availability
    guarantees.  The rule is active only when `trusted-registries` is configured (in
    `.dockerls.yaml`, or `trustedRegistries` in `.hadolint.yaml`).

    Images without a registry come from Docker Hub: they pass when the list has `docker.io` or
    `hub.docker.com`.  `*.example.com` trusts every subdomain of example.com, and `*` every
    registry (Docker Hub too).  `scratch` and
    earlier stages always pass; an image built from variables is judged by their default values,
    and left alone when those are unknown.

    ## Example
    With `trusted-registries: [registry.example.com]`:
    ```Dockerfile
    FROM python:3.12-slim
    ```

    ## Fix
    Pull the image through a trusted registry (`FROM registry.example.com/python:3.12-slim`), or
    add the registry to the list.

    ## Compared with hadolint
    Registry names match case-insensitively (host names are), and variables are expanded;
    hadolint reports every `FROM $IMAGE` when the list has no Docker Hub entry.
    """

    code = "DL3026"
    name = "untrusted-registry"
    severity = ERROR
    scope = "stage"
    instructions = frozenset({"FROM"})

    def check(self, ins):
        trusted = self.ctx.config.trusted_registries
        image = ins.image
        if not trusted or image is None:
            return None
        ref = image
        if image.has_variables:
            resolved = resolve_known(self.ctx, ins, image.raw)
            if resolved is None:
                return None
            ref = parse_image_ref(resolved, 0, LineIndex(resolved))
        if ref.registry is None:
            if ref.name.lower() == "scratch" or self.ctx.is_stage_reference(ref.name, ins):
                return None
            if any(t.lower() in HUB_NAMES or t == "*" for t in trusted):
                return None
            registry = "docker.io"
        elif _trusted(ref.registry, trusted):
            return None
        else:
            registry = ref.registry
        rng = image.registry_range if ref is image and image.registry_range else image.range
        return [self.finding(rng, f"Use only an allowed registry in the FROM image: '{registry}' is not one of "
                             f"the trusted registries ({', '.join(trusted)})")]
