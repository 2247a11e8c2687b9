"""What a Compose rule sees, and the base class of Compose rules.

The runner (:mod:`dockerls.lint.compose_runner`) makes one :class:`ComposeContext` per check, calls
:meth:`ComposeRule.check` once per effective service (files merged, ``extends`` applied), then
:meth:`ComposeRule.finish` once.  Rules report at nodes; a node knows its file, so a finding lands
in the file where the offending text is written.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from dockerls.config import Config
from dockerls.finding import Finding, Fix, Related
from dockerls.lint.workspace_fs import PLAIN_FS, WorkspaceFS
from dockerls.parse.compose.model import ComposeProject, Service
from dockerls.parse.compose.project import Reader, read_file
from dockerls.parse.compose.references import Reference, service_references
from dockerls.parse.compose.yaml_tree import Node, YamlDocument
from dockerls.rules.base import Rule


@dataclass
class ComposeContext:
    project: ComposeProject
    config: Config
    path: str | None = None
    read: Reader = read_file
    fs: WorkspaceFS = PLAIN_FS  # how rules look at files (the build context, env_file...)
    _dockerfiles: dict[Path, object] = field(default_factory=dict, repr=False)
    _references: dict[int, list[Reference]] = field(default_factory=dict, repr=False)
    _suggestions: dict[str, Suggestions] = field(default_factory=dict, repr=False)

    def suggest(self, kind: str, word: str) -> str:
        """A "did you mean" hint among the project's services or resources of a kind."""
        if kind not in self._suggestions:
            names = self.project.services if kind == "services" else self.project.resources[kind]
            self._suggestions[kind] = Suggestions(names)
        return self._suggestions[kind].hint(word)

    def references(self, service: Service) -> list[Reference]:
        """The names a service refers to (computed once per check)."""
        refs = self._references.get(id(service.node))
        if refs is None:
            refs = self._references[id(service.node)] = list(service_references(service.node))
        return refs

    def base_dir(self, node: Node) -> Path | None:
        return self.project.base_dir(node)

    def dockerfile(self, path: Path):
        """The parsed Dockerfile at ``path`` (cached), or None when it cannot be read."""
        if path not in self._dockerfiles:
            from dockerls.parse.dockerfile import parse_dockerfile

            data = self.read(path)
            self._dockerfiles[path] = parse_dockerfile(data, str(path)) if data is not None else None
        return self._dockerfiles[path]


class Suggestions:
    """Close matches among many names: only names of a similar length are compared, so a project
    with thousands of services stays fast."""

    def __init__(self, names: Iterable[str]):
        self.by_length: dict[int, list[str]] = {}
        for name in names:
            self.by_length.setdefault(len(name), []).append(name)

    def hint(self, word: str) -> str:
        """``": did you mean `x`?"`` for a close name, else ``""``."""
        spread = max(2, len(word) // 3)
        near = [n for size in range(len(word) - spread, len(word) + spread + 1) for n in self.by_length.get(size, ())]
        close = difflib.get_close_matches(word, near[:2000], n=1)
        return f": did you mean `{close[0]}`?" if close else ""


def did_you_mean(word: str, names: Iterable[str]) -> str:
    return Suggestions(names).hint(word)


class ComposeRule(Rule):
    kind = "compose"
    instructions = frozenset()

    ctx: ComposeContext  # type: ignore[assignment]  # each kind's rules see their kind's context

    def check(self, service: Service) -> Iterable[Finding] | None:  # type: ignore[override]
        return None

    @property
    def project(self) -> ComposeProject:
        return self.ctx.project

    def report(self, node: Node, message: str, fix: Fix | None = None,
               related: Iterable[tuple[Node, str]] = ()) -> Finding:
        return self.report_span(node.doc, node.start, node.end, message, fix, related)

    def report_span(self, doc: YamlDocument, start: int, end: int, message: str, fix: Fix | None = None,
                    related: Iterable[tuple[Node, str]] = ()) -> Finding:
        return Finding(
            code=self.code, name=self.name, severity=self.severity, message=message,
            range=doc.lines.range(start, end), file=doc.path, fix=fix,
            related=[Related(n.range, m) for n, m in related if n.doc is doc],
            tags=self.tags, source_file=self.ctx.path if doc.path != self.ctx.path else None,
        )


class ProblemRule(ComposeRule):
    """Reports the loading problems (YAML, interpolation, schema...) whose code is this rule's code."""

    def finish(self):
        for p in self.project.problems:
            if p.code == self.code:
                yield Finding(code=self.code, name=self.name, severity=self.severity, message=p.message,
                              range=p.range, file=p.file, tags=self.tags,
                              source_file=self.ctx.path if p.file != self.ctx.path else None)
