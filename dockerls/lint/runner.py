"""Runs the rules over a Dockerfile in one pass and applies configuration and suppressions."""

from __future__ import annotations

import dataclasses
import logging
from typing import Callable, Hashable, Iterable, Sequence

from dockerls.config import DEFAULT, Config
from dockerls.lint import suppression
from dockerls.lint.context import LintContext
from dockerls.finding import Finding, Severity
from dockerls.lint.incremental import StageMemo
from dockerls.lint.workspace_fs import NO_FS, PLAIN_FS, StageRuleReadsFiles, WorkspaceFS
from dockerls.parse.dockerfile.model import Dockerfile, Instruction
from dockerls.rules.base import Rule
from dockerls.rules.registry import rules_of

log = logging.getLogger(__name__)


# enabled_rules' last answers, by configuration object: the language server asks once per lint,
# with the same few configurations (5,000 documents opened at once spent 10% of their lint here).
_ENABLED: dict[tuple[int, str], tuple[Config, tuple, list[type[Rule]]]] = {}


def enabled_rules(config: Config, kind: str = "dockerfile") -> list[type[Rule]]:
    """The rules of ``kind`` that ``config`` leaves on (a new list each time)."""
    every = rules_of(kind)
    hit = _ENABLED.get((id(config), kind))
    if hit is not None and hit[0] is config and hit[1] is every:  # a Config is frozen: the same one, the same rules
        return list(hit[2])
    out = _enabled(config, every)
    if len(_ENABLED) >= 32:
        _ENABLED.clear()
    _ENABLED[(id(config), kind)] = (config, every, out)
    return list(out)


def _enabled(config: Config, every: Iterable[type[Rule]]) -> list[type[Rule]]:
    out = []
    for rule in every:
        names = [n.lower() for n in rule.all_names()]
        if any(n in config.ignored for n in names):
            continue
        if any(n in config.severity and config.severity[n] is None for n in names):
            continue
        if rule.status == "off-by-default" and not any(
                n in config.enabled or config.severity.get(n) is not None for n in names):
            continue
        out.append(rule)
    return out


def lint_dockerfile(df: Dockerfile, config: Config = DEFAULT, path: str | None = None,
                    rules: Sequence[type[Rule]] | None = None, memo: StageMemo | None = None,
                    memo_key: Hashable = None, fs: WorkspaceFS | None = None) -> list[Finding]:
    """Every finding for ``df``, suppressions applied, in file order.

    ``fs``: how rules look at the files around the Dockerfile (default: the plain file system; the
    result cache passes a recording one).  ``scope = "stage"`` rules get a context whose ``fs``
    refuses.  With a ``memo`` (the language server's, one per document; ``memo_key`` names the
    configuration) the stage rules only run on the stages that changed since the memo's last lint.
    """
    ctx = LintContext(df, config, path or df.path, fs=fs or PLAIN_FS)
    stage_ctx = dataclasses.replace(ctx, fs=NO_FS)  # shares the per-file caches
    classes = list(rules if rules is not None else enabled_rules(config))

    def make(cls: type[Rule]) -> Rule:
        return cls(stage_ctx if cls.scope == "stage" else ctx)

    if memo is None:
        findings = _run([ctx, stage_ctx], [make(cls) for cls in classes], df.instructions, finish=True)
    else:
        per_stage = [cls for cls in classes if cls.scope == "stage" and not cls.per_instruction]
        per_instruction = [cls for cls in classes if cls.scope == "stage" and cls.per_instruction]
        keywords: frozenset[str] | None = frozenset()
        for cls in per_instruction:
            keywords = None if keywords is None or cls.instructions is None else keywords | cls.instructions
        findings = _run([ctx], [make(cls) for cls in classes if cls.scope != "stage"], df.instructions, finish=True)
        one_each: list[Rule] = []  # the per-instruction rules, made once: they keep no state across checks
        dispatch: list[_Dispatch] = []  # and which of them check which keyword, worked out once

        def run_instruction(instructions: list[Instruction]) -> list[Finding]:
            if not one_each:
                one_each.extend(make(cls) for cls in per_instruction)
                dispatch.append(_dispatch(one_each))
            return _run([stage_ctx], one_each, instructions, finish=False, dispatch=dispatch[0])

        findings += memo.findings(df, memo_key, lambda instructions: _run(
            [stage_ctx], [make(cls) for cls in per_stage], instructions, finish=False),
            run_instruction if per_instruction else None, keywords)
    return _postprocess(df, config, classes, findings)


# The rules that check each keyword, and those that check every instruction.
_Dispatch = tuple[dict[str, list[Rule]], list[Rule]]


def _dispatch(active: list[Rule]) -> _Dispatch:
    by_keyword: dict[str, list[Rule]] = {}
    every: list[Rule] = []
    for rule in active:
        if rule.instructions is None:
            every.append(rule)
        else:
            for kw in rule.instructions:
                by_keyword.setdefault(kw, []).append(rule)
    return by_keyword, every


def _run(contexts: list[LintContext], active: list[Rule], instructions: list[Instruction],
         finish: bool, dispatch: _Dispatch | None = None) -> list[Finding]:
    """``active`` rules' findings on ``instructions`` (consecutive, in file order); ``contexts``:
    the contexts of those rules, kept at the instruction being checked; ``dispatch``: the
    :func:`_dispatch` of ``active`` when the caller has it."""
    df = contexts[0].df
    by_keyword, every = dispatch if dispatch is not None else _dispatch(active)
    findings: list[Finding] = []
    previous = df.instructions[:instructions[0].index] if instructions else []
    for ctx in contexts:
        ctx.previous = previous  # one list: appended to below for all of them
    for ins in instructions:
        stage = df.stages[ins.stage_index] if ins.stage_index >= 0 else None
        for ctx in contexts:
            ctx.stage = stage
        for rule in by_keyword.get(ins.keyword, ()):
            collect_findings(findings, rule, rule.check, ins)
        for rule in every:
            collect_findings(findings, rule, rule.check, ins)
        previous.append(ins)
    for ctx in contexts:
        ctx.stage = None
    if finish:
        for rule in active:
            collect_findings(findings, rule, rule.finish)
    return findings


def collect_findings(out: list[Finding], rule: Rule, method, *args) -> None:
    """Call a rule's ``check``/``finish`` and keep what it reports.  A rule that raises must not
    take the linter (or the language server) down, nor pass for a clean file: its failure is an
    ``internal-error`` finding (once per rule and file) and the other rules go on."""
    try:
        produced: Iterable[Finding] | None = method(*args)
        if produced:
            out.extend(produced)
    except StageRuleReadsFiles:
        raise  # not a problem of the file being checked: a rule declared with the wrong scope
    except Exception as err:
        from dockerls.rules.run.dls000_internal_error import InternalError

        log.debug("rule %s failed on %s", rule.code, rule.ctx.path or "<text>", exc_info=True)
        finding = InternalError.of(getattr(rule.ctx, "path", None), err, rule.code)
        if not any(f.code == finding.code and f.message == finding.message for f in out):
            out.append(finding)


def configure_findings(findings: list[Finding], config: Config, active: Sequence[Rule | type[Rule]],
                       suppressed: Callable[[Finding, tuple[str, ...]], bool]) -> list[Finding]:
    """Drop suppressed findings, apply the configured severities, sort (any kind of file).
    ``active``: the rules that ran (classes or instances)."""
    names_of = {r.code: r.all_names() for r in active}
    overrides: dict[str, Severity | None] = {}
    kept: list[Finding] = []
    for f in findings:
        code = f.code
        names = names_of.get(code) or (code,)
        if suppressed(f, names):
            continue
        if code not in overrides:
            overrides[code] = next((config.severity[n.lower()] for n in names if config.severity.get(n.lower())), None)
        override = overrides[code]
        if override is not None and f.severity != override:
            # A copy: the language server's incremental lint keeps findings from one lint to the next.
            f = dataclasses.replace(f, severity=override)
        kept.append(f)
    kept.sort(key=Finding.sort_key)
    return kept


def _anchor_line(df: Dockerfile, f: Finding) -> int:
    """The first line of the instruction a finding is in (pragmas bind to it), else its own line."""
    ins = df.instruction_at_line(f.range.start.line)
    return ins.range.start.line if ins else f.range.start.line


def _postprocess(df: Dockerfile, config: Config, active: list[type[Rule]], findings: list[Finding]) -> list[Finding]:
    """Dockerfile specifics (pragmas bind to instructions, superseded BuildKit checks,
    ``# check=error=true``), then the shared configuration step."""
    sup = suppression.collect(df, config.build_arg("BUILDKIT_DOCKERFILE_CHECK"), pragmas=not config.disable_ignore_pragma)
    rule_of = {r.code: r for r in active}
    if sup.check_error:  # copies, not changed in place: the incremental lint keeps findings across lints
        findings = [dataclasses.replace(f, severity=Severity.ERROR)
                    if f.severity != Severity.ERROR and (rule := rule_of.get(f.code)) and rule.buildkit_check else f
                    for f in findings]
    # A finding's anchor line is worked out only where it matters (the language server does this
    # for every finding on every keystroke): for the findings that supersede others' and of the
    # rules they supersede, and for all when the file has suppressions.
    superseding = {code for r in active for code in r.superseded_by}
    reported = {(f.code, _anchor_line(df, f)) for f in findings if f.code in superseding}
    none = sup.suppresses_nothing()

    def suppressed(f: Finding, names: tuple[str, ...]) -> bool:
        rule = rule_of.get(f.code)
        if rule is not None and rule.superseded_by:
            line = _anchor_line(df, f)
            if any((code, line) in reported for code in rule.superseded_by):
                return True
        elif none:
            return False
        else:
            line = _anchor_line(df, f)
        return False if none else sup.suppresses(names, line, bool(rule and rule.buildkit_check))

    return configure_findings(findings, config, active, suppressed)
