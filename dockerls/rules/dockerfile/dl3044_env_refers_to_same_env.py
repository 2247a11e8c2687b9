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
    (`PATH=/x:$PATH`) -- unless an earlier pair of the same `ENV` sets it: in
    `ENV PATH=/a:$PATH PATH=/b:$PATH` the second `$PATH` is not `/a:...`.

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
        candidates = []  # (pair, reference, the pair sets again a key an earlier pair of this ENV set)
        set_before: set[str] = set()
        for pair in ins.pairs:
            if pair.raw_value and "$" in pair.raw_value:
                for ref in find_refs(pair.raw_value, self.ctx.df.escape):
                    if ref.name in set_before and ref.name == pair.key:
                        candidates.append((pair, ref, True))
                    elif ref.name in keys and ref.name != pair.key:
                        candidates.append((pair, ref, False))
            set_before.add(pair.key)
        if not candidates:
            return None
        scope = self.ctx.variables(ins) if ins.stage_index >= 0 else {}
        out = []
        for pair, ref, set_earlier in candidates:
            # Defined before this ENV: the old value may be the one meant -- but not when the key is
            # set twice in this ENV (`ENV P=/a:$P P=/b:$P` means /a:... in the second).
            if ref.name in scope and not set_earlier:
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
