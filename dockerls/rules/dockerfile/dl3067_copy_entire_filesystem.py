from dockerls.rules.base import WARNING, Rule
from dockerls.rules.dockerfile._instructions import drop_quotes, resolve_known, sources_and_dest, stage_index_of


class CopyEntireFilesystem(Rule):
    """`COPY --from=<stage> / /` copies a whole filesystem over this one.

    ## Why
    Everything of the other stage lands on top of this image: its package database, `/etc`,
    caches and the binaries of its base image, mixed with this image's own.  The result is large
    and inconsistent, and the point of a multi-stage build (keeping only what is needed) is lost.

    ## Example
    ```Dockerfile
    FROM debian:bookworm-slim AS build
    RUN make install DESTDIR=/out
    FROM debian:bookworm-slim
    COPY --from=build / /
    ```

    ## Fix
    Copy only what the image needs: `COPY --from=build /out/ /`.

    ## Not reported
    The idioms that copy a whole filesystem on purpose: from an image rather than a stage
    (`COPY --from=alpine:3.20 / /` takes an image's files as they are), and into a `FROM scratch`
    stage (`FROM scratch` + `COPY --from=build / /` squashes a stage into one layer: there is no
    other filesystem to mix with).

    ## Compared with hadolint
    hadolint reports every `COPY --from=... / /`, although its message speaks of "another
    stage"; dockerls only a stage copied over a non-empty one.
    """

    code = "DL3067"
    name = "copy-entire-filesystem"
    severity = WARNING
    scope = "stage"
    instructions = frozenset({"COPY"})

    def check(self, ins):
        flag = ins.flag("from")
        if flag is None or not flag.value:
            return None
        sources, dest = sources_and_dest(ins)
        if dest is None or drop_quotes(dest.value) != "/" or self._idiom(ins, flag.value):
            return None
        for word in sources:
            if drop_quotes(word.value) == "/":
                return [self.finding(word.range, f"Do not copy an entire filesystem from another stage: '/' of "
                                     f"'{flag.value}' is copied over this image's root")]
        return None

    def _idiom(self, ins, source: str) -> bool:
        """From an image (not a stage of this file), or into a `FROM scratch` stage."""
        df = self.ctx.df
        if "$" in source:
            resolved = resolve_known(self.ctx, ins, source)
            if resolved is None:
                return True  # unknown until build time: not reported
            source = resolved
        if stage_index_of(df, source, ins) is None:
            return True
        stage = df.stages[ins.stage_index] if 0 <= ins.stage_index < len(df.stages) else None
        image = stage.from_instruction.image if stage is not None else None
        return image is not None and image.raw.strip().lower() == "scratch"
