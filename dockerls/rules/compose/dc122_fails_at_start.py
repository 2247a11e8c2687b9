import difflib
import re

from dockerls.parse.compose.syntax import parse_image
from dockerls.parse.compose.values import text_of
from dockerls.parse.compose.yaml_tree import Mapping, Node, Sequence
from dockerls.rules.base import WARNING
from dockerls.rules.compose._base import ComposeRule

_RESTART = ("no", "always", "unless-stopped", "on-failure")
_MOUNT_OPTIONS = frozenset({"ro", "rw", "z", "Z", "nocopy", "consistent", "cached", "delegated", "rprivate",
                            "private", "rshared", "shared", "rslave", "slave"})
_DRIVERS = {"volumes": ("local",), "networks": ("bridge", "overlay", "host", "macvlan", "ipvlan", "none")}


class FailsAtStart(ComposeRule):
    """Compose loads the file, but Docker refuses it when the service is created or started.

    ## Why
    `docker compose config` accepts these, so the mistake shows only at `up`, often on another
    machine:
    - a restart policy Docker does not know (`restart: allways`);
    - an image name with capital letters (`image: Nginx`): references are lower case;
    - a container path that is not absolute (`./site:usr/share/html`);
    - a mount option Docker does not know (`./site:/srv:rx`);
    - a health check `["CMD", "curl -f http://..."]`: `CMD` runs the program named by the whole
      second word, spaces included; it is never found;
    - a volume or network driver that looks like a typo of a built-in one (`driver: loacl`).

    ## Example
    ```yaml
    services:
      web:
        image: nginx:1.27
        restart: allways
    ```

    ## Fix
    Follow the message: `always`, lower-case names, absolute container paths, `ro`/`rw`/`z`/`Z`,
    one word per list item (or `CMD-SHELL`), `local`.
    """

    code = "DC122"
    name = "fails-at-start"
    severity = WARNING

    def check(self, service):
        restart = service.get("restart")
        text = text_of(restart)
        if restart is not None and text is not None and not _restart_ok(text):
            close = difflib.get_close_matches(text, _RESTART, n=1)
            hint = f": did you mean `{close[0]}`?" if close else ""
            yield self.report(restart, f"Docker has no restart policy `{text}` (no, always, unless-stopped, "
                                       f"on-failure[:N]){hint}")
        image = service.get("image")
        text = text_of(image)
        if image is not None and text and "$" not in text:
            name = parse_image(text).repository
            path = name.split("/", 1)[1] if "/" in name and re.search(r"[.:]|^localhost/", name.split("/")[0] + "/") \
                else name
            if path != path.lower():
                yield self.report(image, f"Docker refuses the image name `{text}`: repository names are lower case")
        volumes = service.get("volumes")
        if type(volumes) is Sequence:
            for item in volumes.items:
                yield from self._mount(item)
        yield from self._healthcheck(service.get("healthcheck"))

    def _mount(self, item: Node):
        if type(item) is Mapping:
            target = text_of(item.get("target"))
            if target and not _absolute(target):
                yield self.report(item.get("target") or item, f"The container path `{target}` is not absolute: "
                                                              "Docker refuses the mount")
            return
        text = text_of(item)
        if not text or "$" in text:
            return
        parts = _sections(text)
        target = parts[1] if len(parts) >= 2 else parts[0]
        if target and not _absolute(target):
            yield self.report(item, f"The container path `{target}` is not absolute: Docker refuses the mount")
        if len(parts) == 3:
            unknown = [o for o in parts[2].split(",") if o not in _MOUNT_OPTIONS]
            if unknown:
                yield self.report(item, f"Docker does not know the mount option `{unknown[0]}` (ro, rw, z, Z, nocopy, "
                                        "shared, slave, private...)")

    def _healthcheck(self, node: Node | None):
        test = node.get("test") if type(node) is Mapping else None
        if type(test) is not Sequence or len(test.items) != 2:
            return
        first, second = (text_of(i) for i in test.items)
        if first == "CMD" and second and " " in second.strip():
            yield self.report(test.items[1], f"`CMD` runs a program named `{second}`, spaces included: write one "
                                             "word per item, or use `CMD-SHELL`")

    def finish(self):
        for kind, builtins in _DRIVERS.items():
            for resource in self.project.resources[kind].values():
                node = resource.node.get("driver") if type(resource.node) is Mapping else None
                text = text_of(node)
                if node is None or not text or text in builtins:
                    continue
                close = difflib.get_close_matches(text, builtins, n=1, cutoff=0.6)
                if close:
                    yield self.report(node, f"There is no {kind[:-1]} driver `{text}` built in: did you mean "
                                            f"`{close[0]}`? Docker fails when it creates the {kind[:-1]}")


def _restart_ok(text: str) -> bool:
    if text in _RESTART or "$" in text:
        return True
    policy, colon, count = text.partition(":")
    return policy == "on-failure" and colon == ":" and count.isdigit()


def _absolute(path: str) -> bool:
    return path.startswith(("/", "\\")) or re.match(r"[A-Za-z]:[\\/]", path) is not None or "$" in path


def _sections(text: str) -> list[str]:
    """``SOURCE:TARGET:MODE`` split as Compose splits it (a drive letter stays whole)."""
    out, current = [], ""
    for ch in text:
        if ch == ":" and not (len(current) == 1 and current.isalpha()):
            out.append(current)
            current = ""
        else:
            current += ch
    out.append(current)
    return out

