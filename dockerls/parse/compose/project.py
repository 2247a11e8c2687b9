"""Loading a Compose project from the file being checked: the other files of the project
(:mod:`dockerls.parse.compose.selection`), ``.env`` or ``--env-file``, the active profiles,
interpolation, schema validation, ``include`` and ``extends``.

``include`` follows Compose 5 (compose-go 2.10 and later): a resource the including project
defines too is merged over the included one (the including definition wins), a later include
merges under the earlier ones, and a file included twice is read once.  Compose 2 refused such
overrides ("conflicts with imported resource"); DC012 points them out as a style finding.

Only files the project names are read (the override beside a standard file name, ``.env``, the
targets of ``include`` and ``extends``); nothing is executed.  With a root on ``fs`` (``dockerls
check`` sets the checked folder) an ``include``, ``extends`` file or ``env_file`` outside it is not
read, and a problem says so: a repository must not make dockerls read ``/etc/passwd`` or
``../../.aws/credentials``.  Reading goes through a ``read``
function so an editor can supply unsaved buffers.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable, Mapping as TMapping

from dockerls.lint.workspace_fs import PLAIN_FS, WorkspaceFS
from dockerls.parse.compose import problems as P
from dockerls.parse.compose.envfile import Environment, parse_env_file
from dockerls.parse.compose.interpolate import interpolate
from dockerls.parse.compose.merge import merge
from dockerls.parse.compose.model import RESOURCE_KINDS, ComposeFile, ComposeProject, Resource, Service, VariableRef
from dockerls.parse.compose.problems import Problem
from dockerls.parse.compose.selection import STANDARD_NAMES, project_files, split_profiles  # noqa: F401
from dockerls.parse.compose.values import names, text_of
from dockerls.parse.compose.yaml_tree import Mapping, Node, Scalar, Sequence, YamlDocument, parse_yaml

Reader = Callable[[Path], "bytes | None"]

MAX_REFERENCED_BYTES = 16 << 20
MAX_INCLUDE_DEPTH = 8


def read_file(path: Path, fs: WorkspaceFS = PLAIN_FS) -> bytes | None:
    """The default reader: a regular file's bytes, or None (missing, unreadable, too large)."""
    try:
        return fs.read_bytes(path, limit=MAX_REFERENCED_BYTES)
    except OSError:
        return None


def load_project(source: bytes | str, path: str | None = None, *, environ: TMapping[str, str] | None = None,
                 read: Reader | None = None, siblings: bool = True, validate: bool = True,
                 files: list[str] | None = None, env_files: list[str] | None = None,
                 profiles: list[str] | None = None, fs: WorkspaceFS = PLAIN_FS) -> ComposeProject:
    """The project the file at ``path`` (content ``source``) belongs to.  Never raises.

    ``files`` is an explicit ``-f`` list (in order); the project is that list when ``path`` is in
    it, else the one :func:`~dockerls.parse.compose.selection.project_files` finds when
    ``siblings`` is true.  ``env_files`` replace the project's ``.env`` (``--env-file``);
    ``profiles`` are the active profiles (None: ``COMPOSE_PROFILES`` of the environment or
    ``.env``).  ``fs`` is how files are looked at and read (``read`` overrides the reading, e.g.
    with an editor's unsaved buffers); ``environ`` defaults to ``fs``'s environment;
    ``validate=False`` skips the schema (for language services)."""
    reader: Reader = read if read is not None else (lambda p: read_file(p, fs))
    loader = _Loader(fs.environ if environ is None else environ, reader, validate, fs)
    return loader.load(source, path, siblings, files, env_files, profiles)


class _Loader:
    def __init__(self, environ: TMapping[str, str], read: Reader, validate: bool, fs: WorkspaceFS):
        self.environ = environ
        self.read = read
        self.validate = validate
        self.fs = fs
        self.extends_files: dict[Path, ComposeFile | None] = {}
        self.included: set[str] = set()  # the real paths of the files included so far

    # -- the project -----------------------------------------------------------------------------

    def load(self, source: bytes | str, path: str | None, siblings: bool, files: list[str] | None,
             env_files: list[str] | None = None, profiles: list[str] | None = None) -> ComposeProject:
        main_doc = parse_yaml(source, path)
        here = self.environment(Path(path).parent, None) if path and siblings else None
        if siblings or files:
            paths = project_files(path, self.fs, files, here.dotenv_values if here else None)
        else:
            paths = [Path(path)] if path else []
        project_dir = paths[0].parent if paths else None
        if here is not None and not env_files and project_dir == Path(path or "").parent:
            env = here
        else:
            env = self.environment(project_dir, [Path(e) for e in env_files] if env_files else None)
        main = ComposeFile(main_doc, "main", env, project_dir)
        project = ComposeProject(main, [], None, project_dir=project_dir)
        if profiles is None:
            named = self.environ.get("COMPOSE_PROFILES") or env.dotenv_values.get("COMPOSE_PROFILES")
            profiles = split_profiles(named) if named else None
        if profiles is not None:
            project.profiles = frozenset(profiles)
        docs: list[ComposeFile] = []
        mine = next((i for i, p in enumerate(paths) if path and p == Path(path)), len(paths))
        for index, p in enumerate(paths or [None]):
            if p is None or index == mine:
                file = main
            else:
                if not self.fs.inside(p):
                    continue  # a -f file outside the checked folder: not read
                data = self.read(p)
                if data is None:
                    continue
                role = "base" if index < mine else "override"
                file = ComposeFile(parse_yaml(data, str(p)), role, env, project_dir)
            self.prepare(file, project)
            docs.append(file)
        root: Node | None = None
        for file in docs:
            for r in _roots(file.doc):
                if type(r) is Mapping:
                    root = r if root is None else merge(root, r)
        project.root = root if type(root) is Mapping else None
        if project.root is not None:
            self.build(project, project.root, main, depth=0, chain=(self.fs.real_path(path) if path else "",))
        return project

    def environment(self, folder: Path | None, env_files: list[Path] | None,
                    parent: Environment | None = None) -> Environment:
        dotenv = None
        candidates = env_files if env_files is not None else ([folder / ".env"] if folder else [])
        lookup = lambda name: self.environ.get(name)  # noqa: E731
        for candidate in candidates:
            data = self.read(candidate)
            if data is None:
                continue
            parsed = parse_env_file(data.decode("utf-8", "replace"), str(candidate), lookup)
            if dotenv is None:
                dotenv = parsed
            else:
                dotenv.entries.extend(parsed.entries)
        env = Environment(self.environ, dotenv)
        if parent is not None:  # the including project's own values win over the included one's
            env.dotenv_values = {**env.dotenv_values, **parent.dotenv_values}
        return env

    def prepare(self, file: ComposeFile, project: ComposeProject) -> None:
        """Register a file: empty-file check, interpolation, schema validation."""
        project.add_file(file)
        doc = file.doc
        project.problems.extend(doc.problems)
        if doc.root is None:
            if not doc.problems and not _has_content(doc.text):
                doc.problem(P.EMPTY_FILE, "The file is empty: Compose refuses an empty file", 0, 0)
                project.problems.append(doc.problems[-1])
            return
        for r in _roots(doc):
            _interpolate(file, r, project)
        if self.validate:
            from dockerls.parse.compose.validate import validate_document

            for err in validate_document(doc):
                project.problems.append(Problem(P.SCHEMA, err.message, err.node.range, doc.path))

    def build(self, project: ComposeProject, root: Mapping, origin: ComposeFile, depth: int, chain: tuple) -> None:
        """Fill services and resources from a merged top level, following ``include`` and ``extends``."""
        services = root.get("services")
        if type(services) is Mapping:
            for pair in services.pairs:
                if type(pair.value) is not Mapping:
                    continue
                node = self.extend(project, pair.name, pair.value, services, ())
                file = project.file_of(pair.key) or origin
                project.services.setdefault(pair.name, Service(pair.name, pair.key, node, file))
        for kind in RESOURCE_KINDS:
            section = root.get(kind)
            if type(section) is Mapping:
                for pair in section.pairs:
                    file = project.file_of(pair.key) or origin
                    project.resources[kind].setdefault(pair.name, Resource(kind, pair.name, pair.key, pair.value, file))
        include = root.get("include")
        if type(include) is Sequence:
            for item in include.items:
                self.include(project, item, origin, depth, chain)

    # -- include ---------------------------------------------------------------------------------

    def include(self, project: ComposeProject, item: Node, origin: ComposeFile, depth: int, chain: tuple) -> None:
        includer = project.file_of(item) or origin
        base = includer.base_dir
        if type(item) is Mapping:
            paths = [text for text, _ in names(item.get("path"))]
            folder_text = text_of(item.get("project_directory"))
            env_files = [text for text, _ in names(item.get("env_file"))]
        else:
            paths, folder_text, env_files = [t for t, _ in names(item)], None, []
        if base is None or not paths:
            return
        files = [_join(base, p) for p in paths]
        folder = _join(base, folder_text) if folder_text else files[0].parent
        key = self.fs.real_path(files[0])
        if key in chain or depth >= MAX_INCLUDE_DEPTH:
            self.problem(project, item, f"`include` of `{paths[0]}` loops back to a file that includes it"
                         if key in chain else f"`include` nests deeper than {MAX_INCLUDE_DEPTH} levels")
            return
        if key in self.included:
            return  # the same file included twice (or through two paths): Compose reads it once
        self.included.add(key)
        for e in env_files:
            if not self.fs.inside(_join(base, e)):
                self.problem(project, item, f"The env_file `{e}` is outside the checked folder: not read")
        env = self.environment(folder, [_join(base, e) for e in env_files] or None, includer.env)
        roots: list[Mapping] = []
        for p, written in zip(files, paths):
            if not self.fs.inside(p):
                self.problem(project, item, f"The included file `{written}` is outside the checked folder: not read")
                continue
            data = self.read(p)
            if data is None:
                self.problem(project, item, f"The included file `{written}` does not exist or cannot be read")
                continue
            file = ComposeFile(parse_yaml(data, str(p)), "include", env, folder)
            self.prepare(file, project)
            roots.extend(r for r in _roots(file.doc) if type(r) is Mapping)
        if not roots:
            return
        merged_node: Node | None = roots[0]
        for r in roots[1:]:
            merged_node = merge(merged_node, r)
        if type(merged_node) is not Mapping:  # mappings merge into a mapping
            return
        merged = merged_node
        before = {name: dict(section) for name, section in project.resources.items()}
        known = dict(project.services)
        sub = ComposeProject(project.main, [], merged, project_dir=folder)
        sub._by_doc = project._by_doc
        self.build(sub, merged, project.file_of(merged) or origin, depth + 1, chain + (key,))
        project.problems.extend(p for p in sub.problems if p not in project.problems)
        # compose-go 2.10+: what the project defines already is merged over the imported definition
        for name, service in sub.services.items():
            if name not in known:
                project.services[name] = service
                continue
            mine = known[name]
            combined = merge(service.node, mine.node, ("services", name))
            if type(combined) is Mapping:
                mine.node = combined
            self.overridden(project, item, "service", name, mine.key, written=paths[0])
        for kind, section in sub.resources.items():
            for name, resource in section.items():
                if name not in before[kind]:
                    project.resources[kind][name] = resource
                    continue
                existing = before[kind][name]
                if type(existing.node) is Mapping and type(resource.node) is Mapping:
                    combined = merge(resource.node, existing.node, (kind, name))
                    existing.node = combined if combined is not None else existing.node
                self.overridden(project, item, kind[:-1], name, existing.key, written=paths[0])

    def overridden(self, project: ComposeProject, item: Node, what: str, name: str, existing: Node,
                   written: str) -> None:
        line = existing.range.start.line + 1
        where = f"{Path(existing.doc.path).name}:{line}" if existing.doc.path else f"line {line}"
        project.problems.append(Problem(
            P.IMPORT_CONFLICT, f"The {what} `{name}` that `{written}` brings in is also defined ({where}): Compose 5 "
            "merges them, that definition winning; Compose 2 refuses the project (\"conflicts with imported "
            "resource\")", item.range, item.doc.path))

    # -- extends ---------------------------------------------------------------------------------

    def extend(self, project: ComposeProject, name: str, node: Mapping, services: Mapping, seen: tuple) -> Mapping:
        ext = node.get("extends")
        if ext is None:
            return node
        if type(ext) is Mapping:
            target = text_of(ext.get("service"))
            file_node = ext.get("file")
            file_text = text_of(file_node)
        else:
            target, file_node, file_text = text_of(ext), None, None
        if not target:
            return node
        here = project.file_of(node)
        identity = (node.doc.path, name)
        if identity in seen or len(seen) > 32:
            chain = " → ".join(n for _, n in seen + (identity,))
            self.problem(project, ext, f"`extends` loops: {chain}")
            return node
        base_services: Node | None = services
        if file_text:
            folder = here.base_dir if here else project.project_dir
            if folder is None:
                return node
            if not self.fs.inside(_join(folder, file_text)):
                self.problem(project, file_node or ext, f"The file `{file_text}` that `extends` names is outside the checked "
                             "folder: not read")
                return node
            other = self.extends_file(project, _join(folder, file_text), here)
            if other is None:
                self.problem(project, file_node or ext, f"The file `{file_text}` that `extends` names does not exist or "
                             "cannot be read")
                return node
            base_services = other.root.get("services") if type(other.root) is Mapping else None
        base = base_services.get(target) if type(base_services) is Mapping else None
        if type(base) is not Mapping or type(base_services) is not Mapping:  # (the second follows from the first)
            where = f" in `{file_text}`" if file_text else ""
            named = ext.get("service") if file_text is not None and type(ext) is Mapping else None
            self.problem(project, named or ext,
                         f"`extends` names the service `{target}`, which is not defined{where}")
            return node
        resolved = self.extend(project, target, base, base_services, seen + (identity,))
        merged = merge(resolved, node, ("services", name))
        return merged if type(merged) is Mapping else node

    def extends_file(self, project: ComposeProject, path: Path, here: ComposeFile | None) -> ComposeFile | None:
        key = Path(self.fs.real_path(path))
        if key in self.extends_files:
            return self.extends_files[key]
        for known in project.files:
            if known.path and Path(self.fs.real_path(known.path)) == key:
                self.extends_files[key] = known
                return known
        data = self.read(path)
        file = None
        if data is not None:
            env = here.env if here else self.environment(None, None)
            file = ComposeFile(parse_yaml(data, str(path)), "extends", env, path.parent)
            self.prepare(file, project)
        self.extends_files[key] = file
        return file

    def problem(self, project: ComposeProject, node: Node, message: str) -> None:
        project.problems.append(Problem(P.BROKEN_REFERENCE, message, node.range, node.doc.path))


def _join(base: Path, written: str) -> Path:
    return Path(os.path.expanduser(written)) if written.startswith("~") else base / written


def _roots(doc: YamlDocument) -> list[Node]:
    return [r for r in [doc.root, *doc.extra_roots] if r is not None]


def _has_content(text: str) -> bool:
    return any(line.strip() and not line.lstrip().startswith("#") and line.strip() not in ("---", "...")
               for line in text.splitlines())


def _interpolate(file: ComposeFile, root: Node, project: ComposeProject) -> None:
    """Substitute variables in every string value (not keys) of a document, once per node."""
    doc = file.doc
    lookup = file.env.lookup
    seen: set[int] = set()
    todo: list[Any] = [root]  # dispatched on type(node), which mypy does not narrow
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        t = type(node)
        if t is Mapping:
            todo.extend(pair.value for pair in node.pairs)
        elif t is Sequence:
            todo.extend(node.items)
        elif t is Scalar and type(node.value) is str and "$" in node.value:
            result = interpolate(node.value, lookup)
            if not result.uses and not result.errors and "$$" not in node.value:
                continue
            node.value = result.value
            node.interpolated = bool(result.uses)
            for use in result.uses:
                start, end = _source_span(node, use.start, use.end)
                file.variables.append(VariableRef(use, node, start, end))
            for error in result.errors:
                start, end = _source_span(node, error.start, error.end)
                code = (P.REQUIRED_VARIABLE if error.required else P.NESTING_TOO_DEEP if error.too_deep
                        else P.TOO_LARGE if error.too_long else P.INVALID_INTERPOLATION)
                doc.problem(code, error.message, start, end)
                project.problems.append(doc.problems[-1])


def _source_span(node: Scalar, start: int, end: int) -> tuple[int, int]:
    """Document offsets of ``node.text[start:end]``: exact when the scalar is written as it reads,
    else (a block scalar's indentation, a quoted scalar's escapes) the same occurrence of that text
    in the scalar's source (the third ``${A}`` of the value is the third of the source), else the
    first, else the whole scalar."""
    text = node.doc.text
    begin = node.content_start()
    if text[begin : begin + len(node.text)] == node.text:
        return begin + start, begin + end
    piece = node.text[start:end]
    if not piece:
        return node.start, node.end
    first = at = text.find(piece, node.start, node.end)
    for _ in range(node.text.count(piece, 0, start)):
        if at < 0:
            break
        at = text.find(piece, at + len(piece), node.end)
    at = at if at >= 0 else first
    return (at, at + len(piece)) if at >= 0 else (node.start, node.end)
