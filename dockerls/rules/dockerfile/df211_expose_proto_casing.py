from dockerls.finding import SAFE, Edit, Fix
from dockerls.rules.base import STYLE, Rule


class ExposeProtoCasing(Rule):
    """The protocol of an `EXPOSE` port is not lower case (`80/TCP`).

    ## Why
    The builder lower-cases the protocol anyway (`80/TCP` is stored as `80/tcp`), so the upper
    case only makes the Dockerfile disagree with the image it builds and with the way Docker
    prints ports everywhere else.

    ## Example
    ```Dockerfile
    FROM nginx:1.27
    EXPOSE 80/TCP 53/UDP
    ```

    ## Fix
    Write `80/tcp`.  The quick fix lower-cases the protocol; it is safe.
    """

    code = "DF211"
    name = "expose-proto-casing"
    severity = STYLE
    scope = "stage"
    instructions = frozenset({"EXPOSE"})
    buildkit_check = "ExposeProtoCasing"
    fixable = True

    def check(self, ins):
        out = []
        text = self.ctx.df.text
        for word in ins.words:
            port, slash, proto = word.value.partition("/")
            if not slash or proto == proto.lower() or "$" in word.value:
                continue
            fix = None
            if text[word.range.start_offset:word.range.end_offset] == word.value:
                start = word.range.start_offset + len(port) + 1
                fix = Fix(f"Write '{proto.lower()}'", [Edit(start, word.range.end_offset, proto.lower())], SAFE)
            out.append(self.finding(word.range, f"Defined protocol '{word.value}' in EXPOSE instruction should be "
                                    "lowercase", fix=fix))
        return out
