"""Runs the Compose rules over a project and applies configuration and suppressions.

Suppression in Compose files (YAML comments on lines of their own):

* ``# dockerls ignore=DC101[,DC107]`` on the line(s) right above a key (or a list item) silences
  those rules for that key and everything under it;
* ``# dockerls global ignore=...`` anywhere: for the whole file.

The project is the one Compose would load with the checked file (its base or overlay files,
``--compose-file``/``COMPOSE_FILE``, a devcontainer.json's ``dockerComposeFile``: see
:mod:`dockerls.parse.compose.selection`), and the rules see it merged.  Findings are returned for
the checked file and for the files it brings in (``include`` and ``extends`` targets), each in the
file and at the line it comes from.  A base or override file read alongside is checked on its own,
so its findings are left to that check.  Fixes are kept only for the checked file's own text.

A YAML anchor merged into several services is one text checked once per service: the same finding
at the anchor is reported once, with the services that use it as related locations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from dockerls.config import DEFAULT, Config
from dockerls.finding import Finding, Related
from dockerls.lint.runner import collect_findings, configure_findings, enabled_rules
from dockerls.lint.suppression import parse_pragma
from dockerls.lint.workspace_fs import PLAIN_FS, WorkspaceFS
from dockerls.parse.compose.model import ComposeProject
from dockerls.parse.compose.project import Reader, load_project, read_file
from dockerls.parse.compose.yaml_tree import Mapping, Sequence as YSequence, YamlDocument
from dockerls.rules.base import Rule
from dockerls.rules.compose._base import ComposeContext
from dockerls.text import LineIndex


@dataclass
class ComposeLintResult:
    text: str
    lines: LineIndex
    findings: list[Finding]
    project: ComposeProject

    @property
    def dockerfiles(self) -> list[tuple[str, str]]:
        """``(Dockerfile path, service name)`` for the services that build one: check those too."""
        return referenced_dockerfiles(self.project)


def lint_compose(data: bytes | str, config: Config = DEFAULT, path: str | None = None, *,
                 environ=None, read: Reader | None = None, files: list[str] | None = None,
                 rules: Sequence[type[Rule]] | None = None, fs: WorkspaceFS = PLAIN_FS) -> ComposeLintResult:
    """Every finding for the Compose file ``path`` (content ``data``), suppressions applied.

    ``files``: an explicit ``-f`` list (see :func:`dockerls.parse.compose.project.load_project`);
    ``fs``: how the project's files are looked at (``read``: reads them instead, e.g. from an
    editor's buffers); ``environ``: the variables for interpolation (default: ``fs``'s)."""
    project = load_project(data, path, environ=environ, read=read, files=files or list(config.compose_files) or None,
                           env_files=list(config.compose_env_files) or None,
                           profiles=list(config.compose_profiles) if config.compose_profiles is not None else None,
                           fs=fs)
    reader: Reader = read if read is not None else (lambda p: read_file(p, fs))
    ctx = ComposeContext(project, config, path, reader, fs=fs)
    active = [cls(ctx) for cls in (rules if rules is not None else enabled_rules(config, "compose"))]
    if any(file.doc.cut_at is not None for file in project.files):
        # Over the value cap (DC005): the tree stops at the cut, and what is declared after it is
        # unknown, so only the loading problems (YAML syntax, schema, DC005...) are reported, not
        # the rules that would call every later network or service "not declared".
        from dockerls.rules.compose._base import ProblemRule

        active = [rule for rule in active if isinstance(rule, ProblemRule)]
    findings: list[Finding] = []
    for service in project.services.values():
        for rule in active:
            collect_findings(findings, rule, rule.check, service)
    for rule in active:
        collect_findings(findings, rule, rule.finish)
    own = {f.path for f in project.files if f.role in ("main", "include", "extends")}
    kept = []
    for f in findings:
        if f.file not in own:
            continue
        if f.file != path:
            f.fix = None
        kept.append(f)
    kept = collapse_shared(kept, project)
    _redact_values(kept, project)
    suppressed = _suppressions(project)
    doc = project.main.doc
    return ComposeLintResult(doc.text, doc.lines, configure_findings(kept, config, active, suppressed), project)


def lint_compose_text(data: bytes | str, config: Config = DEFAULT, path: str | None = None,
                      fs: WorkspaceFS = PLAIN_FS) -> tuple[str, LineIndex, list[Finding]]:
    """The shape :func:`dockerls.check.lint_text` returns."""
    result = lint_compose(data, config, path, fs=fs)
    return result.text, result.lines, result.findings


_QUOTED = re.compile(r"`([^`]+)`")


def collapse_shared(findings: list[Finding], project: ComposeProject) -> list[Finding]:
    """One finding for each group reported at the same place with the same code and the same
    message once service names are left aside: an anchor's text (``<<: *common``) is checked in
    every service it is merged into.  The one kept lists those services as related locations."""
    names = set(project.services)

    def masked(message: str) -> str:
        return _QUOTED.sub(lambda m: "`<service>`" if m.group(1) in names else m.group(0), message)

    first: dict[tuple, Finding] = {}
    repeated: set[int] = set()
    out = []
    for f in findings:
        key = (f.file, f.code, f.range.start_offset, f.range.end_offset, masked(f.message))
        kept = first.setdefault(key, f)
        if kept is f:
            out.append(f)
        else:
            repeated.add(id(kept))
    for f in out:
        if id(f) in repeated:
            f.related.extend(Related(key.range, f"used by the service `{name}`")
                             for name, key in _services_containing(project, f))
    return out


def _services_containing(project: ComposeProject, f: Finding) -> list[tuple[str, Any]]:
    """The services (name, key node) one of whose keys or values, in the finding's file, holds
    its range: the services an anchored node was merged or aliased into."""
    start, end = f.range.start_offset, f.range.end_offset
    out = []
    for name, service in project.services.items():
        if service.key.doc.path != f.file:
            continue
        if any(n.doc.path == f.file and n.start <= start and end <= n.end
               for pair in service.node.pairs for n in (pair.key, pair.value)):
            out.append((name, service.key))
    return out if len(out) > 1 else []


def _redact_values(findings: list[Finding], project: ComposeProject) -> None:
    """Messages name the variables, not the values they took (see :mod:`dockerls.lint.redact`)."""
    from dockerls.lint.redact import redact

    pairs: list[tuple[str, str]] = []
    spans: list[tuple[int, int]] = []
    for file in project.files:
        for ref in file.variables:
            node = ref.node
            if isinstance(node.value, str) and node.value != node.text:
                pairs.append((node.value, node.text))  # the whole value: as written
            if ref.use.value:
                pairs.append((ref.use.value, f"${{{ref.name}}}"))
            if file is project.main:
                spans.append((node.start, node.end))
    if pairs or spans:
        redact(findings, pairs, spans)


def referenced_dockerfiles(project: ComposeProject, fs: WorkspaceFS = PLAIN_FS) -> list[tuple[str, str]]:
    """``(Dockerfile path, service name)`` for each service that builds from a Dockerfile on disk."""
    out: list[tuple[str, str]] = []
    for name, service in project.services.items():
        path = project.dockerfile_of(service)
        if path is not None and fs.is_file(path):
            out.append((str(path), name))
    return out


# -- configuration and suppression ---------------------------------------------------------------

@dataclass
class _FileSuppressions:
    file_wide: set[str] = field(default_factory=set)
    regions: list[tuple[int, int, set[str]]] = field(default_factory=list)  # (start, end, codes)

    def suppresses(self, names: tuple[str, ...], offset: int) -> bool:
        lowered = [n.lower() for n in names]
        if any(n in self.file_wide for n in lowered):
            return True
        return any(start <= offset <= end and any(n in codes for n in lowered) for start, end, codes in self.regions)


def _suppressions(project: ComposeProject) -> Callable[[Finding, tuple[str, ...]], bool]:
    by_file = {f.path: collect_suppressions(f.doc) for f in project.files}

    def suppressed(f: Finding, names: tuple[str, ...]) -> bool:
        sup = by_file.get(f.file)
        return sup is not None and sup.suppresses(names, f.range.start_offset)

    return suppressed


def collect_suppressions(doc: YamlDocument) -> _FileSuppressions:
    out = _FileSuppressions()
    if "dockerls" not in doc.text and "hadolint" not in doc.text:
        return out
    pending: dict[int, set[str]] = {}  # line of the key a pragma block binds to -> codes
    lines = doc.lines
    codes: set[str] = set()
    for number in range(lines.line_count):
        stripped = lines.line_text(number).strip()
        if stripped.startswith("#"):
            pragma = parse_pragma(stripped)
            if pragma is not None:
                if pragma.is_global:
                    out.file_wide |= pragma.names
                else:
                    codes |= pragma.names
            continue
        if stripped and codes:
            pending[number] = codes
        codes = set()  # a pragma binds to the line right below its comment block
    if pending and doc.root is not None:
        out.regions = _regions(doc, pending)
    return out


def _regions(doc: YamlDocument, pending: dict[int, set[str]]) -> list[tuple[int, int, set[str]]]:
    """For each pragma, the outermost key or list item that starts on the line below it."""
    best: dict[int, tuple[int, int]] = {}
    position = doc.lines.position
    seen: set[int] = set()
    todo: list[Any] = [doc.root]  # dispatched on type(node), which mypy does not narrow
    while todo:
        node = todo.pop()
        if id(node) in seen or node.doc is not doc:
            continue
        seen.add(id(node))
        spans = []
        if type(node) is Mapping:
            spans = [(p.key.start, max(p.value.end, p.key.end)) for p in node.pairs if p.key.doc is doc and not p.merged]
            todo.extend(p.value for p in node.pairs)
        elif type(node) is YSequence:
            spans = [(item.start, item.end) for item in node.items if item.doc is doc]
            todo.extend(node.items)
        for start, end in spans:
            line = position(start).line
            if line in pending and (line not in best or end - start > best[line][1] - best[line][0]):
                best[line] = (start, end)
    out = []
    for line, codes in pending.items():
        _, end = best.get(line, (0, doc.lines.line_end(line)))
        out.append((doc.lines.line_starts[line], end, codes))
    return out
