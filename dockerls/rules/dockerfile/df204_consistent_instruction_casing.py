from dockerls.finding import SAFE, Edit, Fix
from dockerls.parse.dockerfile.parser import INSTRUCTIONS
from dockerls.rules.base import STYLE, Rule


class ConsistentInstructionCasing(Rule):
    """An instruction keyword is not written in the case most of the file uses.

    ## Why
    Instruction keywords are case-insensitive, but a file that mixes `RUN` and `run` (or
    writes `From`) is harder to scan.  The file's majority decides: lower case when more
    keywords are all-lower than all-upper, else upper case.  As in BuildKit, the ARGs before
    the first `FROM` are neither counted nor reported, nor are unknown instructions (DF005
    reports those).

    ## Example
    ```Dockerfile
    FROM alpine:3.20
    copy app /app
    RUN /app/setup
    ```

    ## Fix
    Write the keyword in the majority's case.  The quick fix does that; it is safe.
    """

    code = "DF204"
    name = "consistent-instruction-casing"
    severity = STYLE
    instructions = frozenset()
    buildkit_check = "ConsistentInstructionCasing"
    fixable = True

    def finish(self):
        # An unknown keyword (`frun`) is DF005's: one finding for the bad line, not two.
        keywords = [ins for ins in self.ctx.df.instructions if ins.stage_index >= 0 and ins.keyword in INSTRUCTIONS]
        lower = sum(1 for i in keywords if i.keyword_text == i.keyword_text.lower())
        upper = sum(1 for i in keywords if i.keyword_text == i.keyword_text.upper())
        majority_lower = lower > upper
        case = "lowercase" if majority_lower else "uppercase"
        for ins in keywords:
            text = ins.keyword_text
            wanted = text.lower() if majority_lower else text.upper()
            if text == wanted:
                continue
            rng = ins.keyword_range
            fix = Fix(f"Write '{wanted}'", [Edit(rng.start_offset, rng.end_offset, wanted)], SAFE)
            yield self.finding(rng, f"Command '{text}' should match the case of the command majority ({case})", fix=fix)
