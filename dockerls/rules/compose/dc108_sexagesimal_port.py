import re

from dockerls.finding import SAFE, Edit, Fix
from dockerls.parse.compose.yaml_tree import Scalar, Sequence
from dockerls.rules.base import WARNING
from dockerls.rules.compose._base import ComposeRule

# YAML 1.1's base-60 integer: "22:22" is 1342 to a YAML 1.1 reader such as PyYAML.
_SEXAGESIMAL = re.compile(r"[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+")


class SexagesimalPort(ComposeRule):
    """An unquoted port mapping that YAML 1.1 reads as a base-60 number.

    ## Why
    In YAML 1.1, `22:22` (digits, a colon, a number below 60) is a sexagesimal integer: 1342.
    Docker Compose v2 reads it as the string it looks like, but docker-compose v1 and other YAML
    1.1 tools (PyYAML, older Ansible, linters) see a number and publish or report the wrong port.
    Quoting removes the ambiguity for every reader.

    ## Example
    ```yaml
    services:
      sftp:
        image: atmoz/sftp:alpine
        ports:
          - 2222:22
    ```

    ## Fix
    Quote the mapping: `- "2222:22"` (the fix does this).
    """

    code = "DC108"
    name = "sexagesimal-port"
    severity = WARNING
    fixable = True

    def check(self, service):
        ports = service.get("ports")
        if type(ports) is not Sequence:
            return
        for item in ports.items:
            if type(item) is Scalar and item.plain and item.tag is None and _SEXAGESIMAL.fullmatch(item.text):
                fix = None
                if item.doc is self.project.main.doc:
                    fix = Fix(f'Quote "{item.text}"', [Edit(item.start, item.end, f'"{item.text}"')], SAFE)
                number = _base60(item.text) if len(item.text) <= 40 else None  # int() refuses thousands of digits
                yield self.report(item, f"`{item.text}` unquoted is the base-60 number"
                                  f"{f' {number}' if number is not None else ''} to YAML 1.1 readers: quote it", fix)


def _base60(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    value = 0
    for part in text.lstrip("+-").replace("_", "").split(":"):
        value = value * 60 + int(part)
    return sign * value
