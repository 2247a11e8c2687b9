from dockerls.parse.dockerfile import problems
from dockerls.parse.dockerfile.validate import refusal
from dockerls.rules.base import ERROR, Rule


class BuildkitRefuses(Rule):
    """An instruction that reads fine but that BuildKit refuses when it builds.

    ## Why
    The build stops there, with BuildKit's error.  BuildKit checks each instruction's flags and
    arguments before it builds anything: a flag the instruction does not have (`ADD --foo`,
    `HEALTHCHECK --unknown`), a flag given twice, `COPY --chown` with no value, `--link=maybe`;
    `HEALTHCHECK --interval=abc`, an interval under 1ms, negative `--retries`, a `HEALTHCHECK` type
    other than `CMD`/`NONE`; `SHELL` not in JSON form; `WORKDIR`/`USER`/`STOPSIGNAL` with more
    than one argument; `COPY` without a destination or with a heredoc as destination; a stage
    name that starts with a digit; blank `ENV`/`LABEL`/`ARG` names; an empty `VOLUME`; an unknown
    `STOPSIGNAL`; an `EXPOSE` port that is not a port.  The message is BuildKit's.

    ## Example
    ```Dockerfile
    FROM busybox:1.36
    COPY --chown app /app
    HEALTHCHECK --interval=abc CMD true
    STOPSIGNAL SIGFOO
    ```

    ## Fix
    Follow the message: give the flag a value (`--chown=app`), drop the flag the instruction does
    not know, write durations as Go does (`30s`, `1m30s`), use a signal name or number.
    """

    code = problems.REFUSED
    name = "buildkit-refuses"
    severity = ERROR
    scope = "stage"  # an instruction's own text decides (validate.refusal)
    per_instruction = True

    def check(self, ins):
        found = refusal(self.ctx.df, ins)
        if found is not None:
            yield self.finding(found.range, found.message)
