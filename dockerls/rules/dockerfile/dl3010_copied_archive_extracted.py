from dockerls.rules.base import INFO, Rule
from dockerls.rules.dockerfile._instructions import basename, image_stages, is_tar_archive, sources_and_dest

DECOMPRESSORS = frozenset({"unzip", "gunzip", "bunzip2", "unlzma", "unxz", "zgz", "uncompress", "zcat", "gzcat"})


def _extracts(cmd) -> bool:
    program = cmd.program
    if program in DECOMPRESSORS:
        return True
    if program != "tar" or not cmd.args:
        return False
    if cmd.has_any_flag("-x", "--extract", "--get"):
        return True
    first = cmd.args[0].value  # old-style bundled options: `tar xzf file.tgz`
    return not first.startswith("-") and "x" in first and "/" not in first and "." not in first


class CopiedArchiveExtracted(Rule):
    """A tar archive is copied in with `COPY` and then unpacked by a `RUN`.

    ## Why
    `ADD` unpacks a local tar archive (plain, gzip, bzip2, xz or zstd compressed) straight into
    the destination.  Copying it first keeps the archive itself in a layer: the image carries
    both the archive and its contents, even if a later step deletes the archive.  Build stages
    that are only copied from are not checked: their layers never reach an image.

    ## Example
    ```Dockerfile
    FROM debian:bookworm-slim
    COPY vendor.tar.gz /tmp/
    RUN tar -xzf /tmp/vendor.tar.gz -C /opt && rm /tmp/vendor.tar.gz
    ```

    ## Fix
    `ADD vendor.tar.gz /opt/` unpacks in one step and one layer.  Or bind-mount the archive for
    the RUN that extracts it (`RUN --mount=type=bind,source=vendor.tar.gz,target=/tmp/v.tgz ...`).

    ## Compared with hadolint
    hadolint also reports single compressed files (`data.gz` decompressed with `gunzip`), which
    `ADD` would copy as they are, so the advice does not apply; dockerls reports tar archives
    only.  dockerls also understands `tar xzf` without a dash and looks inside `sh -c "..."`.
    hadolint only reports in the last stage; dockerls in every stage whose layers end up in an
    image (not in build stages that are only copied from, where the extra layer costs nothing).
    dockerls reads Windows paths (`C:\\app\\site.tar` under `# escape=``), which hadolint misses;
    like BuildKit it splits COPY's shell-form arguments at spaces even inside quotes (a path
    with a space needs the JSON form), where hadolint keeps `"C:\\Program Files\\x"` whole.
    """

    code = "DL3010"
    name = "copied-archive-extracted"
    severity = INFO
    instructions = frozenset({"FROM", "COPY", "RUN"})

    def __init__(self, ctx):
        super().__init__(ctx)
        self.archives: dict[str, object] = {}  # basename -> the word naming it in a COPY of this stage
        self.found: list[tuple[int, object]] = []  # (stage index, finding)

    def check(self, ins):
        if ins.keyword == "FROM":
            self.archives = {}
        elif ins.keyword == "COPY":
            self._remember(ins)
        elif self.archives:
            self._extracted(ins)

    def finish(self):
        if self.found:
            keep = image_stages(self.ctx.df) or {-1}  # no FROM: a snippet, checked as one stage
            return [f for stage, f in self.found if stage in keep]
        return None

    def _remember(self, ins):
        if ins.flag("from") is not None or ins.heredocs:
            return
        sources, dest = sources_and_dest(ins)
        if dest is None:
            return
        if not dest.value.endswith("/") and is_tar_archive(dest.value):
            self.archives[basename(dest.value)] = dest
            return
        for word in sources:
            if is_tar_archive(word.value):
                self.archives[basename(word.value)] = word

    def _extracted(self, ins):
        for cmd in self.ctx.shell(ins).commands:
            if not _extracts(cmd):
                continue
            text = self.ctx.shell(ins).text
            for arg in cmd.args:
                # As written too: on Windows (cmd, PowerShell) a backslash separates folders, it
                # does not escape (`tar -xf C:\\app\\site.tar`).
                name = basename(arg.value)
                if name not in self.archives:
                    name = basename(text[arg.start:arg.end])
                word = self.archives.pop(name, None)
                if word is not None:
                    self.found.append((ins.stage_index, self.finding(
                        word.range, f"Use ADD for extracting archives into an image: '{name}' is copied here and "
                        f"unpacked by the RUN on line {ins.line + 1}",
                        related=[(self.ctx.shell_range(ins, arg.start, arg.end), "the archive is unpacked here")])))
