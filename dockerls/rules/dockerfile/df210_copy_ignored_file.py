from __future__ import annotations

import os
import posixpath

from dockerls.ignorefile import IgnoreRules
from dockerls.parse.dockerfile.scope import values_of
from dockerls.parse.dockerfile.variables import expand, find_refs
from dockerls.rules.base import WARNING, Rule

_ROOT_PATTERNS = frozenset({"*", "**", "**/*"})


class CopyIgnoredFile(Rule):
    """`COPY` or `ADD` of a file that `.dockerignore` keeps out of the build context.

    ## Why
    Files matched by `.dockerignore` are not sent to the builder.  Copying one fails the build
    with a "not found" error, or, with a wildcard, silently copies nothing.  Usually the
    ignore file was written for another Dockerfile, or a new file was added to an ignored folder.

    dockerls takes the Dockerfile's folder as the build context and reads `<Dockerfile>.dockerignore`
    next to the Dockerfile if there is one, else `.dockerignore` in that folder.  As in BuildKit,
    nothing is reported when the ignore file has `!` exceptions (what they re-include cannot be
    told statically), and `COPY . .` only when the ignore file excludes everything (`*`).
    Sources from other stages (`--from`), URLs and heredocs are not in the context and are not
    checked.

    ## Example
    With a `.dockerignore` holding `*.md`:
    ```Dockerfile
    FROM nginx:1.27
    COPY README.md /usr/share/nginx/html/
    ```

    ## Fix
    Remove the pattern from `.dockerignore` (or add a `!` exception), or stop copying the file.

    ## Compared with BuildKit
    BuildKit ships this check as experimental (enabled with `# check=experimental=CopyIgnoredFile`);
    dockerls runs it by default, since the build it predicts fails or copies nothing.  Unlike
    BuildKit's experimental checks it is also silenced by `# check=skip=all`.
    """

    code = "DF210"
    name = "copy-ignored-file"
    severity = WARNING
    instructions = frozenset({"COPY", "ADD"})
    buildkit_check = "CopyIgnoredFile"

    def __init__(self, ctx):
        super().__init__(ctx)
        self._rules: IgnoreRules | None = None
        self._ignore_name = ".dockerignore"
        self._loaded = False

    def check(self, ins):
        if self.ctx.path is None or ins.flag("from") is not None:
            return None
        rules = self._ignore_rules()
        if rules is None:
            return None
        out = []
        sources = ins.words[:-1]
        for word in sources:
            raw = word.value
            if raw.startswith("<<") or "://" in raw or raw.startswith("git@"):
                continue
            path = self._resolve(ins, raw)
            if path is None:
                continue
            clean = posixpath.normpath(path).lstrip("/") or "."
            if clean in (".", ""):
                pattern = next((p for p in rules.patterns if not p.negated and p.pattern in _ROOT_PATTERNS), None)
            else:
                pattern = rules.matching_pattern(clean)
                if pattern is not None and pattern.negated:
                    pattern = None
            if pattern is None:
                continue
            verb = "Add" if ins.keyword == "ADD" else "Copy"
            shown = "." if clean == "." else clean
            out.append(self.finding(word.range, f'Attempting to {verb} file "{shown}" that is excluded by '
                                    f'{self._ignore_name} (pattern "{pattern.text}" on line {pattern.line + 1})'))
        return out

    def _ignore_rules(self) -> IgnoreRules | None:
        if self._loaded:
            return self._rules
        self._loaded = True
        if self.ctx.path is None:
            return None
        dockerfile = os.path.abspath(self.ctx.path)
        for candidate in (dockerfile + ".dockerignore", os.path.join(os.path.dirname(dockerfile), ".dockerignore")):
            if self.ctx.fs.is_file(candidate):
                try:
                    text = self.ctx.fs.read_text(candidate)
                except OSError:
                    text = ""
                rules = IgnoreRules.parse(text, mode="docker")
                if rules.patterns and not any(p.negated for p in rules.patterns):
                    self._rules = rules
                    self._ignore_name = os.path.basename(candidate)
                return self._rules
        return None

    def _resolve(self, ins, raw: str) -> str | None:
        """The source path with its variables expanded; None when a value is not known."""
        df = self.ctx.df
        refs = find_refs(raw, df.escape)
        if not refs:
            return raw
        scope = self.ctx.variables(ins)
        if any(r.operator is None and (scope.get(r.name) is None or scope[r.name].value is None) for r in refs):
            return None
        return expand(raw, values_of(scope), df.escape)
