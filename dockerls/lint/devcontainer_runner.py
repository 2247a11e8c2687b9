"""Checking devcontainer.json: its JSON (with comments), and what "develop in container" would do
with it, from the same pure plan that ``dockerls develop`` builds (:mod:`dockerls.develop`).

So a key that develop does not support, a Dockerfile that does not exist or a malformed mount shows
in the editor and in ``dockerls check`` before anyone starts a container.  Nothing is run and no
engine is asked.
"""

from __future__ import annotations

import os
import re

from dockerls.config import DEFAULT, Config
from dockerls.develop.plan.devcontainer_config import DevcontainerConfig
from dockerls.develop.plan.devcontainer import plan_from_devcontainer
from dockerls.parse.devcontainer.jsonc import JsoncError, parse_jsonc
from dockerls.develop.plan.model import DevelopOptions, PlanError, PlanProblem
from dockerls.finding import Finding
from dockerls.lint.runner import collect_findings, configure_findings, enabled_rules
from dockerls.lint.workspace_fs import PLAIN_FS, WorkspaceFS
from dockerls.parse.dockerfile.decode import decode
from dockerls.rules.devcontainer._base import DevcontainerContext
from dockerls.text import LineIndex


def workspace_of(path: str) -> str:
    """The project folder a devcontainer.json belongs to: the folder holding ``.devcontainer/``
    (also for ``.devcontainer/<name>/devcontainer.json``), else the file's own folder."""
    folder = os.path.dirname(os.path.abspath(path))
    parts = folder.split(os.sep)
    for up in (1, 2):
        if len(parts) > up and parts[-up] == ".devcontainer":
            return os.sep.join(parts[:-up]) or os.sep
    return folder


def analyse(text: str, path: str | None, fs: WorkspaceFS = PLAIN_FS) -> DevcontainerContext:
    """The syntax error, or the plan's error and problems, for devcontainer.json ``text``; the
    plan looks at files (the Dockerfile, the compose file) and the environment through ``fs``."""
    lines = LineIndex(text)
    ctx = DevcontainerContext(text=text, lines=lines, path=path)
    try:
        document = parse_jsonc(text)
    except JsoncError as err:
        ctx.syntax_error = err
        return ctx
    ctx.value, ctx.spans = document.value, document.spans
    if not isinstance(document.value, dict):
        ctx.plan_error = PlanError("devcontainer.json must hold an object", path, lines.range(0, 0))
        return ctx
    file = os.path.abspath(path) if path else os.path.abspath("devcontainer.json")
    try:
        plan = plan_from_devcontainer(workspace_of(file), DevcontainerConfig(file, document),
                                     DevelopOptions(environ=fs.environ, fs=fs))
    except PlanError as err:
        ctx.plan_error = err
        return ctx
    except Exception as err:  # a value of a type the plan did not expect: the file's other checks still run
        ctx.internal_error = err
        return ctx
    ctx.problems = [p for p in plan.problems if _here(p, file)]
    return ctx


def _here(problem: PlanProblem, file: str) -> bool:
    return problem.file is None or os.path.abspath(problem.file) == file


def lint_devcontainer_text(data: bytes | str, config: Config = DEFAULT, path: str | None = None,
                           fs: WorkspaceFS = PLAIN_FS) -> tuple[str, LineIndex, list[Finding]]:
    text = decode(data).text
    ctx = analyse(text, path, fs)
    active = [rule(ctx) for rule in enabled_rules(config, "devcontainer")]
    findings: list[Finding] = []
    for rule in active:
        collect_findings(findings, rule, rule.finish)
    if ctx.internal_error is not None:
        from dockerls.rules.run.dls000_internal_error import InternalError

        findings.append(InternalError.of(path, ctx.internal_error))
    _redact_values(findings, text, fs)
    return text, ctx.lines, configure_findings(findings, config, active, lambda f, names: False)


_LOCAL_ENV = re.compile(r"\$\{(?:localEnv|env):([^{}:]+)(?::[^{}]*)?\}")


def _redact_values(findings: list[Finding], text: str, fs: WorkspaceFS) -> None:
    """Messages name the ``${localEnv:VAR}`` variables, not their values (see :mod:`dockerls.lint.redact`)."""
    names = set(_LOCAL_ENV.findall(text))
    if not names or not findings:
        return
    from dockerls.lint.redact import redact

    redact(findings, [(fs.environ.get(name) or "", f"${{localEnv:{name}}}") for name in sorted(names)])
