from dockerls.rules.base import WARNING, Rule
from dockerls.rules.dockerfile._instructions import drop_quotes, sources_and_dest


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
    """

    code = "DL3067"
    name = "copy-entire-filesystem"
    severity = WARNING
    scope = "stage"
    instructions = frozenset({"COPY"})

    def check(self, ins):
        flag = ins.flag("from")
        if flag is None:
            return None
        sources, dest = sources_and_dest(ins)
        if dest is None or drop_quotes(dest.value) != "/":
            return None
        for word in sources:
            if drop_quotes(word.value) == "/":
                return [self.finding(word.range, f"Do not copy an entire filesystem from another stage: '/' of "
                                     f"'{flag.value}' is copied over this image's root")]
        return None
