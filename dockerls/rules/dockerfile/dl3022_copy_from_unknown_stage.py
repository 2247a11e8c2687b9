from dockerls.text import small_number
from dockerls.rules.base import WARNING, Rule
from dockerls.rules.dockerfile._instructions import resolve_known, stage_index_of


class CopyFromUnknownStage(Rule):
    """`COPY --from` names neither an earlier stage nor a tagged image.

    ## Why
    `--from` takes a stage name, a stage number, or an image reference.  A name that matches no
    earlier stage is taken as an image and pulled from a registry: a typo in a stage name
    (`--from=biuld`) silently copies from Docker Hub, or fails late, and a stage defined further
    down cannot be copied from at all.

    A reference with a tag or digest (`--from=nginx:1.27`) is clearly an image and is accepted.
    Names built from variables are judged by their default values when known, and left alone
    otherwise.

    ## Example
    ```Dockerfile
    FROM golang:1.23 AS build
    RUN go build -o /out/app .
    FROM gcr.io/distroless/static-debian12
    COPY --from=builder /out/app /app
    ```

    ## Fix
    Use the name of an earlier stage (`--from=build`), or name the image with a tag.

    ## Compared with hadolint
    Stage names match case-insensitively, as BuildKit matches them (hadolint: exactly).  hadolint
    reports every `--from=$VAR`; dockerls only when the variable's value is known and wrong.
    """

    code = "DL3022"
    name = "copy-from-unknown-stage"
    severity = WARNING
    scope = "stage"
    instructions = frozenset({"COPY"})

    def check(self, ins):
        flag = ins.flag("from")
        if flag is None or not flag.value:  # also before any FROM: a snippet has no stages to copy from
            return None
        value = flag.value
        if "$" in value:
            value = resolve_known(self.ctx, ins, value)
            if value is None:
                return None
        df = self.ctx.df
        if stage_index_of(df, value, ins) is not None or _is_tagged_image(value):
            return None
        later = df.stage_by_name(value)
        number = small_number(value)
        if later is None and number is not None and number < len(df.stages):
            later = df.stages[number]
        if later is not None:
            detail = f"stage '{value}' is defined later, on line {later.from_instruction.line + 1}"
        elif value.isdigit():
            detail = f"there is no stage {value} before this line"
        else:
            detail = f"no earlier stage is named '{value}', so it is pulled as the image '{value}:latest'"
        return [self.finding(flag.value_range or flag.range,
                             f"`COPY --from` should reference a previously defined `FROM` alias: {detail}")]


def _is_tagged_image(value: str) -> bool:
    if "@" in value:
        return True
    colon = value.rfind(":")
    return colon != -1 and "/" not in value[colon:]
