from dockerls.finding import SAFE, Edit, Fix
from dockerls.rules.base import STYLE, Rule


class FromAsCasing(Rule):
    """The `AS` of `FROM ... AS name` is not written in the same case as `FROM`.

    ## Why
    `FROM image as name` in an upper-case file (or `from image AS name` in a lower-case one)
    is a small inconsistency that BuildKit reports on every build.  A mixed-case `From` is left
    to `ConsistentInstructionCasing` (DF204).

    ## Example
    ```Dockerfile
    FROM golang:1.22 as build
    ```

    ## Fix
    Write `AS` in the keyword's case.  The quick fix does that; it is safe (keywords are
    case-insensitive).
    """

    code = "DF202"
    name = "from-as-casing"
    severity = STYLE
    scope = "stage"
    instructions = frozenset({"FROM"})
    buildkit_check = "FromAsCasing"
    fixable = True

    def check(self, ins):
        if ins.as_range is None:
            return None
        keyword = ins.keyword_text
        as_word = self.ctx.df.text[ins.as_range.start_offset:ins.as_range.end_offset]
        if keyword == keyword.lower():
            wanted = "as"
        elif keyword == keyword.upper():
            wanted = "AS"
        else:
            return None
        if as_word == wanted:
            return None
        fix = Fix(f"Write '{wanted}'", [Edit(ins.as_range.start_offset, ins.as_range.end_offset, wanted)], SAFE)
        return [self.finding(ins.as_range, f"'{as_word}' and '{keyword}' keywords' casing do not match", fix=fix)]
