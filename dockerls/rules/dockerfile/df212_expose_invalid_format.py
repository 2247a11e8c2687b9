from dockerls.finding import SAFE, Edit, Fix
from dockerls.rules.base import WARNING, Rule


def split_port(spec: str) -> tuple[str, str, str]:
    """``[ip:][host-port:]container-port[/proto]`` -> (ip, host port, container port with proto)."""
    parts = spec.split(":")
    if len(parts) == 1:
        return "", "", parts[0]
    if len(parts) == 2:
        return "", parts[0], parts[1]
    return ":".join(parts[:-2]), parts[-2], parts[-1]


class ExposeInvalidFormat(Rule):
    """`EXPOSE` with an IP address or a host port (`EXPOSE 8080:80`).

    ## Why
    `EXPOSE` only documents which container ports the image listens on.  Publishing to a host
    port or binding an address happens at `docker run -p` time; the builder ignores the extra
    parts, so `EXPOSE 127.0.0.1:8080:80` promises a binding that never happens.  BuildKit warns
    and may make this an error.

    ## Example
    ```Dockerfile
    FROM nginx:1.27
    EXPOSE 8080:80
    ```

    ## Fix
    Keep only the container port (`EXPOSE 80`) and publish with `docker run -p 8080:80`.  The
    quick fix drops the address and host port; it is safe, since the builder ignores them.
    """

    code = "DF212"
    name = "expose-invalid-format"
    severity = WARNING
    scope = "stage"
    instructions = frozenset({"EXPOSE"})
    buildkit_check = "ExposeInvalidFormat"
    fixable = True

    def check(self, ins):
        out = []
        text = self.ctx.df.text
        for word in ins.words:
            if ":" not in word.value or "$" in word.value:
                continue
            ip, host, container = split_port(word.value)
            if not (ip or host) or not container:
                continue
            fix = None
            if text[word.range.start_offset:word.range.end_offset] == word.value:
                edit = Edit(word.range.start_offset, word.range.end_offset, container)
                fix = Fix(f"Keep only '{container}'", [edit], SAFE)
            out.append(self.finding(word.range, "EXPOSE instruction should not define an IP address or host-port "
                                    f"mapping, found '{word.value}' (publish with docker run -p instead)", fix=fix))
        return out
