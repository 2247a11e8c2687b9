from dockerls.parse.dockerfile.variables import find_refs
from dockerls.rules.base import ERROR, Rule


class EnvRefersToSameEnv(Rule):
    """An `ENV` value uses a variable that the same `ENV` instruction defines.

    ## Why
    All values of one `ENV` are expanded with the variables as they were *before* the
    instruction.  In `ENV JAVA_HOME=/opt/java PATH=$JAVA_HOME/bin:$PATH` the `$JAVA_HOME` is
    still empty (or the base image's old value), so `PATH` gets `/bin` added, not `/opt/java/bin`.

    A variable that already has a value in the stage before the `ENV` (from an `ARG` or an earlier
    `ENV`, also of a parent stage) is not reported, nor is a variable referring to itself
    (`PATH=/x:$PATH`).

    ## Example
    ```Dockerfile
    FROM debian:bookworm-slim
    ENV APP_HOME=/opt/app PATH=$APP_HOME/bin:$PATH
    ```

    ## Fix
    Split it into two instructions: `ENV APP_HOME=/opt/app` then `ENV PATH=$APP_HOME/bin:$PATH`.

    ## Compared with hadolint
    hadolint accepts a name defined by any earlier `ENV`/`ARG` of the file, even of another
    stage where it is not visible; dockerls uses the stage's real scope.  dockerls also sees
    references with a default (`${NAME:-x}`), and skips escaped (`\\$NAME`) and single-quoted
    ones, which are not expanded.
    """

    code = "DL3044"
    name = "env-refers-to-same-env"
    severity = ERROR
    scope = "stage"
    instructions = frozenset({"ENV"})

    def check(self, ins):
        if len(ins.pairs) < 2:
            return None
        keys = {p.key for p in ins.pairs}
        candidates = []
        for pair in ins.pairs:
            if not pair.raw_value or "$" not in pair.raw_value:
                continue
            for ref in find_refs(pair.raw_value, self.ctx.df.escape):
                if ref.name in keys and ref.name != pair.key:
                    candidates.append((pair, ref))
        if not candidates:
            return None
        scope = self.ctx.variables(ins) if ins.stage_index >= 0 else {}
        out = []
        for pair, ref in candidates:
            if ref.name in scope:
                continue
            out.append(self.finding(self._ref_range(pair, ref),
                                    f"Do not refer to an environment variable within the same `ENV` statement where it "
                                    f"is defined: '${ref.name}' here is not the value set by this ENV"))
        return out

    def _ref_range(self, pair, ref):
        rng = pair.value_range
        df = self.ctx.df
        if rng is not None and df.text[rng.start_offset : rng.end_offset] == pair.raw_value:
            return df.lines.range(rng.start_offset + ref.start, rng.start_offset + ref.end)
        return pair.range
