from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

from dockerls.finding import UNSAFE, Edit, Fix
from dockerls.lint.workspace_fs import WorkspaceFS
from dockerls.rules.base import WARNING, Rule
from dockerls.rules.dockerfile._packages import cleanup_family, install_family
from dockerls.rules.dockerfile._instructions import sources_and_dest
from dockerls.rules.dockerfile._practices import (
    is_local_path, newline_of, pip_install, tool, whole_context_source, whole_copy_before,
)


class DependencyManifestAfterSource(Rule):
    """A dependency install that only needs the manifest runs after `COPY . .`.

    ## Why
    The build cache keys each `COPY` on the content of the files it copies, and every instruction
    after a changed layer runs again.  Copying the whole build context first means that editing any
    source file (a README, a test, one line of code) invalidates the cache of everything below it,
    including `pip install -r requirements.txt`, `npm ci`, `go mod download`, `bundle install`...
    These are usually the slowest steps of the build, and they only read a few manifest and lock
    files that rarely change.  Copy those first, install, and copy the rest of the source after:
    the install layer is then reused until the dependencies really change.

    Reported for the installs that read only manifests: `pip install -r`, `pipenv install|sync`,
    `poetry install`, `uv sync`, `npm ci|install`, `yarn [install]`, `pnpm install|fetch`,
    `bun install`, `go mod download`, `bundle install`, `composer install`, `cargo fetch`,
    `mvn dependency:go-offline|resolve`, `dotnet restore`, `conda env create -f`.  Not reported
    when the same tool already installed before the `COPY . .` (`poetry install --no-root`, then
    `poetry install` for the project itself is the right pattern), nor for installs that need the
    source (`pip install .`, `npm install ./lib`).

    ## Example
    ```Dockerfile
    FROM python:3.12-slim
    WORKDIR /app
    COPY . .
    RUN pip install --no-cache-dir -r requirements.txt
    ```

    ## Fix
    ```Dockerfile
    FROM python:3.12-slim
    WORKDIR /app
    COPY requirements.txt ./
    RUN pip install --no-cache-dir -r requirements.txt
    COPY . .
    ```
    Some tools also install the project itself and need the source: use `poetry install --no-root`,
    `uv sync --no-install-project`, `composer install --no-scripts --no-autoloader` before the
    copy, and finish the install after it.

    The quick fix inserts a `COPY` of the manifests (with the `--chown`, `--chmod` and `--link` of
    the original `COPY`) and moves the RUN, with the comments right above it, before `COPY . .`.
    When the Dockerfile's folder is known it copies the manifests and lock files that exist there
    (following `-r` includes of requirement files); otherwise the files the command names, or the
    usual names with a wildcard for the optional ones (`COPY package*.json ./`).  It is unsafe:
    an install hook (npm `prepare`/`postinstall`, a local path in a lock file) may read files that
    are no longer there.  It is offered only when the RUN does nothing but install and clean up,
    its working directory is the `COPY`'s, nothing between the two can change how it runs (`ENV`,
    `ARG`, `USER`, `WORKDIR`, another `RUN` or `COPY`...), and the files show no sign of needing
    the source (workspaces, `-e .` in a requirements file, `gemspec` in a Gemfile, local `replace`
    in go.mod, Maven modules).  `cargo fetch` and the tools that also install the project (see
    above) get no fix.
    """

    code = "DF101"
    name = "dependency-manifest-after-source"
    severity = WARNING
    instructions = frozenset({"RUN"})
    fixable = True

    def check(self, ins):
        stage = self.ctx.stage
        if stage is None:
            return None
        copy = whole_copy_before(self.ctx, stage, ins)
        if copy is None:
            return None
        script = self.ctx.shell(ins)
        installs = [(cmd, found) for cmd in script.commands if (found := manifest_install(cmd)) is not None]
        if not installs:
            return None
        done = self._tools_installed_before(stage.instructions, copy)
        installs = [(cmd, found) for cmd, found in installs if found.tool not in done]
        if not installs:
            return None
        fix = self._fix(ins, copy, script, [found for _, found in installs])
        source = whole_context_source(copy)
        copy_text = " ".join([copy.keyword, *(w.raw for w in copy.words)])
        out = []
        for i, (cmd, found) in enumerate(installs):
            names = ", ".join(n.rstrip("*") for n in found.guess) or "the manifests"
            hint = f" ({found.blocked})" if found.blocked else ""
            out.append(self.finding(
                self.ctx.shell_range(ins, cmd.start, cmd.end),
                f"`{found.label}` runs after `{copy_text}` (line {copy.line + 1}): any source change re-runs it. "
                f"Copy only {names} first and install before copying the rest{hint}",
                fix=fix if i == 0 else None,
                related=[(source.range, "the whole build context is copied here")],
            ))
        return out

    def _tools_installed_before(self, stage_instructions, copy) -> set[str]:
        done: set[str] = set()
        for other in stage_instructions:
            if other.index >= copy.index:
                break
            if other.keyword == "RUN":
                for cmd in self.ctx.shell(other).commands:
                    found = manifest_install(cmd)
                    if found is not None:
                        done.add(found.tool)
        return done

    # -- the fix ----------------------------------------------------------------------------

    def _fix(self, ins, copy, script, installs: list[ManifestInstall]) -> Fix | None:
        stage = self.ctx.stage
        if stage is None or any(found.blocked for found in installs):
            return None
        if any(other.keyword not in _MOVABLE_PAST for other in stage.instructions
               if copy.index < other.index < ins.index):
            return None
        if not all(_harmless(cmd) for cmd in script.commands):
            return None
        _, dest = sources_and_dest(copy)
        if dest is None or copy.heredocs or len(copy.words) < 2 or any(ch.isspace() for ch in dest.value):
            return None
        workdir = _workdir(self.ctx.df, stage.index, copy.index)
        image_dest = posixpath.normpath(posixpath.join(workdir, dest.value))
        folder = _Folder(self.ctx.fs, self.ctx.folder) if self.ctx.folder is not None else None
        wanted: list[str] = []  # paths relative to the build context
        for found in installs:
            paths = self._context_paths(found, workdir, image_dest, folder)
            if paths is None:
                return None
            wanted.extend(p for p in paths if p not in wanted)
        copied = _copied_before(stage.instructions, copy)
        wanted = [p for p in wanted if not any(fnmatchcase(p, c) or fnmatchcase(c, p) for c in copied)]
        if any(ch.isspace() or ch in "\"'\\" for p in wanted for ch in p):
            return None
        return Fix(
            title="Copy the dependency manifests and install before copying the source",
            edits=self._edits(ins, copy, dest.value, wanted),
            applicability=UNSAFE,
        )

    def _context_paths(self, found, workdir, image_dest, folder) -> list[str] | None:
        """The manifests to copy, relative to the build context (None: cannot tell)."""

        def to_context(name: str) -> str | None:
            if "$" in name:
                return None
            path = posixpath.normpath(posixpath.join(workdir, name))
            if not path.startswith(image_dest.rstrip("/") + "/"):
                return None
            return path[len(image_dest.rstrip("/")) + 1 :]

        if folder is None:
            paths = [to_context(n) for n in found.guess]
            return [p for p in paths if p is not None] if None not in paths else None
        out: list[str] = []
        for name in found.primary:
            rel = to_context(name)
            if rel is None or not folder.is_file(rel):
                return None
            out.append(rel)
        for name in found.optional:
            rel = to_context(name)
            if rel is not None and folder.exists(rel) and rel not in out:
                out.append(rel)
        if found.inspect is not None and found.inspect(folder, out) is False:
            return None
        return out

    def _edits(self, ins, copy, dest: str, wanted: list[str]) -> list[Edit]:
        df = self.ctx.df
        lines = df.lines
        text = df.text
        comment_lines = {c.range.start.line for c in df.comments if not c.in_continuation}
        copy_line = _first_comment_line(copy.range.start.line, comment_lines)
        run_line = _first_comment_line(ins.range.start.line, comment_lines)
        run_start = lines.line_starts[run_line]
        end_line = ins.range.end.line + 1
        run_end = lines.line_starts[end_line] if end_line < lines.line_count else len(text)
        newline = newline_of(text)
        moved = text[run_start:run_end]
        if not moved.endswith("\n"):
            moved += newline
        copy_text = lines.line_text(copy.range.start.line)
        indent = copy_text[: len(copy_text) - len(copy_text.lstrip(" \t"))]
        keyword = "copy" if copy.keyword_text.islower() else "COPY"
        flags = "".join(f" {f.raw}" for f in copy.flags if f.name.lower() in ("chown", "chmod", "link"))
        groups: dict[str, list[str]] = {}
        for path in wanted:
            folder, _, name = path.rpartition("/")
            groups.setdefault(folder, []).append(path)
        inserted = ""
        base = dest.rstrip("/") or "/"
        for folder, paths in groups.items():
            target = posixpath.join(base, folder) if folder else base
            if not target.endswith("/"):
                target += "/"
            inserted += f"{indent}{keyword}{flags} {' '.join(paths)} {target}{newline}"
        at = lines.line_starts[copy_line]
        return [Edit(at, at, inserted + moved), Edit(run_start, run_end, "")]


# Instructions a RUN may be moved before without changing how it runs.
_MOVABLE_PAST = frozenset({"LABEL", "EXPOSE", "CMD", "ENTRYPOINT", "STOPSIGNAL", "HEALTHCHECK",
                           "MAINTAINER"})
# Commands that may share the moved RUN: they do not read the project's source.
_HARMLESS_PROGRAMS = frozenset({"apt-get", "apt", "apk", "yum", "dnf", "microdnf", "zypper", "echo", "true",
                                ":", "set", "mkdir", "printf"})


def _harmless(cmd) -> bool:
    cmd = cmd.unwrapped()
    if manifest_install(cmd) is not None or cleanup_family(cmd) is not None:
        return True
    if cmd.program in _HARMLESS_PROGRAMS:
        return True
    pip = pip_install(cmd)
    if pip is not None:
        return not pip.local
    family = install_family(cmd)
    return family is not None and not any(is_local_path(w.value) for w in cmd.positional()[1:])


def _first_comment_line(line: int, comment_lines: set[int]) -> int:
    while line - 1 in comment_lines:
        line -= 1
    return line


def _copied_before(stage_instructions, copy) -> list[str]:
    out: list[str] = []
    for other in stage_instructions:
        if other.index >= copy.index:
            break
        if other.keyword in ("COPY", "ADD") and other.flag("from") is None:
            sources, _ = sources_and_dest(other)
            out.extend(posixpath.normpath(w.value) for w in sources)
    return out


_UNKNOWN_WORKDIR = "/\x00workdir"  # the base image's working directory, which we cannot know


def _workdir(df, stage_index: int, before_index: int, depth: int = 0) -> str:
    stage = df.stages[stage_index]
    current = _UNKNOWN_WORKDIR
    image = stage.from_instruction.image
    parent = df.stage_by_name(image.raw) if image is not None else None
    if parent is not None and parent.index < stage_index and depth < len(df.stages):
        current = _workdir(df, parent.index, 1 << 30, depth + 1)
    for other in stage.instructions:
        if other.index >= before_index:
            break
        if other.keyword == "WORKDIR" and other.words:
            current = posixpath.normpath(posixpath.join(current, other.words[0].value))
    return current


# ------------------------------------------------------------------------------------ installs


@dataclass(slots=True)
class ManifestInstall:
    label: str  # for messages: "npm ci"
    tool: str  # one install per tool: "npm", "pip"...
    primary: list[str]  # files the install reads (relative to its directory); must exist to fix
    optional: list[str] = field(default_factory=list)  # copied when they exist
    guess: list[str] = field(default_factory=list)  # what to copy when the folder is unknown
    blocked: str | None = None  # why the install cannot simply move before the source copy
    inspect: object = None  # (folder, context paths) -> False when the files show it needs the source


_MAX_READ = 1 << 20


class _Folder:
    """The Dockerfile's folder, looked at through the context's ``fs`` (paths relative to it)."""

    __slots__ = ("fs", "path")

    def __init__(self, fs: WorkspaceFS, path: Path):
        self.fs, self.path = fs, path

    def is_file(self, rel: str) -> bool:
        return self.fs.is_file(self.path / rel)

    def is_dir(self, rel: str) -> bool:
        return self.fs.is_dir(self.path / rel)

    def exists(self, rel: str) -> bool:
        return self.fs.exists(self.path / rel)

    def read(self, rel: str) -> str:
        """The file's text; "" when it is missing, unreadable or larger than ``_MAX_READ``."""
        try:
            return self.fs.read_text(self.path / rel, limit=_MAX_READ)
        except OSError:
            return ""


def _pos(args, value_flags=()) -> list[str]:
    out = []
    skip = False
    for word in args:
        value = word.value
        if skip:
            skip = False
        elif value.startswith("-"):
            skip = value in value_flags
        else:
            out.append(value)
    return out


def _has(args, *flags: str) -> bool:
    return any(a.value in flags or a.value.split("=", 1)[0] in flags for a in args)


_NPM_VALUES = ("-C", "-w", "--prefix", "--registry", "--cache", "--userconfig", "--workspace", "--omit",
               "--include", "--loglevel")
_YARN_VALUES = ("--cwd", "--cache-folder", "--modules-folder", "--network-timeout", "--mutex")
_PNPM_VALUES = ("-C", "--dir", "--filter", "-F", "--store-dir", "--reporter")
_BUNDLE_VALUES = ("--path", "--jobs", "-j", "--retry", "--without", "--with", "--gemfile", "--binstubs")
_MVN_VALUES = ("-f", "--file", "-s", "--settings", "-P", "-pl", "--projects", "-gs", "-T")
_CONDA_VALUES = ("-f", "--file", "-n", "--name", "-p", "--prefix", "-c", "--channel")
_MVN_GOALS = ("dependency:go-offline", "dependency:resolve", "dependency:resolve-plugins",
              "de.qaware.maven:go-offline-maven-plugin:resolve-dependencies")
# Compiled on first use (re keeps them): only read when the files next to the Dockerfile are.
_NESTED_REQ = r"^\s*(?:-r|--requirement|-c|--constraint)[\s=]+(\S+)"
_LOCAL_REQ = r"^\s*(?:-e|--editable)[\s=]+(?:\.|/|file:)|^\s*(?:\.|/|file:)|@\s*file:"
_PIPFILE_PATH = r"\bpath\s*="
_GO_LOCAL_REPLACE = r"=>\s*\.{1,2}/"
_GEMFILE_LOCAL = r"(?m)^\s*gemspec\b|\bpath:|:path\s*=>"
_CONDA_LOCAL = r"(?m)^\s*-\s*(?:-e\s|\.\s*$|\./)"


def manifest_install(cmd) -> ManifestInstall | None:
    """The dependency install ``cmd`` runs when it needs only manifests, else None."""
    pip = pip_install(cmd)
    if pip is not None:
        if not pip.requirements or pip.local:
            return None
        files = [w.value for w in pip.requirements + pip.constraints]
        blocked = "the requirements file name uses a variable" if any("$" in f for f in files) else None
        return ManifestInstall(f"pip install -r {files[0]}", "pip", files, guess=files, blocked=blocked,
                               inspect=_inspect_requirements)
    found = tool(cmd)
    if found is None:
        return None
    name, args = found
    if name == "npm":
        pos = _pos(args, _NPM_VALUES)
        if len(pos) != 1 or pos[0] not in ("ci", "install", "i", "clean-install", "install-clean"):
            return None
        return ManifestInstall(
            f"npm {pos[0]}", "npm", ["package.json"], ["package-lock.json", "npm-shrinkwrap.json", ".npmrc"],
            ["package*.json"], _dir_flag(args, "--prefix", "-C", "-w", "--workspace", "--workspaces"),
            _inspect_js)
    if name == "yarn":
        pos = _pos(args, _YARN_VALUES)
        if pos not in ([], ["install"]):
            return None
        return ManifestInstall(
            " ".join(["yarn", *pos]), "yarn", ["package.json"], ["yarn.lock", ".yarnrc", ".yarnrc.yml"],
            ["package.json", "yarn.lock*"], _dir_flag(args, "--cwd"), _inspect_js)
    if name == "pnpm":
        pos = _pos(args, _PNPM_VALUES)
        if len(pos) != 1 or pos[0] not in ("install", "i", "fetch"):
            return None
        if pos[0] == "fetch":
            return ManifestInstall("pnpm fetch", "pnpm", ["pnpm-lock.yaml"], [".npmrc"], ["pnpm-lock.yaml"],
                                   _dir_flag(args, "-C", "--dir", "--filter", "-F"), _inspect_js)
        return ManifestInstall(
            f"pnpm {pos[0]}", "pnpm", ["package.json"], ["pnpm-lock.yaml", ".npmrc"],
            ["package.json", "pnpm-lock.yaml*"], _dir_flag(args, "-C", "--dir", "--filter", "-F"), _inspect_js)
    if name == "bun":
        pos = _pos(args)
        if len(pos) != 1 or pos[0] not in ("install", "i"):
            return None
        return ManifestInstall(f"bun {pos[0]}", "bun", ["package.json"], ["bun.lockb", "bun.lock", "bunfig.toml"],
                               ["package.json", "bun.lock*"], _dir_flag(args, "--cwd"), _inspect_js)
    if name == "pipenv":
        pos = _pos(args)
        if len(pos) != 1 or pos[0] not in ("install", "sync"):
            return None
        return ManifestInstall(f"pipenv {pos[0]}", "pipenv", ["Pipfile"], ["Pipfile.lock"],
                               ["Pipfile", "Pipfile.lock*"], inspect=_inspect_pipfile)
    if name == "poetry":
        pos = _pos(args, ("-C", "--directory", "-P", "--project", "--only", "--with", "--without", "-E", "--extras"))
        if pos != ["install"] or _has(args, "--only-root"):
            return None
        blocked = _dir_flag(args, "-C", "--directory", "-P", "--project")
        if blocked is None and not _has(args, "--no-root"):
            blocked = "poetry install also installs the project: run `poetry install --no-root` first"
        return ManifestInstall("poetry install", "poetry", ["pyproject.toml"], ["poetry.lock", "poetry.toml"],
                               ["pyproject.toml", "poetry.lock*"], blocked)
    if name == "uv":
        pos = _pos(args, ("--directory", "--project", "--package", "--extra", "--group", "-p", "--python"))
        if pos != ["sync"] or _has(args, "--only-install-project"):
            return None
        blocked = _dir_flag(args, "--directory", "--project")
        if blocked is None and not _has(args, "--no-install-project", "--no-install-workspace"):
            blocked = "uv sync also installs the project: run `uv sync --no-install-project` first"
        return ManifestInstall("uv sync", "uv", ["pyproject.toml"], ["uv.lock", ".python-version"],
                               ["pyproject.toml", "uv.lock*"], blocked, _inspect_uv)
    if name == "go":
        pos = _pos(args, ("-C", "-modfile"))
        if pos[:2] != ["mod", "download"]:
            return None
        return ManifestInstall("go mod download", "go", ["go.mod"], ["go.sum"], ["go.mod", "go.sum*"],
                               _dir_flag(args, "-C", "-modfile"), _inspect_go)
    if name in ("bundle", "bundler"):
        pos = _pos(args, _BUNDLE_VALUES)
        if pos not in ([], ["install"]):
            return None
        return ManifestInstall(" ".join(["bundle", *pos]), "bundle", ["Gemfile"], ["Gemfile.lock"],
                               ["Gemfile", "Gemfile.lock*"], _dir_flag(args, "--gemfile"), _inspect_gemfile)
    if name in ("composer", "composer.phar"):
        pos = _pos(args, ("-d", "--working-dir"))
        if pos not in (["install"], ["i"]):
            return None
        blocked = _dir_flag(args, "-d", "--working-dir")
        if blocked is None and not (_has(args, "--no-scripts") and _has(args, "--no-autoloader")):
            blocked = ("composer install runs scripts and dumps the autoloader, which need the source: install "
                       "with --no-scripts --no-autoloader first, run `composer dump-autoload` after the copy")
        return ManifestInstall("composer install", "composer", ["composer.json"], ["composer.lock", "auth.json"],
                               ["composer.json", "composer.lock*"], blocked)
    if name == "cargo":
        if _pos(args, ("--manifest-path",)) != ["fetch"]:
            return None
        return ManifestInstall("cargo fetch", "cargo", ["Cargo.toml"], ["Cargo.lock"], ["Cargo.toml", "Cargo.lock"],
                               "cargo needs the crate's targets: copy Cargo.toml and Cargo.lock with a stub "
                               "src/main.rs, or use cargo-chef")
    if name in ("mvn", "mvnw"):
        pos = _pos(args, _MVN_VALUES)
        if not pos or not all(p in _MVN_GOALS for p in pos):
            return None
        blocked = _dir_flag(args, "-f", "--file")
        if blocked is None and name == "mvnw":
            blocked = "the Maven wrapper also needs mvnw and .mvn/"
        return ManifestInstall(f"{name} {pos[0]}", "mvn", ["pom.xml"], [], ["pom.xml"], blocked, _inspect_pom)
    if name == "dotnet":
        pos = _pos(args, ("-s", "--source", "-r", "--runtime", "--packages", "--configfile"))
        if not pos or pos[0] != "restore" or len(pos) > 2:
            return None
        if len(pos) == 2 and pos[1].endswith(("proj", ".sln")) and "/" not in pos[1]:
            return ManifestInstall("dotnet restore", "dotnet", [pos[1]], ["NuGet.config", "nuget.config"], [pos[1]])
        return ManifestInstall("dotnet restore", "dotnet", [], [], [],
                               "name the project file, e.g. `COPY *.csproj ./` then `RUN dotnet restore`")
    if name in ("conda", "mamba", "micromamba"):
        pos = _pos(args, _CONDA_VALUES)
        file = next((_flag_value(args, "-f", "--file")), None)
        if pos[:2] in (["env", "create"], ["env", "update"]):
            file = file or "environment.yml"
            label = f"{name} env {pos[1]}"
        elif pos[:1] in (["install"], ["create"], ["update"]) and file and len(pos) == 1:
            label = f"{name} {pos[0]} -f {file}"
        else:
            return None
        blocked = "the environment file name uses a variable" if "$" in file else None
        return ManifestInstall(label, "conda", [file], [], [file], blocked, _inspect_conda)
    return None


def _flag_value(args, *names):
    for i, word in enumerate(args):
        value = word.value
        for n in names:
            if value == n and i + 1 < len(args):
                yield args[i + 1].value
            elif value.startswith(n + "=") and n.startswith("--"):
                yield value[len(n) + 1 :]


def _dir_flag(args, *flags: str) -> str | None:
    for word in args:
        if word.value in flags or word.value.split("=", 1)[0] in flags:
            return f"{word.value.split('=', 1)[0]} changes the directory the install reads"
    return None


# -- what the files next to the Dockerfile tell (only when its folder is known) -------------------


def _inspect_requirements(folder: _Folder, paths: list[str]) -> bool:
    """Follows ``-r``/``-c`` includes (adding them to ``paths``); False when a file installs local code."""
    i = 0
    while i < len(paths) and i < 50:
        rel = paths[i]
        i += 1
        base = posixpath.dirname(rel)
        for line in folder.read(rel).splitlines():
            line = line.split(" #", 1)[0].strip()
            if not line or line.startswith("#"):
                continue
            if re.search(_LOCAL_REQ, line):
                return False
            m = re.match(_NESTED_REQ, line)
            if m:
                nested = posixpath.normpath(posixpath.join(base, m.group(1)))
                if nested.startswith("..") or "$" in nested or not folder.is_file(nested):
                    return False
                if nested not in paths:
                    paths.append(nested)
    return True


def _inspect_js(folder: _Folder, paths: list[str]) -> bool:
    if folder.exists("pnpm-workspace.yaml") or folder.is_dir(".yarn"):
        return False
    try:
        manifest = json.loads(folder.read("package.json") or "{}")
    except ValueError:
        return False
    return not (isinstance(manifest, dict) and manifest.get("workspaces"))


def _inspect_pipfile(folder: _Folder, paths: list[str]) -> bool:
    return not re.search(_PIPFILE_PATH, folder.read("Pipfile"))


def _inspect_uv(folder: _Folder, paths: list[str]) -> bool:
    return "[tool.uv.workspace]" not in folder.read("pyproject.toml")


def _inspect_go(folder: _Folder, paths: list[str]) -> bool:
    if folder.exists("go.work"):
        return False
    return not re.search(_GO_LOCAL_REPLACE, folder.read("go.mod"))


def _inspect_gemfile(folder: _Folder, paths: list[str]) -> bool:
    return not re.search(_GEMFILE_LOCAL, folder.read("Gemfile"))


def _inspect_pom(folder: _Folder, paths: list[str]) -> bool:
    return "<modules>" not in folder.read("pom.xml")


def _inspect_conda(folder: _Folder, paths: list[str]) -> bool:
    return not re.search(_CONDA_LOCAL, folder.read(paths[0])) if paths else True
