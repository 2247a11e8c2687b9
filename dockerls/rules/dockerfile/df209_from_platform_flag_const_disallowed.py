import re

from dockerls.rules.base import WARNING, Rule

_COMPONENT = re.compile(r"[A-Za-z0-9_.\-]+")
_OSES = frozenset({"aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js",
                   "linux", "nacl", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos"})
_ARCHES = {"386": "386", "i386": "386", "amd64": "amd64", "x86_64": "amd64", "x86-64": "amd64",
           "aarch64": "arm64", "arm64": "arm64", "armhf": "arm", "armel": "arm", "arm": "arm",
           "ppc64le": "ppc64le", "ppc64": "ppc64", "s390x": "s390x", "riscv64": "riscv64",
           "mips": "mips", "mipsle": "mipsle", "mips64": "mips64", "mips64le": "mips64le",
           "loong64": "loong64", "wasm": "wasm", "sparc64": "sparc64"}


def parse_platform(text: str) -> tuple[str, str] | None:
    """(os, architecture) of a platform string as containerd's ``platforms.Parse`` reads it."""
    parts = text.split("/")
    if not 1 <= len(parts) <= 3 or not all(_COMPONENT.fullmatch(p) for p in parts):
        return None
    first = parts[0].lower()
    if len(parts) == 1:
        if first in _OSES:
            return first, ""
        if first in _ARCHES:
            return "linux", _ARCHES[first]
        return None
    arch = parts[1].lower()
    return first, _ARCHES.get(arch, arch)


class FromPlatformFlagConstDisallowed(Rule):
    """`FROM --platform=` with a fixed platform such as `linux/amd64`.

    ## Why
    A constant platform pins the stage to one architecture: on an arm64 machine, or in a
    multi-platform build, the stage then runs emulated (slowly) or produces an image for the
    wrong platform.  Use `$BUILDPLATFORM` for stages that run build tools and `$TARGETPLATFORM`
    (the default) for the final image.  A stage whose name mentions the OS or architecture
    (`AS build-amd64`) is clearly meant for it and is not reported.

    ## Example
    ```Dockerfile
    FROM --platform=linux/amd64 node:22 AS build
    ```

    ## Fix
    Use `--platform=$BUILDPLATFORM`, drop the flag, or name the stage after its platform.

    ## Compared with hadolint
    Related to DL3029, which reports every `--platform` except `$BUILDPLATFORM` /
    `$TARGETPLATFORM`.  When DL3029 reports the same `FROM`, this finding is left out (one
    finding, not two).
    """

    code = "DF209"
    name = "from-platform-flag-const-disallowed"
    severity = WARNING
    scope = "stage"
    instructions = frozenset({"FROM"})
    buildkit_check = "FromPlatformFlagConstDisallowed"
    superseded_by = ("DL3029",)

    def check(self, ins):
        flag = ins.flag("platform")
        if flag is None or not flag.value or "$" in flag.value:
            return None
        platform = parse_platform(flag.value)
        if platform is None:
            return None
        stage = ins.stage_name.value.lower() if ins.stage_name else ""
        os_name, arch = platform
        if (os_name and os_name in stage) or (arch and arch in stage):
            return None
        return [self.finding(flag.range, f'FROM --platform flag should not use constant value "{flag.value}"')]
