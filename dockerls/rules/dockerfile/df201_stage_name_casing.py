from dockerls.finding import SAFE, Edit, Fix
from dockerls.rules.base import STYLE, Rule


class StageNameCasing(Rule):
    """A stage name (`FROM ... AS Name`) is not lower case.

    ## Why
    BuildKit lower-cases stage names: `AS Builder`, `--from=builder` and `FROM BUILDER` all
    mean the same stage.  Writing the name in several casings hides that, and mixed-case names
    read as if they were different stages.

    ## Example
    ```Dockerfile
    FROM golang:1.22 AS Builder
    RUN go build -o /app
    FROM alpine:3.20
    COPY --from=Builder /app /app
    ```

    ## Fix
    Write the name in lower case.  The quick fix lower-cases it in `FROM ... AS` and in every
    reference to the stage after it (`COPY --from=`, `FROM <stage>`, `RUN --mount=from=`, also
    inside `ONBUILD`); safe, since BuildKit already treats the names case-insensitively.
    """

    code = "DF201"
    name = "stage-name-casing"
    severity = STYLE
    scope = "stage"
    instructions = frozenset({"FROM"})
    buildkit_check = "StageNameCasing"
    fixable = True

    def check(self, ins):
        word = ins.stage_name
        if word is None or word.value == word.value.lower():
            return None
        return [self.finding(word.range, f"Stage name '{word.value}' should be lowercase",
                             fix=self._fix(ins, word))]

    def _fix(self, definition, word) -> Fix | None:
        df = self.ctx.df
        if df.text[word.range.start_offset:word.range.end_offset] != word.value:
            return None  # quoted or escaped: leave it to the author
        low = word.value.lower()
        edits = [Edit(word.range.start_offset, word.range.end_offset, low)]
        for ins in df.walk():
            if ins.index <= definition.index:
                continue
            for start, end in _references(df.text, ins, low):
                edits.append(Edit(start, end, low))
        return Fix(f"Rename the stage to '{low}'", edits, SAFE)


def _references(text, ins, low):
    """Document spans in ``ins`` that name the stage ``low`` (any casing), written as plain text."""
    for ref in ins.stage_refs():
        if ref.name.lower() == low and ref.start is not None and text[ref.start:ref.end] == ref.name:
            yield ref.start, ref.end
