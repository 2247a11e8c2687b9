from dockerls.finding import SAFE, Edit, Fix
from dockerls.rules.base import STYLE, Rule


class LegacyKeyValueFormat(Rule):
    """`ENV key value` / `LABEL key value`: the legacy form without `=`.

    ## Why
    In the legacy form everything after the key, spaces included, is the value, and only one
    variable can be set.  `ENV PATH /usr/local/bin:$PATH EXTRA 1` sets `PATH` to the whole rest of
    the line, which is rarely what was meant.  The `key=value` form is unambiguous and sets
    several keys at once.  Docker documents the legacy form as deprecated.

    ## Example
    ```Dockerfile
    FROM alpine:3.20
    ENV APP_HOME /srv/app
    LABEL description A small tool
    ```

    ## Severity
    Style: BuildKit prints this check as a warning but never fails a build on it, and hadolint
    has no such rule, so it shows in the editor and in reports without failing a CI run at
    hadolint's default threshold (`info`).  Raise it with `severity: {DF207: warning}`.

    ## Fix
    Write `ENV APP_HOME=/srv/app` and `LABEL description="A small tool"`.  The quick fix
    rewrites the pair, quoting a value that contains spaces; it is offered (as safe) only when
    the new form means exactly the same value: a value with quotes or escape characters and
    spaces is left to you.
    """

    code = "DF207"
    name = "legacy-key-value-format"
    severity = STYLE
    scope = "stage"
    per_instruction = True
    instructions = frozenset({"ENV", "LABEL"})
    buildkit_check = "LegacyKeyValueFormat"
    fixable = True
    tags = ("deprecated",)

    def check(self, ins):
        out = []
        for pair in ins.pairs:
            if pair.legacy:
                kw = ins.keyword
                message = (f'"{kw} key=value" should be used instead of legacy "{kw} key value" format '
                           f"(set {pair.key}=...)")
                out.append(self.finding(pair.range, message, fix=self._fix(ins, pair)))
        return out

    def _fix(self, ins, pair) -> Fix | None:
        df = self.ctx.df
        raw = pair.raw_value
        if not raw or pair.key_range is None:
            return None
        key = df.text[pair.key_range.start_offset:pair.key_range.end_offset]
        value = _equals_form(raw, df.escape)
        if value is None or "\n" in key:
            return None
        edit = Edit(pair.range.start_offset, pair.range.end_offset, f"{key}={value}")
        return Fix(f"Write {pair.key}={value}", [edit], SAFE)


def _equals_form(raw: str, escape: str) -> str | None:
    """``raw`` as the value of ``key=value`` with the same meaning, or None when unsure."""
    if not any(c.isspace() for c in raw):
        return raw
    if '"' not in raw and "'" not in raw and escape not in raw:
        return f'"{raw}"'
    quote = raw[0]
    if quote in "\"'" and len(raw) > 1 and raw[-1] == quote and quote not in raw[1:-1] and escape not in raw:
        return raw  # one quoted string: already a single word
    return None
