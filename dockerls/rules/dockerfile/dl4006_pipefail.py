from dockerls.rules.base import WARNING, Rule
from dockerls.rules.dockerfile._packages import word_range

_PIPEFAIL_SHELLS = frozenset({"bash", "zsh", "ash", "ksh", "mksh"})
_NON_POSIX = ("cmd", "powershell", "pwsh")


class Pipefail(Rule):
    """A RUN pipes commands (`a | b`) while the shell does not fail on a failing pipe stage.

    ## Why
    A pipeline's exit status is that of its last command.  In
    `RUN curl -fsSL https://example.com/install.sh | sh`, a failed download gives `sh` an empty
    script, `sh` succeeds, and the build goes on with nothing installed.  With `pipefail` the
    pipeline fails when any stage fails.  `/bin/sh` (dash on Debian) may not know the option,
    so set a shell that does:
    `SHELL ["/bin/bash", "-o", "pipefail", "-c"]`.

    Not reported: after such a `SHELL` in the stage (or in the stage it is built `FROM`), when the
    stage's shell is `cmd`/PowerShell, and in a RUN that runs `set -o pipefail` (`set -euo
    pipefail`) before its first pipe: that RUN either has pipefail or fails right away.

    ## Example
    ```Dockerfile
    FROM debian:bookworm-slim
    RUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/example.gpg
    ```

    ## Fix
    Before the RUN: `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` (or `/bin/ash` on Alpine).

    ## Compared with hadolint
    hadolint forgets the `SHELL` at every `FROM`, also for a stage built from an earlier stage
    (which inherits its shell), and does not accept `set -o pipefail` in the RUN; dockerls
    does both.  Like hadolint, pipes inside `sh -c "..."` strings are not counted.
    """

    code = "DL4006"
    name = "pipefail"
    severity = WARNING
    instructions = frozenset({"FROM", "SHELL", "RUN"})
    # A stage's findings follow from its own instructions and the shell of the stage it is built FROM.
    scope = "stage"

    def __init__(self, ctx):
        super().__init__(ctx)
        self.safe = False  # the current stage's shell has pipefail (or is not a POSIX shell)
        self._safe_at_end: dict[int, bool] = {}  # earlier stages, read when asked

    def check(self, ins):
        if ins.keyword == "FROM":
            parent = self._parent(ins)
            self.safe = parent is not None and self._safe_at_end_of(parent)
        elif ins.keyword == "SHELL":
            self.safe = _shell_is_safe(ins.json)
        elif not self.safe:
            return self._check_run(ins)
        return None

    def _parent(self, from_ins) -> int | None:
        """The earlier stage a FROM builds on (it inherits its shell), if any."""
        image = from_ins.image
        parent = self.ctx.df.stage_by_name(image.raw) if image is not None else None
        return parent.index if parent is not None and parent.index < from_ins.stage_index else None

    def _safe_at_end_of(self, index: int) -> bool:
        """Whether stage ``index``'s shell has pipefail at its end: its last SHELL's, else the one it
        inherits (read from the stages, not from state kept while checking them: a stage rule may be
        run on one stage alone)."""
        known = self._safe_at_end.get(index)
        if known is None:
            stage = self.ctx.df.stages[index]
            last = next((i for i in reversed(stage.instructions) if i.keyword == "SHELL"), None)
            if last is not None:
                known = _shell_is_safe(last.json)
            else:
                parent = self._parent(stage.from_instruction)
                known = parent is not None and self._safe_at_end_of(parent)
            self._safe_at_end[index] = known
        return known

    def _check_run(self, ins):
        script = self.ctx.shell(ins)
        if not script.uses_pipes:
            return None
        pipeline = next((p for p in script.pipelines if len(p) > 1 and "sh -c" not in p[0].context), None)
        if pipeline is None:
            return None
        start = min(c.start for c in pipeline)
        for cmd in script.commands:
            if cmd.start >= start:
                break
            if cmd.program == "set" and _sets_pipefail(cmd.args):
                return None
        first = min(pipeline, key=lambda c: c.start)
        last = max(pipeline, key=lambda c: c.end)
        rng = word_range(self.ctx, ins, first.words[0]) if first.words else self.ctx.head_range(ins)
        if last.words:
            end = word_range(self.ctx, ins, last.words[-1])
            if end.end_offset > rng.start_offset:
                rng = self.ctx.df.lines.range(rng.start_offset, end.end_offset)
        return [self.finding(
            rng,
            "Set the SHELL option -o pipefail before RUN with a pipe in it: otherwise only the last command's "
            "failure fails the pipe. If you are using /bin/sh in an alpine image or if your shell is symlinked to "
            "busybox then consider explicitly setting your SHELL to /bin/ash, or disable this check",
        )]


def _shell_is_safe(words: list[str] | None) -> bool:
    if not words:
        return False
    joined = " ".join(words)
    if joined.lower().startswith(_NON_POSIX):
        return True
    program = words[0].replace("\\", "/").rsplit("/", 1)[-1].lower()
    if program.endswith(".exe"):
        program = program[:-4]
    if program in _NON_POSIX:
        return True
    return program in _PIPEFAIL_SHELLS and _sets_pipefail_values(words[1:])


def _sets_pipefail(args) -> bool:
    return _sets_pipefail_values([w.value for w in args])


def _sets_pipefail_values(values: list[str]) -> bool:
    """``-o pipefail``, ``-eo pipefail``, ``-euxo pipefail``, ``-opipefail``."""
    for i, value in enumerate(values):
        if value == "-c":
            return False
        if value.startswith("-") and not value.startswith("--"):
            if value.endswith("opipefail"):
                return True
            if "o" in value[1:] and i + 1 < len(values) and values[i + 1] == "pipefail":
                return True
    return False
