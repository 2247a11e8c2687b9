"""Language services for Compose files: hover, completion, definition, references and symbols.

Pure functions of the text (and a position in code points, :class:`dockerls.text.Position`); the
answers are plain dataclasses with :class:`dockerls.text.Range`.  Referenced files (the Dockerfile
of ``build.target``, included or extended files) are read through ``read``, so an editor may pass
its unsaved buffers.

Each service also has a ``*_in`` form over a project already loaded with :func:`project_of` (the
language server loads it once per version of the document).

Completion works while the text does not parse (it usually doesn't mid-typing): where the cursor
is in the YAML is read from indentation.  Definition, references and symbols need text that parses.

Hovering a ``${VAR}`` says where its value comes from, and shows a value only when it is the
project's own: one from the ``.env`` file (or an ``include``'s ``env_file``) that Compose reads, which
is in the repository.  A variable of the editor's environment (the process the language server runs
in: tokens, passwords...) is said to be set, never shown, not even its length; the other hovers show
values interpolated from ``.env`` only, never from the environment.  (devcontainer.json has no hover:
its ``${localEnv:VAR}`` are only named in lint messages, never valued.)
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from typing import Mapping as TMapping

from dockerls.lint.workspace_fs import PLAIN_FS, WorkspaceFS
from dockerls.parse.compose import schema as S
from dockerls.parse.compose.model import RESOURCE_KINDS, ComposeProject
from dockerls.parse.compose.project import Reader, load_project, read_file
from dockerls.parse.compose.references import Reference, service_references
from dockerls.parse.compose.yaml_tree import Mapping, Node, Scalar, Sequence
from dockerls.text import LineIndex, Position, Range

_SECTION_KINDS = {"services": "service", "volumes": "volume", "networks": "network", "secrets": "secret",
                  "configs": "config"}
_RESTART = ("no", "always", "on-failure", "unless-stopped")
_NETWORK_MODES = ("bridge", "host", "none")


@dataclass(frozen=True, slots=True)
class Hover:
    markdown: str
    range: Range


@dataclass(frozen=True, slots=True)
class Completion:
    label: str
    kind: str  # key, value, service, volume, network, secret, config, stage
    detail: str = ""
    documentation: str | None = None  # Markdown
    insert_text: str | None = None
    range: Range | None = None  # the text the completion replaces


@dataclass(frozen=True, slots=True)
class Location:
    path: str | None  # None: the document itself (no path given)
    range: Range


@dataclass(slots=True)
class Symbol:
    name: str
    kind: str  # section, service, volume, network, secret, config
    range: Range  # the whole entry
    selection_range: Range  # its name
    detail: str = ""
    children: list[Symbol] = field(default_factory=list)


# -- where the cursor is -----------------------------------------------------------------------

@dataclass(slots=True)
class _Context:
    path: list  # keys and list indexes (0) from the top of the file
    at_key: bool  # typing a key (else a value)
    prefix: str  # what is typed of the key or value so far
    start: int  # offset where the typed word starts
    indent: int  # column of the keys of the mapping being typed in


@dataclass(slots=True)
class _Line:
    dashes: list[int]  # columns of the ``- `` list markers that start the line
    col: int  # column of what follows them
    key: str | None  # the key of a ``key:`` at ``col``
    opens: bool  # the key's value is on the following lines (nothing after the colon)
    rest: str  # the text at ``col``


_KEY = re.compile(r"""(?P<q>["']?)(?P<key>[^\s#:"'][^:#"']*?|)(?P=q)\s*:(?:\s+|$)(?P<value>.*)$""")


def _shape(line: str) -> _Line:
    rest = line.lstrip(" ")
    col = len(line) - len(rest)
    dashes: list[int] = []
    while rest == "-" or rest.startswith("- "):
        dashes.append(col)
        step = len(rest) - len(rest[1:].lstrip(" "))
        col += step
        rest = rest[step:]
    m = _KEY.match(rest)
    if m is None or not m.group("key"):
        return _Line(dashes, col, None, False, rest)
    value = m.group("value").strip()
    opens = not value or value.startswith(("#", "&", "|", ">", "!"))
    return _Line(dashes, col, m.group("key").strip(), opens, rest)


def _context(text: str, offset: int) -> _Context:
    lines = LineIndex(text)
    pos = lines.position(offset)
    before = text[lines.line_starts[pos.line] : offset]
    here = _shape(before)
    own: list = [0] * len(here.dashes)
    if here.key is not None and ":" in here.rest:
        at_key = False
        prefix = re.split(r"[\[\]{},\s]", here.rest.split(":", 1)[1])[-1]  # the word in a flow list too
        own.append(here.key)
    else:
        at_key = not here.dashes
        prefix = here.rest
    need = here.dashes[0] if here.dashes else here.col
    path: list = []
    for number in range(pos.line - 1, -1, -1):
        if need == 0:
            break
        raw = lines.line_text(number)
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        line = _shape(raw)
        first = line.dashes[0] if line.dashes else line.col
        if first >= need:
            continue
        parents: list = [0] * sum(1 for d in line.dashes if d < need)
        if line.key is not None and line.col < need and line.opens:
            parents.append(line.key)
        elif line.key is not None and line.col == need and line.dashes:
            pass  # a sibling key in the same list item: only the item is a parent
        elif not parents:
            continue
        path[:0] = parents
        need = first
    return _Context(path + own, at_key, prefix, offset - len(prefix), here.col)


def context_path(text: str, position: Position) -> tuple[list, bool]:
    """The YAML path at a position and whether a key (not a value) is being typed there."""
    ctx = _context(text, LineIndex(text).offset(position))
    return ctx.path, ctx.at_key


# -- completion --------------------------------------------------------------------------------

def complete(text: str, position: Position, path: str | None = None, read: Reader = read_file,
             project: Callable[[], ComposeProject | None] | None = None) -> list[Completion]:
    """What fits at ``position``; ``project`` gives the loaded project when it is needed (the
    Dockerfile stages for ``build.target``), by default loaded from ``text``."""
    lines = LineIndex(text)
    offset = lines.offset(position)
    ctx = _context(text, offset)
    replace = lines.range(ctx.start, offset)
    names = _section_names(text)
    out: list[Completion] = []
    tail = [p for p in ctx.path if not isinstance(p, int)]
    where = tuple(tail[2:]) if len(tail) >= 2 and tail[0] == "services" else ()
    in_service = len(tail) >= 2 and tail[0] == "services"

    def add_names(kind: str, insert_suffix: str = "") -> None:
        for name in names.get(kind, []):
            out.append(Completion(name, _SECTION_KINDS[kind], f"{_SECTION_KINDS[kind]} defined in this file",
                                  insert_text=name + insert_suffix if insert_suffix else None, range=replace))

    if in_service and where in (("depends_on",), ("links",), ("volumes_from",), ("extends",), ("extends", "service")):
        if where == ("depends_on",) or not ctx.at_key:
            add_names("services")
            own = tail[1]
            out = [c for c in out if c.label != own]
            return _filter(out, ctx.prefix)
    if in_service and where == ("networks",):
        add_names("networks")
        return _filter(out, ctx.prefix)
    if in_service and where in (("secrets",), ("configs",), ("secrets", "source"), ("configs", "source")) \
            and not ctx.at_key:
        add_names(where[0])
        return _filter(out, ctx.prefix)
    if in_service and where == ("volumes",) and not ctx.at_key and not ctx.prefix.startswith((".", "/", "~")):
        add_names("volumes", ":")
        return _filter(out, ctx.prefix)
    if in_service and where == ("build", "target") and not ctx.at_key:
        loaded = project() if project is not None else project_of(text, path, read)
        for stage in _stages(loaded, path, tail[1], read):
            out.append(Completion(stage, "stage", "stage of the Dockerfile", range=replace))
        return _filter(out, ctx.prefix)
    if in_service and where == ("network_mode",) and not ctx.at_key:
        out.extend(Completion(m, "value", range=replace) for m in _NETWORK_MODES)
        out.extend(Completion(f"service:{n}", "service", range=replace) for n in names.get("services", []))
        return _filter(out, ctx.prefix)
    if in_service and where == ("restart",) and not ctx.at_key:
        return _filter([Completion(v, "value", range=replace) for v in _RESTART], ctx.prefix)
    schemas = S.schemas_at(ctx.path)
    if ctx.at_key:
        present = _sibling_keys(text, lines, position.line, ctx.indent)
        for key in S.known_keys(schemas):
            if key in present:
                continue
            doc = S.description(S.schemas_at(ctx.path + [key]))
            out.append(Completion(key, "key", documentation=doc, insert_text=f"{key}: ", range=replace))
    else:
        for value in S.enum_values(schemas):
            out.append(Completion(str(value), "value", range=replace))
        if S.types_of(schemas) & {"boolean"} and not out:
            out.extend(Completion(v, "value", range=replace) for v in ("true", "false"))
    return _filter(out, ctx.prefix)


def _filter(items: list[Completion], prefix: str) -> list[Completion]:
    prefix = prefix.strip().strip("\"'")
    return [c for c in items if c.label.startswith(prefix)] if prefix else items


def _section_names(text: str) -> dict[str, list[str]]:
    """Names under each top-level section, read from indentation (works on text that does not parse)."""
    out: dict[str, list[str]] = {}
    section = None
    child_indent = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line.startswith((" ", "\t")):
            m = re.match(r"([A-Za-z_][\w-]*)\s*:", line)
            section = m.group(1) if m and m.group(1) in _SECTION_KINDS else None
            child_indent = None
            continue
        if section is None:
            continue
        indent = len(line) - len(line.lstrip(" "))
        if child_indent is None:
            child_indent = indent
        if indent == child_indent:
            shape = _shape(line)
            if shape.key is not None and not shape.dashes and shape.key not in out.setdefault(section, []):
                out[section].append(shape.key)
    return out


def _sibling_keys(text: str, lines: LineIndex, line: int, indent: int) -> set[str]:
    """Keys already written in the mapping being typed in (same indentation, same block)."""
    present: set[str] = set()
    for step in (-1, 1):
        number = line + step
        while 0 <= number < lines.line_count:
            current = lines.line_text(number)
            number += step
            if not current.strip() or current.lstrip().startswith("#"):
                continue
            shape = _shape(current)
            first = shape.dashes[0] if shape.dashes else shape.col
            if first < indent and not (step < 0 and shape.col == indent):
                break
            if shape.col == indent and shape.key is not None:
                present.add(shape.key)
            if shape.dashes and shape.col == indent:
                break  # the first line of the list item the cursor is in, or of the next one
    return present


def _stages(project: ComposeProject | None, path: str | None, service: str, read: Reader) -> list[str]:
    svc = project.services.get(service) if project else None
    dockerfile = project.dockerfile_of(svc) if project is not None and svc is not None else None
    if dockerfile is None:
        if not path:
            return []
        dockerfile = Path(path).parent / "Dockerfile"
    data = read(dockerfile)
    if data is None:
        return []
    from dockerls.parse.dockerfile import parse_dockerfile

    return [s.name for s in parse_dockerfile(data, str(dockerfile)).stages if s.name]


def project_of(text: str, path: str | None = None, read: Reader | None = read_file,
               fs: WorkspaceFS = PLAIN_FS) -> ComposeProject | None:
    """The project as the services see it: this file and what it includes or extends (no sibling
    override files, no environment, no schema), or None when the text does not parse.  ``read``
    None: files are read through ``fs`` (nothing outside its root)."""
    project = load_project(text, path, environ={}, read=read, siblings=False, validate=False, fs=fs)
    return project if project.root is not None else None


# -- hover -------------------------------------------------------------------------------------

def hover(text: str, position: Position, path: str | None = None, read: Reader = read_file) -> Hover | None:
    """The schema's description of the key under the cursor, or what a referenced name is."""
    project = project_of(text, path, read)
    return hover_in(project, project.main.doc.lines.offset(position)) if project is not None else None


def hover_in(project: ComposeProject, offset: int, environ: TMapping[str, str] | None = None) -> Hover | None:
    """The hover at ``offset`` of the project's main file; ``environ``: the environment ``${VAR}``
    would take its value from (only whether a name is set in it is told)."""
    variable = _variable_hover(project, offset, environ or {})
    if variable is not None:
        return variable
    found = _key_path_at(project.main.doc.root, offset)
    if found is not None:
        keys, key_node = found
        schemas = S.schemas_at(keys)
        doc = S.description(schemas)
        if doc:
            return Hover(f"**`{keys[-1]}`**\n\n{doc}", key_node.range)
    ref = _reference_at(project, offset)
    if ref is not None:
        target = _declaration(project, ref.kind, ref.name)
        if target is not None:
            return Hover(_describe(project, ref.kind, ref.name), project.main.doc.lines.range(ref.start, ref.end))
    return None


def _variable_hover(project: ComposeProject, offset: int, environ: TMapping[str, str]) -> Hover | None:
    main = project.main
    ref = next((r for r in main.variables if r.start <= offset <= r.end), None)
    if ref is None:
        return None
    use, name = ref.use, ref.name
    own = main.env.dotenv_values.get(name)
    where = main.env.dotenv.path if main.env.dotenv is not None and main.env.dotenv.path else ".env"
    lines = [f"**`${{{name}}}`**"]
    if name in environ:
        lines.append("Set in the environment (its value is not shown)" +
                     (f"; it wins over the value in `{Path(where).name}`" if own is not None else ""))
    elif own is not None:
        lines.append(f"`{own}` (from `{Path(where).name}`)")
    elif use.operator is not None and use.operator.lstrip(":") in ("-", "?"):
        lines.append("Not set: " + (f"the default `{use.argument}` stands in" if use.operator.endswith("-")
                                    else "Compose stops with the error message given"))
    else:
        lines.append("Not set here: Compose substitutes an empty string (and warns)")
    return Hover("\n\n".join(lines), main.doc.lines.range(ref.start, ref.end))


def _key_path_at(root: Node | None, offset: int) -> tuple[list, Node] | None:
    """The path of the key under ``offset`` (list indexes as 0) and the key node."""
    node, path = root, []  # type: Node | None, list
    while node is not None:
        if type(node) is Mapping:
            nxt = None
            for pair in node.pairs:
                if pair.merged:
                    continue
                if pair.key.start <= offset <= pair.key.end:
                    return path + [pair.name], pair.key
                if pair.value.start <= offset <= pair.value.end and pair.value.doc is node.doc:
                    nxt = pair
            if nxt is None:
                return None
            path.append(nxt.name)
            node = nxt.value
        elif type(node) is Sequence:
            node = next((i for i in node.items if i.start <= offset <= i.end), None)
            path.append(0)
        else:
            return None
    return None


def _describe(project: ComposeProject, kind: str, name: str) -> str:
    if kind == "services":
        svc = project.services.get(name)
        image = svc.get("image") if svc else None
        build = svc.get("build") if svc else None
        detail = []
        if type(image) is Scalar:
            detail.append(f"image `{image.value}`")
        if build is not None:
            detail.append("built from " + (f"`{build.value}`" if type(build) is Scalar else "a Dockerfile"))
        head = f"**service `{name}`**" + (": " + ", ".join(detail) if detail else "")
        block = _source_block(svc.key) if svc else None
        if not block:
            return head
        where = svc.key.doc.path if svc and svc.key.doc is not project.main.doc else None
        if where and project.main.path:
            where = os.path.relpath(where, os.path.dirname(project.main.path))
        return head + (f" (in `{where}`)" if where else "") + f"\n\n```yaml\n{block}\n```"
    return f"**{_SECTION_KINDS[kind]} `{name}`**"


HOVER_BLOCK_LINES = 20


def _source_block(key: Node) -> str | None:
    """The YAML of the entry whose key is ``key`` as written (its source lines, dedented), at most
    :data:`HOVER_BLOCK_LINES` lines; the text is the file's, never a value interpolated into it."""
    doc = key.doc
    root = doc.root
    section = root.get("services") if type(root) is Mapping else None
    pair = next((p for p in section.pairs if p.key is key), None) if type(section) is Mapping else None
    if pair is None:
        return None
    end = pair.value.end if pair.value.doc is doc else key.end
    first = doc.lines.position(key.start).line
    last = doc.lines.position(max(end, key.end)).line
    lines = [doc.lines.line_text(n).rstrip() for n in range(first, last + 1)]
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith("#")):
        lines.pop()
    indent = min((len(line) - len(line.lstrip(" ")) for line in lines if line.strip()), default=0)
    lines = [line[indent:] for line in lines]
    if len(lines) > HOVER_BLOCK_LINES:
        lines = lines[:HOVER_BLOCK_LINES] + ["# …"]
    return "\n".join(lines).replace("```", "` ` `")


# -- definition and references -----------------------------------------------------------------

def _all_references(project: ComposeProject) -> list[Reference]:
    out: list[Reference] = []
    seen: set[int] = set()
    for file in project.files:
        services = file.root.get("services") if type(file.root) is Mapping else None
        if type(services) is not Mapping:
            continue
        for pair in services.pairs:
            if type(pair.value) is Mapping and id(pair.value) not in seen:
                seen.add(id(pair.value))
                out.extend(service_references(pair.value))
    return out


def _reference_at(project: ComposeProject, offset: int) -> Reference | None:
    doc = project.main.doc
    return next((r for r in _all_references(project) if r.node.doc is doc and r.start <= offset <= r.end), None)


def _declaration(project: ComposeProject, kind: str, name: str) -> Node | None:
    if kind == "services":
        svc = project.services.get(name)
        return svc.key if svc else None
    res = project.resources[kind].get(name)
    return res.key if res else None


def _declaration_at(project: ComposeProject, offset: int) -> tuple[str, str] | None:
    root = project.main.doc.root
    if type(root) is not Mapping:
        return None
    for kind in ("services", *RESOURCE_KINDS):
        section = root.get(kind)
        if type(section) is Mapping:
            for pair in section.pairs:
                if pair.key.doc is root.doc and pair.key.start <= offset <= pair.key.end:
                    return kind, pair.name
    return None


def _target_at(project: ComposeProject, offset: int) -> tuple[str, str] | None:
    ref = _reference_at(project, offset)
    return (ref.kind, ref.name) if ref is not None else _declaration_at(project, offset)


def definition(text: str, position: Position, path: str | None = None, read: Reader = read_file) -> list[Location]:
    """Where the service, volume, network, secret or config named under the cursor is defined."""
    project = project_of(text, path, read)
    return definition_in(project, project.main.doc.lines.offset(position)) if project is not None else []


def definition_in(project: ComposeProject, offset: int) -> list[Location]:
    ref = _reference_at(project, offset)
    if ref is None:
        return []
    node = _declaration(project, ref.kind, ref.name)
    return [Location(node.doc.path, node.range)] if node is not None else []


def references(text: str, position: Position, path: str | None = None, include_declaration: bool = True,
               read: Reader = read_file) -> list[Location]:
    """Every place that names the service, volume, network... under the cursor."""
    project = project_of(text, path, read)
    if project is None:
        return []
    return references_in(project, project.main.doc.lines.offset(position), include_declaration)


def references_in(project: ComposeProject, offset: int, include_declaration: bool = True) -> list[Location]:
    target = _target_at(project, offset)
    if target is None:
        return []
    kind, name = target
    out: list[Location] = []
    if include_declaration:
        node = _declaration(project, kind, name)
        if node is not None:
            out.append(Location(node.doc.path, node.range))
    for ref in _all_references(project):
        if ref.kind == kind and ref.name == name:
            out.append(Location(ref.node.doc.path, ref.node.doc.lines.range(ref.start, ref.end)))
    return out


# -- symbols -----------------------------------------------------------------------------------

def document_symbols(text: str, path: str | None = None) -> list[Symbol]:
    """Services, volumes, networks, secrets and configs, each section holding its entries."""
    from dockerls.parse.compose.yaml_tree import parse_yaml

    doc = parse_yaml(text, path)
    root = doc.root
    if type(root) is not Mapping:
        return []
    out: list[Symbol] = []
    for pair in root.pairs:
        kind = _SECTION_KINDS.get(pair.name)
        if kind is None or type(pair.value) is not Mapping or pair.merged:
            continue
        section = Symbol(pair.name, "section", doc.lines.range(pair.key.start, max(pair.value.end, pair.key.end)),
                         pair.key.range)
        for entry in pair.value.pairs:
            if entry.key.doc is not doc:
                continue
            detail = ""
            if type(entry.value) is Mapping:
                image = entry.value.get("image")
                detail = str(image.value) if type(image) is Scalar and image.value is not None else ""
            end = max(entry.value.end, entry.key.end) if entry.value.doc is doc else entry.key.end
            section.children.append(Symbol(entry.name, kind, doc.lines.range(entry.key.start, end),
                                           entry.key.range, detail))
        out.append(section)
    return out
