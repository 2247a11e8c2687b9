from dockerls.rules.base import ERROR, Rule


class DuplicateStageName(Rule):
    """Two stages have the same name.

    ## Why
    `COPY --from=name` and `FROM name` pick one of the stages, and which one is not what a reader
    expects.  Often a stage was copied and its name not changed.  Stage names are not case
    sensitive: `AS Build` and `AS build` are the same name.

    ## Example
    ```Dockerfile
    FROM node:22 AS build
    RUN npm ci && npm run build
    FROM golang:1.23 AS build
    RUN go build ./...
    ```

    ## Fix
    Give each stage its own name.

    ## Compared with hadolint
    hadolint compares names case-sensitively, so `AS build` and `AS Build` pass there.  BuildKit
    lower-cases stage names, so they do collide; dockerls follows BuildKit
    (`DuplicateStageName`).
    """

    code = "DL3024"
    name = "duplicate-stage-name"
    severity = ERROR
    instructions = frozenset({"FROM"})
    buildkit_check = "DuplicateStageName"

    def __init__(self, ctx):
        super().__init__(ctx)
        self.names: dict[str, object] = {}  # lower-cased name -> the first FROM's name word

    def check(self, ins):
        word = ins.stage_name
        if word is None:
            return None
        key = word.value.lower()
        first = self.names.setdefault(key, word)
        if first is word:
            return None
        return [self.finding(word.range, f"FROM aliases (stage names) must be unique: '{word.value}' is already "
                             f"the name of the stage on line {first.range.start.line + 1}",
                             related=[(first.range, "the first stage with this name")])]
