from dockerls.rules.base import WARNING, Rule
from dockerls.rules.dockerfile._packages import RUN_KEYWORDS, run_of, word_range
from dockerls.rules.dockerfile._rpm import mentions

_TOOLS = ("curl", "wget")


class CurlAndWget(Rule):
    """A stage uses both `curl` and `wget`.

    ## Why
    Both download files.  Using both means both (and their libraries) have to be in the image,
    and two sets of flags, retry and TLS behaviours to keep in mind.  Pick one per stage.

    Every RUN that uses `curl` or `wget` once both have appeared in the stage is reported.
    `ONBUILD RUN` triggers are checked among themselves: they run in the build of another image.

    ## Example
    ```Dockerfile
    FROM debian:bookworm-slim
    RUN curl -fsSLO https://example.com/a.tar.gz
    RUN wget -q https://example.com/b.tar.gz
    ```

    ## Fix
    Use one of them for all downloads of the stage.

    ## Compared with hadolint
    dockerls also reads commands behind `sudo` and inside `sh -c "..."`, and points at the
    other tool's first use.
    """

    code = "DL4001"
    name = "curl-and-wget"
    severity = WARNING
    scope = "stage"
    instructions = RUN_KEYWORDS

    def __init__(self, ctx):
        super().__init__(ctx)
        # (stage, ONBUILD?) -> tool -> range of its first use.  ONBUILD triggers run in another
        # build, so they are a set of their own.
        self.first_use: dict[tuple[int, bool], dict[str, object]] = {}

    def check(self, ins):
        run = run_of(ins)
        if run is None or not mentions(self.ctx, run, _TOOLS):
            return None
        here: dict[str, object] = {}
        for cmd in self.ctx.shell(run).commands:
            if not cmd.words:
                continue
            cmd = cmd.unwrapped()
            program = cmd.program
            if program in _TOOLS and program not in here:
                here[program] = cmd.words[0]
        if not here:
            return None
        seen = self.first_use.setdefault((ins.stage_index, run is not ins), {})
        first_tool = next(iter(seen), None)
        for tool, word in here.items():
            seen.setdefault(tool, word_range(self.ctx, run, word))
        if len(seen) < 2:
            return None
        first_tool = first_tool or next(iter(here))
        tool = next((t for t in here if t != first_tool), next(iter(here)))
        other = "wget" if tool == "curl" else "curl"
        other_range = seen[other]
        return [self.finding(
            word_range(self.ctx, run, here[tool]),
            f"Either use Wget or Curl but not both: this stage also uses {other} (line {other_range.start.line + 1})",
            related=[(other_range, f"{other} used here")],
        )]
