from dockerls.rules.base import ERROR, Rule

MAX_PORT = 65535


class InvalidPort(Rule):
    """`EXPOSE` names a port outside 0-65535.

    ## Why
    TCP and UDP ports are 16-bit numbers.  A larger number is a typo (an extra digit, a host and a
    container port run together) and the image metadata it produces is useless.

    Ports written with variables (`EXPOSE $PORT`) are not checked.

    ## Example
    ```Dockerfile
    FROM nginx:1.27
    EXPOSE 80 80800
    ```

    ## Fix
    Correct the number.  Ranges (`8000-8010/tcp`) must have both ends within 0-65535.
    """

    code = "DL3011"
    name = "invalid-port"
    severity = ERROR
    scope = "stage"
    instructions = frozenset({"EXPOSE"})

    def check(self, ins):
        out = []
        for word in ins.words:
            spec = word.value.split("/", 1)[0]
            if "$" in spec:
                continue
            for bound in spec.replace(":", "-").split("-"):  # ranges and host:container pairs
                if bound.isascii() and bound.isdigit() and (len(bound.lstrip("0")) > 5 or int(bound) > MAX_PORT):
                    out.append(self.finding(word.range, f"Valid UNIX ports range from 0 to {MAX_PORT}: "
                                            f"'{word.value}' is out of range"))
                    break
        return out
