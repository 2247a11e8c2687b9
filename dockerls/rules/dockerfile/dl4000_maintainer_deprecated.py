from dockerls.finding import SAFE, Edit, Fix
from dockerls.rules.base import ERROR, Rule

AUTHORS_LABEL = "org.opencontainers.image.authors"


def label_value(text: str, escape: str) -> str:
    """``text`` as a double-quoted LABEL value that BuildKit reads back as ``text``."""
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'" and text[0] not in text[1:-1]:
        text = text[1:-1]  # MAINTAINER "Jane Doe <jane@example.com>": the quotes were for the reader
    out = []
    for ch in text:
        if ch in ('"', "$", escape):
            out.append(escape)
        out.append(ch)
    return '"' + "".join(out) + '"'


class MaintainerDeprecated(Rule):
    """`MAINTAINER` is deprecated: use a `LABEL`.

    ## Why
    `MAINTAINER` fills the image's `Author` field, which tools no longer read.  The standard
    place for this information is the `org.opencontainers.image.authors` label, which
    registries, scanners and `docker inspect` show.

    ## Example
    ```Dockerfile
    FROM alpine:3.20
    MAINTAINER Jane Doe <jane@example.com>
    ```

    ## Fix
    `LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"`.  The quick fix
    writes that label with the same text, quoted so that `$`, `"` and backslashes stay as
    written (safe).
    """

    code = "DL4000"
    name = "maintainer-deprecated"
    severity = ERROR
    scope = "stage"
    instructions = frozenset({"MAINTAINER"})
    buildkit_check = "MaintainerDeprecated"
    tags = ("deprecated",)
    fixable = True

    def check(self, ins):
        return [self.finding(ins.keyword_range, "MAINTAINER is deprecated: use "
                             f"LABEL {AUTHORS_LABEL}=\"...\" instead", fix=self._fix(ins))]

    def _fix(self, ins) -> Fix | None:
        text = ins.args_text.strip()
        if not text or ins.args_range is None:
            return None
        keyword = "label" if ins.keyword_text.islower() else "LABEL"
        new = f"{keyword} {AUTHORS_LABEL}={label_value(text, self.ctx.df.escape)}"
        return Fix(f"Replace MAINTAINER with LABEL {AUTHORS_LABEL}",
                   [Edit(ins.keyword_range.start_offset, ins.args_range.end_offset, new)], SAFE)
