from dockerls.text import small_number
from dockerls.rules.base import INFO, Rule
from dockerls.rules.dockerfile._labels import label_schema


class MissingLabel(Rule):
    """A stage does not set a label that the label schema requires.

    Only runs when `label-schema` is configured: every label named there must be set by each
    stage, with `LABEL` in the stage or inherited from the stage it is built `FROM`.

    ## Why
    A label schema is a team's contract for image metadata (source, revision, owner, license).
    An image built without one of those labels cannot be traced back to its source or owner.

    Stages only used as a source of files (`COPY --from=build`, `RUN --mount=from=build`) are
    not images anyone runs, and are not checked.

    ## Example
    With `label-schema: {org.opencontainers.image.source: url}`:
    ```Dockerfile
    FROM alpine:3.20
    RUN apk add --no-cache curl
    ```

    ## Fix
    Add the label to the stage:
    `LABEL org.opencontainers.image.source=https://github.com/acme/app`.

    ## Compared with hadolint
    hadolint only exempts stages used by `COPY --from=<name>`; dockerls also exempts stages used
    by their index (`COPY --from=0`) or by `RUN --mount=from=`.  Stage names are matched
    case-insensitively, as BuildKit does.
    """

    code = "DL3049"
    name = "missing-label"
    severity = INFO
    instructions = frozenset()

    def finish(self):
        required = list(label_schema(self.ctx.config))
        df = self.ctx.df
        if not required or not df.stages:
            return
        sources = _copy_sources(df)
        has: list[set[str]] = []
        for stage in df.stages:
            labels: set[str] = set()
            image = stage.from_instruction.image
            parent = df.stage_by_name(image.raw) if image is not None and not image.has_variables else None
            if parent is not None and parent.index < stage.index:
                labels |= has[parent.index]
            for ins in stage.instructions:
                if ins.keyword == "LABEL":
                    labels.update(p.key for p in ins.pairs)
            has.append(labels)
            if stage.index in sources:
                continue
            rng = self.ctx.head_range(stage.from_instruction)
            for name in required:
                if name not in labels:
                    yield self.finding(rng, f"Label `{name}` is missing: the label schema requires it on every image")


def _copy_sources(df) -> set[int]:
    """Indexes of the stages that other instructions copy or mount files from."""
    out: set[int] = set()

    def add(ref: str) -> None:
        if ref.isdigit():
            number = small_number(ref)
            if number is not None and number < len(df.stages):
                out.add(number)
            return
        stage = df.stage_by_name(ref)
        if stage is not None:
            out.add(stage.index)

    for ins in df.walk():
        if ins.keyword != "FROM":
            for ref in ins.stage_refs():
                add(ref.name)
    return out
