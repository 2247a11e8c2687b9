"""Checking one file: parse, lint, fix (what :func:`dockerls.check.run` does for each file), and the
Dockerfiles that compose files build, checked with them."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dockerls.text import small_number
from dockerls import kinds
from dockerls.config import Config
from dockerls.finding import Finding, Severity
from dockerls.lint.fixes import FixResult, fix_text
from dockerls.lint.workspace_fs import PLAIN_FS, WorkspaceFS
from dockerls.parse.dockerfile import parse_dockerfile
from dockerls.text import LineIndex

if TYPE_CHECKING:
    from dockerls.discover import Found


@dataclass
class FileResult:
    path: str  # as given / discovered ("-" or the --stdin-filename for stdin)
    kind: str
    text: str
    lines: LineIndex
    findings: list[Finding] = field(default_factory=list)
    fixed: FixResult | None = None


def lint_text(data: bytes | str, kind: str, config: Config, path: str | None,
              fs: WorkspaceFS = PLAIN_FS) -> tuple[str, LineIndex, list[Finding]]:
    """Parse and lint one file's content (``kind``: the name of a :mod:`dockerls.kinds` kind);
    returns the decoded text, its line index and findings.  ``fs``: how the checks look at the
    files around it (the cache passes a recording one)."""
    return kinds.named(kind).lint_text(data, config, path, fs)


def check_file(path: str, kind: str, data: bytes, config: Config, *, fix: bool = False,
               unsafe_fixes: bool = False, fs: WorkspaceFS = PLAIN_FS) -> FileResult:
    text, lines, findings = lint_text(data, kind, config, path, fs)
    result = FileResult(path, kind, text, lines, findings)
    if fix and findings and any(f.fix for f in findings):
        fixed = fix_text(text, lambda t: lint_text(t, kind, config, path, fs)[2], unsafe=unsafe_fixes)
        if fixed.changed:
            result.fixed = fixed
            result.findings = fixed.remaining
            result.text = fixed.text
            result.lines = LineIndex(fixed.text)
    # External tools once, on the final text: a ShellCheck process per fix round costs too much.
    external = kinds.named(kind).external_findings(result.text, config, path)
    if external:
        result.findings = sorted([*result.findings, *external], key=Finding.sort_key)
    return result


# -- compose files and the Dockerfiles their services build ------------------------------------------

@dataclass(frozen=True)
class BuiltBy:
    """A compose service that builds a Dockerfile (``target`` None: the last stage)."""

    service: str
    target: str | None
    compose_file: str
    args: tuple[tuple[str, str], ...] = ()  # the service's ``build.args`` (a key without value: left out)


def built_dockerfiles(path: str, data: bytes, fs: WorkspaceFS = PLAIN_FS) -> dict[str, list[BuiltBy]]:
    """The Dockerfiles that the services of the compose file at ``path`` build, by real path
    (those ``fs`` may read: inside its root)."""
    from dockerls.parse.compose import load_project
    from dockerls.parse.compose.values import entries, text_of
    from dockerls.parse.compose.yaml_tree import Mapping

    project = load_project(data, path, validate=False, fs=fs)
    out: dict[str, list[BuiltBy]] = {}
    for name, service in project.services.items():
        dockerfile = project.dockerfile_of(service)
        if dockerfile is None or not fs.inside(dockerfile) or not dockerfile.is_file():
            continue
        build = service.get("build")
        target = text_of(build.get("target")) if type(build) is Mapping else None
        args = tuple((e.name, e.value) for e in entries(build.get("args"))
                     if e.value is not None) if type(build) is Mapping else ()
        out.setdefault(os.path.realpath(dockerfile), []).append(BuiltBy(name, target, path, args))
    return out


def add_built_dockerfiles(files: list[Found], read) -> tuple[list[Found], dict[str, list[BuiltBy]]]:
    """``files`` plus the Dockerfiles their compose files build (``dockerls check compose.yaml``
    checks those too; within the compose file's root), and for each such Dockerfile the services
    that build it."""
    from dockerls.discover import DOCKERFILE, Found

    builders: dict[str, list[BuiltBy]] = {}
    roots: dict[str, str | None] = {}
    for file in files:
        if file.kind == "compose" and file.path != "-" and not file.outside:
            try:
                built = built_dockerfiles(file.path, read(file.path), WorkspaceFS(root=file.root))
            except OSError:
                continue  # unreadable: the compose file's own check says so
            for real, users in built.items():
                builders.setdefault(real, []).extend(users)
                roots.setdefault(real, file.root)
    present = {os.path.realpath(f.path) for f in files if f.path != "-"}
    extra = [Found(os.path.relpath(real) if not os.path.isabs(files[0].path) else real, DOCKERFILE, roots[real])
             for real in sorted(builders) if real not in present]
    return files + extra, builders
def note_services(result: FileResult, users: list[BuiltBy]) -> None:
    """Say so in a finding of a Dockerfile that compose services build when the finding's stage
    matters to only one of them, or to none (a stage no service's target needs).  A finding in
    a stage no service builds is info at most: the compose project never runs that code."""
    df = parse_dockerfile(result.text, result.path)
    if not df.stages:
        return
    needed = {u.service: _stages_needed(df, u.target) for u in users}
    for f in result.findings:
        ins = df.instruction_at_line(f.range.start.line)
        if ins is None or ins.stage_index < 0:
            continue
        who = [name for name, stages in needed.items() if ins.stage_index in stages]
        if not who:
            f.message += " (no compose service builds this stage)"
            f.severity = min(f.severity, Severity.INFO)
        elif len(who) == 1 and len(needed) > 1:
            f.message += f" (only matters for service {who[0]})"


def _stages_needed(df, target: str | None) -> set[int]:
    """The stages a build of ``target`` runs: the target, its FROM parents, what it copies from."""
    start = df.stage_by_name(target) if target else df.stages[-1]
    if start is None:
        return set()
    needed: set[int] = set()
    todo = [start.index]
    while todo:
        index = todo.pop()
        if index in needed:
            continue
        needed.add(index)
        stage = df.stages[index]
        refs = [stage.from_instruction.image.raw] if stage.from_instruction.image else []
        for ins in stage.instructions:
            flag = ins.flag("from") if ins.keyword in ("COPY", "ADD") else None
            if flag is not None and flag.value:
                refs.append(flag.value)
        for ref in refs:
            number = small_number(ref)
            parent = df.stage_by_name(ref) or (df.stages[number] if number is not None and number < len(df.stages) else None)
            if parent is not None and parent.index < index:
                todo.append(parent.index)
    return needed
