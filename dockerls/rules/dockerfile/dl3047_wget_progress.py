from dockerls.rules.base import INFO, Rule
from dockerls.rules.dockerfile._packages import RUN_KEYWORDS, commands_of, run_of, word_range

_QUIET = ("--progress", "-q", "--quiet", "-o", "--output-file", "-a", "--append-output", "--no-verbose", "-nv")


class WgetProgress(Rule):
    """`wget` with its default progress output.

    ## Why
    Without a terminal, GNU wget falls back to printing a dot for every few kilobytes: a large
    download fills the build log with thousands of lines, which slows CI log viewers and buries the
    lines that matter.

    ## Example
    ```Dockerfile
    FROM debian:bookworm-slim
    RUN wget https://example.com/tool.tar.gz
    ```

    ## Fix
    `wget --progress=dot:giga URL` (one dot per megabyte-sized chunk), `wget -nv URL` (one line per
    file) or `wget -q URL` (silent, errors too).  BusyBox wget (Alpine) knows only `-q`.

    ## Compared with hadolint
    dockerls also finds `wget` behind `sudo` and inside `sh -c "..."`.
    """

    code = "DL3047"
    name = "wget-progress"
    severity = INFO
    scope = "stage"
    per_instruction = True
    instructions = RUN_KEYWORDS

    def check(self, ins):
        run = run_of(ins)
        if run is None:
            return None
        found = []
        for cmd in commands_of(self.ctx, run, "wget"):
            if cmd.has_any_flag(*_QUIET):
                continue
            found.append(self.finding(
                word_range(self.ctx, run, cmd.words[0]),
                "Avoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`. Or consider "
                "using `-q` or `-nv` (shorthands for `--quiet` or `--no-verbose`)."))
        return found
