"""The Compose project as the rules and language services see it.

A :class:`ComposeProject` holds every file that was read (the checked file, its base or override,
included and extended files), the merged top level, the effective services (files merged and
``extends`` applied) and the declared volumes, networks, secrets and configs.  Every node keeps its
document, so anything found is reported in the file where it is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dockerls.parse.compose.envfile import Environment
from dockerls.parse.compose.interpolate import VariableUse
from dockerls.parse.compose.problems import Problem
from dockerls.parse.compose.yaml_tree import Mapping, Node, Scalar, YamlDocument

RESOURCE_KINDS = ("volumes", "networks", "secrets", "configs")


@dataclass(slots=True)
class VariableRef:
    """A ``${VAR}`` in a value, at its place in the document."""

    use: VariableUse
    node: Scalar
    start: int
    end: int

    @property
    def name(self) -> str:
        return self.use.name


@dataclass(eq=False)
class ComposeFile:
    doc: YamlDocument
    role: str  # "main", "base", "override", "include", "extends"
    env: Environment
    base_dir: Path | None  # where relative paths written in this file point
    variables: list[VariableRef] = field(default_factory=list)

    @property
    def path(self) -> str | None:
        return self.doc.path

    @property
    def root(self) -> Node | None:
        return self.doc.root


@dataclass(eq=False)
class Service:
    name: str
    key: Node  # the service's name where it is (first) defined
    node: Mapping  # the effective definition
    file: ComposeFile

    def get(self, key: str) -> Node | None:
        return self.node.get(key)

    def __contains__(self, key: str) -> bool:
        return key in self.node


@dataclass(eq=False)
class Resource:
    """A top-level volume, network, secret or config."""

    kind: str  # one of RESOURCE_KINDS
    name: str
    key: Node
    node: Node | None  # None or an empty scalar for ``data:``
    file: ComposeFile

    @property
    def external(self) -> bool:
        ext = self.node.get("external") if type(self.node) is Mapping else None
        return type(ext) is Scalar and ext.value is True or type(ext) is Mapping


@dataclass(eq=False)
class ComposeProject:
    main: ComposeFile  # the file that was asked for
    files: list[ComposeFile]
    root: Mapping | None  # the -f files merged
    services: dict[str, Service] = field(default_factory=dict)
    resources: dict[str, dict[str, Resource]] = field(default_factory=lambda: {k: {} for k in RESOURCE_KINDS})
    problems: list[Problem] = field(default_factory=list)
    project_dir: Path | None = None
    _by_doc: dict[int, ComposeFile] = field(default_factory=dict, repr=False)

    def add_file(self, file: ComposeFile) -> None:
        self.files.append(file)
        self._by_doc[id(file.doc)] = file

    def file_of(self, node: Node) -> ComposeFile | None:
        return self._by_doc.get(id(node.doc))

    def base_dir(self, node: Node) -> Path | None:
        """The folder a relative path in ``node`` is relative to."""
        file = self.file_of(node)
        return file.base_dir if file else self.project_dir

    @property
    def variables(self) -> list[VariableRef]:
        return [v for f in self.files for v in f.variables]

    def resource(self, kind: str, name: str) -> Resource | None:
        return self.resources[kind].get(name)

    def dockerfile_of(self, service: Service) -> Path | None:
        """The Dockerfile a service builds from; None without ``build``, for an inline Dockerfile or a
        remote (URL or git) context."""
        from dockerls.parse.compose.values import text_of

        build = service.get("build")
        if build is None:
            return None
        mapping = build if isinstance(build, Mapping) else None
        context = (text_of(mapping.get("context")) or ".") if mapping is not None else text_of(build)
        if context is None or is_remote_context(context) or (mapping is not None and mapping.get("dockerfile_inline") is not None):
            return None
        base = self.base_dir(build)
        if base is None:
            return None
        dockerfile = text_of(mapping.get("dockerfile")) if mapping is not None else None
        return (base / context) / (dockerfile or "Dockerfile")


def is_remote_context(context: str) -> bool:
    return "://" in context or context.startswith(("git@", "github.com/"))
