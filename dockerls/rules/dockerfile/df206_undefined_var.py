from __future__ import annotations

from dataclasses import dataclass, field

from dockerls.parse.dockerfile.scope import global_args
from dockerls.parse.dockerfile.variables import expand, find_refs
from dockerls.rules.base import WARNING, Rule
from dockerls.rules.dockerfile._buildkit import AUTOMATIC_VALUES, PREDEFINED_IN_STAGE, levenshtein, refs_at, suggest

# The instructions whose arguments BuildKit expands (RUN only for its --mount options).
_EXPANDED = frozenset({"ENV", "ARG", "LABEL", "WORKDIR", "USER", "VOLUME", "STOPSIGNAL", "COPY", "ADD"})
_NOT_ENV = frozenset({"BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"})


@dataclass
class _StageVars:
    defined: set[str] = field(default_factory=lambda: {"PATH"})
    # The base image is not known: its environment may define any name.
    open: bool = True


class UndefinedVar(Rule):
    """A variable is used where the builder expands it, but nothing defines it there.

    ## Why
    BuildKit expands `$NAME` in `ENV`, `ARG` defaults, `LABEL`, `WORKDIR`, `USER`, `VOLUME`,
    `STOPSIGNAL`, `COPY`/`ADD` (and their `--chown`/`--chmod`) and `RUN --mount` options, when
    the Dockerfile is built.  A name that is not defined there expands to an empty string,
    silently: `COPY app-$VERSION.jar /app.jar` copies `app-.jar`.  The usual causes:

    * a global ARG (before the first `FROM`) used inside a stage without `ARG NAME` in the stage;
    * `TARGETARCH`, `HTTP_PROXY` and the other automatic ARGs, which a stage sees only after
      `ARG TARGETARCH`;
    * a name declared later in the stage, or in another stage, or misspelt.

    `RUN`, `CMD`, `ENTRYPOINT` and `HEALTHCHECK` are not expanded by the builder (the shell does
    it when they run), so they are not checked.

    ## Example
    ```Dockerfile
    ARG VERSION=1.4.2
    FROM eclipse-temurin:21-jre
    COPY app-${VERSION}.jar /app.jar
    ```

    ## Fix
    Declare the variable where it is used (`ARG VERSION` inside the stage takes the global
    default), or fix its name.

    ## Compared with BuildKit
    BuildKit knows the base image's environment (`FROM golang` defines `GOPATH`); dockerls
    does not pull images.  In a stage built on an image, dockerls therefore reports only the
    names it knows are wrong there: automatic ARGs, and names the Dockerfile defines elsewhere
    (globally, later, or in another stage), and typos of a name the stage defines (one letter
    off, or two letters swapped: `$PTAH` for `$PATH`).  In a stage built `FROM scratch` (or on such a
    stage) every undefined name is reported, with a "did you mean" suggestion.  A variable that
    refers to a key set by the same `ENV` is left to DL3044 when it reports that `ENV`.
    `FROM $BASE` is followed to the stage it names with the global ARGs' values, the build
    arguments given (`check --build-arg`, the compose service's `build.args`) taking precedence.
    """

    code = "DF206"
    name = "undefined-var"
    severity = WARNING
    instructions = _EXPANDED | {"FROM", "RUN"}
    buildkit_check = "UndefinedVar"
    superseded_by = ("DL3044",)

    def __init__(self, ctx):
        super().__init__(ctx)
        self.stages: dict[int, _StageVars] = {}
        self.current: _StageVars | None = None
        self.declarations: dict[str, list] = {}  # name -> [instruction declaring it]
        # The stage each FROM builds on (by stage index), and how many stages build on each: the
        # last stage to build on one takes its set of names instead of a copy, so a long chain of
        # stages built FROM each other costs linear time, not quadratic.
        self.parents: dict[int, int] = {}
        self.children: dict[int, int] = {}
        for ins in ctx.df.instructions:
            if ins.keyword in ("ARG", "ENV"):
                for pair in ins.pairs:
                    self.declarations.setdefault(pair.key, []).append(ins)
            elif ins.keyword == "FROM":
                parent = self._parent_index(ins)
                if parent is not None:
                    self.parents[ins.index] = parent
                    self.children[parent] = self.children.get(parent, 0) + 1

    def check(self, ins):
        if ins.keyword == "FROM":
            self._enter_stage(ins)
            return None
        state = self.current
        if state is None:
            return None
        refs = self._refs(ins)
        out = []
        reported: set[str] = set()
        if ins.keyword == "ARG":
            for pair in ins.pairs:  # each pair sees the names of the pairs before it
                for name, start, end in refs:
                    if pair.range.start_offset <= start < pair.range.end_offset:
                        self._report(out, reported, ins, state, state.defined, name, start, end)
                state.defined.add(pair.key)
            return out
        for name, start, end in refs:
            if ins.keyword == "ENV" and state.open and _pair_key_at(ins, start) == name:
                continue  # ENV X=$X:...: extends the base image's value, if it has one
            self._report(out, reported, ins, state, state.defined, name, start, end)
        if ins.keyword == "ENV":
            state.defined.update(p.key for p in ins.pairs)
        return out

    def _enter_stage(self, ins) -> None:
        state = _StageVars()
        parent = self.parents.get(ins.index)
        if parent is not None and parent in self.stages:
            inherited = self.stages[parent]
            self.children[parent] -= 1
            # The last stage built on ``parent`` takes its names (no other stage reads them again).
            names = inherited.defined if self.children[parent] == 0 else set(inherited.defined)
            state = _StageVars(names, inherited.open)
        elif ins.image is not None and self._base(ins).lower() == "scratch":
            state.open = False
        self.stages[ins.stage_index] = state
        self.current = state

    def _base(self, ins) -> str:
        image = ins.image
        return self._base_name(image.raw) if image.has_variables else image.raw

    def _parent_index(self, ins) -> int | None:
        """The index of the earlier stage that ``FROM`` builds on, None when it is an image."""
        image = ins.image
        if image is None or not (image.has_variables or not (image.tag or image.digest or image.registry)):
            return None
        name = self._base(ins)
        parent = self.ctx.df.stage_by_name(name) if name else None
        return parent.index if parent is not None and parent.index < ins.stage_index else None

    def _base_name(self, raw: str) -> str:
        """``FROM``'s image with the global ARGs as the build sees them: build arguments given for
        a declared global ARG replace its default (BuildKit's ``buildMetaArgs``)."""
        df = self.ctx.df
        values: dict[str, str | None] = dict(AUTOMATIC_VALUES)
        for key, var in global_args(df).items():
            given = self.ctx.config.build_arg(key)
            values[key] = given if given is not None else var.value
        return expand(raw, values, df.escape).replace('"', "").replace("'", "")

    def _refs(self, ins) -> list[tuple[str, int, int]]:
        """(name, document start, document end) of each reference the builder expands in ``ins``."""
        df = self.ctx.df
        out: list[tuple[str, int, int]] = []
        if ins.keyword == "RUN":
            for flag in ins.flags:
                if flag.name.lower() == "mount":
                    self._flag_refs(flag, out)
            return out
        if ins.keyword in ("COPY", "ADD"):
            for flag in ins.flags:
                if flag.name.lower() in ("chown", "chmod"):
                    self._flag_refs(flag, out)
            for doc in ins.heredocs:
                if not doc.quoted:
                    out.extend((r.name, s, e) for r, s, e in refs_at(doc.body, doc.body_range.start_offset,
                                                                    df.text, df.escape))
        text = ins.args_text
        if "$" in text:
            for ref in find_refs(text, df.escape):
                start = ins.doc_offset(ref.start)
                end = ins.doc_offset(ref.end - 1) + 1
                out.append((ref.name, start, end))
        return out

    def _flag_refs(self, flag, out) -> None:
        if flag.value and "$" in flag.value and flag.value_range is not None:
            df = self.ctx.df
            out.extend((r.name, s, e) for r, s, e in refs_at(flag.value, flag.value_range.start_offset,
                                                            df.text, df.escape))

    def _report(self, out, reported, ins, state, defined, name, start, end) -> None:
        if name in defined or name in _NOT_ENV or name in reported:
            return
        why = self._why(ins, name)
        if why is None:
            match = suggest(name, defined)
            if state.open and not _typo(name, match):
                return  # may come from the base image's environment
            why = f" (did you mean ${match}?)" if match else ""
        reported.add(name)
        out.append(self.finding(self.ctx.df.lines.range(start, end), f"Usage of undefined variable '${name}'{why}"))

    def _why(self, ins, name) -> str | None:
        """What the Dockerfile itself says about ``name``, when it tells why it is undefined here."""
        if name in PREDEFINED_IN_STAGE:
            return f": declare `ARG {name}` in this stage to use the automatic ARG"
        declared = self.declarations.get(name)
        if not declared:
            return None
        for other in declared:
            if other.stage_index < 0:
                return (f": the global ARG {name} (line {other.line + 1}) is not visible inside a stage; "
                        f"declare `ARG {name}` in the stage")
        for other in declared:
            if other.index == ins.index and ins.keyword == "ENV":
                return ": it is set by this same ENV, and only visible from the next instruction"
            if other.stage_index == ins.stage_index and other.index >= ins.index:
                return f": it is declared on line {other.line + 1}, after this use"
        return f": it is only declared in another stage (line {declared[0].line + 1})"


def _typo(name: str, match: str | None) -> bool:
    """Whether ``name`` is a typo of ``match``, a name the stage defines, whatever the base image
    holds: one letter off (`$DIR_DAT` for `$DIR_DATA`) or two letters swapped (`$PTAH`), not merely
    close (`$GOPATH` is not a typo of `$PATH`)."""
    return match is not None and (levenshtein(name, match, 2) <= 1 or sorted(name) == sorted(match))


def _pair_key_at(ins, offset: int) -> str | None:
    """The key of the ENV/ARG pair whose text holds the document ``offset``."""
    for pair in ins.pairs:
        if pair.range.start_offset <= offset < pair.range.end_offset:
            return pair.key
    return None
