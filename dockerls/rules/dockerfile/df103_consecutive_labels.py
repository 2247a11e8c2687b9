from __future__ import annotations

from dockerls.finding import SAFE, Edit, Fix
from dockerls.rules.base import STYLE, Rule
from dockerls.rules.dockerfile._practices import newline_of
from dockerls.shell import split_words


class ConsecutiveLabels(Rule):
    """Several `LABEL` instructions in a row: one `LABEL` can set them all.

    ## Why
    Each instruction is a step of the build and an entry of `docker history`.  With the classic
    builder every `LABEL` also committed its own (empty) image layer; BuildKit only records it in
    the history, but a run of ten `LABEL` lines still clutters the history and the build output, and
    splits what is one piece of metadata.  A single `LABEL` with one `key=value` pair per line is
    as readable and produces one step.

    ## Example
    ```Dockerfile
    FROM alpine:3.20
    LABEL org.opencontainers.image.title="api"
    LABEL org.opencontainers.image.version="1.4.2"
    LABEL org.opencontainers.image.licenses="MIT"
    ```

    ## Fix
    ```Dockerfile
    LABEL org.opencontainers.image.title="api" \\
        org.opencontainers.image.version="1.4.2" \\
        org.opencontainers.image.licenses="MIT"
    ```
    The quick fix merges the run into one `LABEL`, one pair per line, each pair written exactly as
    it was (the legacy `LABEL key value` form becomes `key=value` when the value is one word).  It
    is safe: the labels and their order are the same.  It is not offered when comment or blank
    lines stand between or inside the `LABEL`s.
    """

    code = "DF103"
    name = "consecutive-labels"
    severity = STYLE
    instructions = frozenset({"LABEL"})
    fixable = True

    def __init__(self, ctx):
        super().__init__(ctx)
        self.groups: list[list] = []

    def check(self, ins):
        previous = self.ctx.previous
        if self.groups and previous and previous[-1] is self.groups[-1][-1]:
            self.groups[-1].append(ins)
        else:
            self.groups.append([ins])

    def finish(self):
        for group in self.groups:
            if len(group) < 2:
                continue
            first = group[0]
            yield self.finding(
                first.keyword_range,
                f"{len(group)} consecutive LABEL instructions (lines {first.line + 1}-{group[-1].line + 1}): "
                "merge them into one LABEL",
                fix=self._merge(group),
                related=[(other.keyword_range, "another LABEL of the run") for other in group[1:]],
            )

    def _merge(self, group) -> Fix | None:
        df = self.ctx.df
        for a, b in zip(group, group[1:]):
            if b.range.start.line != a.range.end.line + 1:
                return None  # comments or blank lines between
        pairs = []
        for ins in group:
            if ins.flags or not ins.pairs:
                return None
            for pair in ins.pairs:
                text = df.text[pair.range.start_offset : pair.range.end_offset]
                if pair.legacy:
                    value = pair.raw_value or ""
                    if len(split_words(value)) != 1:
                        return None
                    text = f"{pair.key}={value}"
                if "\n" in text or "\r" in text:
                    return None
                pairs.append(text)
        start, end = group[0].range.start_offset, group[-1].range.end_offset
        if any(c.in_continuation and start <= c.range.start_offset < end for c in df.comments):
            return None  # comment lines inside a continued LABEL would be lost
        joiner = f" {df.escape}{newline_of(df.text)}    "
        new = f"{group[0].keyword_text} {joiner.join(pairs)}"
        return Fix("Merge the LABELs into one", [Edit(start, end, new)], SAFE)
