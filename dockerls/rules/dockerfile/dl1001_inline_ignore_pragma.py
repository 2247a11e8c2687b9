from dockerls.lint import suppression
from dockerls.rules.base import STYLE, Rule


class InlineIgnorePragma(Rule):
    """An inline `# hadolint ignore=...` / `# dockerls ignore=...` comment silences a rule.

    ## Why
    Inline ignores pile up: each one hides a finding for good, including after the instruction
    below it changes and the reason for the ignore is gone.  Teams that want every exception to
    be visible in one place keep them in the configuration file (or a `global ignore`) and turn
    this rule on.  Off by default.

    ## Example
    ```Dockerfile
    FROM debian:bookworm-slim
    # hadolint ignore=DL3008
    RUN apt-get update && apt-get install -y --no-install-recommends curl
    ```

    ## Fix
    Fix the finding, or move the exception to the configuration (`ignore: [DL3008]`).

    ## Compared with hadolint
    hadolint reports its own pragma only; dockerls reports both spellings.  Global pragmas
    are not reported, as in hadolint.
    """

    code = "DL1001"
    name = "inline-ignore-pragma"
    severity = STYLE
    status = "off-by-default"
    instructions = frozenset()

    def finish(self):
        lines = self.ctx.df.lines
        for comment in self.ctx.df.comments:
            pragma = suppression.parse_pragma(lines.line_text(comment.range.start.line))
            if pragma is not None and not pragma.is_global:
                codes = ", ".join(code.upper() for code, _, _ in pragma.codes)
                yield self.finding(comment.range, "Please refrain from using inline ignore pragmas: "
                                   f"this comment silences {codes} for the next instruction")
