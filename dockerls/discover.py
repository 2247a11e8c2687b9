"""Finding the files ``dockerls check PATH...`` lints.

``kind_of`` tells from a file name whether it is a Dockerfile, a Compose file or a devcontainer
configuration:

* Dockerfile: ``Dockerfile``/``Containerfile`` (any case), ``Dockerfile.<x>`` and the common
  ``Dockerfile-<x>``/``Dockerfile_<x>`` spellings unless the last extension marks documentation,
  a backup, another language or a template (``NOT_DOCKERFILE_SUFFIXES``: ``.md``, ``.bak``,
  ``.sh``, ``.j2``, ``.dockerignore``...), and ``<x>.Dockerfile``, ``<x>_Dockerfile``,
  ``<x>-Dockerfile`` (same for Containerfile);
* Compose: ``compose[.<x>].y(a)ml``, ``docker-compose[.<x>|-<x>|_<x>].y(a)ml`` and
  ``<x>.compose[.<y>].y(a)ml`` (``prod.compose.yaml``);
* devcontainer: ``.devcontainer.json`` anywhere, ``.devcontainer/devcontainer.json`` and
  ``.devcontainer/<name>/devcontainer.json``.

``discover`` expands the command-line paths into ``(path, kind)`` pairs:

* ``-`` is stdin and passes through as ``("-", "dockerfile")``;
* a file named explicitly is always checked, ignore files or not, with the kind its name suggests;
  when the name says nothing, a ``.yml``/``.yaml`` file is Compose when its content says so
  (:func:`looks_like_compose`: ``stack.yml``, ``app.yaml``) and ``other`` (not checked, and the
  check says so) when not, and any other name is a Dockerfile (the user chose it).  ``kind``
  (``check --kind``) overrides all that for named files and standard input;
* a directory is walked iteratively with ``os.scandir``.  Symlinked directories are not followed
  (no loops, no escaping the tree); symlinked files are when their target lies inside the walked
  folder, and a file reached twice is listed once.  A symlinked file whose target is outside the
  walked folder is listed with ``outside`` set and is not read (``dockerls check .`` on a cloned
  repository must not read ``Dockerfile -> ~/.config/gh/hosts.yml``): the check reports it.

``discover_files`` also tells each file's *root*, the folder it is checked within (files outside it
are not read on its behalf, see :class:`dockerls.lint.workspace_fs.WorkspaceFS`): the walked
folder for a file found in a folder; for a file named on the command line, the working directory
when the name lies below it (``dockerls check docker/compose.yaml`` from the repository's top may
include ``../common.yaml``), else the folder the name is in.

What a walk skips:

* ``.git``, ``node_modules``, virtualenvs and caches (``SKIPPED_DIRS``);
* what ``.gitignore`` files say, with git semantics: the one in every walked folder applies to the
  paths below it, a deeper file overrides a shallower one, an excluded directory is not entered.
  When the walk starts inside a git work tree the ``.gitignore`` files between the work tree's
  top and the starting folder, and ``.git/info/exclude``, apply too, as they would for git;
* directories that a ``.dockerignore`` (docker semantics, relative to its own folder) excludes,
  with three exceptions.  A ``.dockerignore`` describes the build context, not the source tree:
  people routinely list ``Dockerfile``, ``docker-compose.yml`` and ``.devcontainer`` in it, and
  allow-list it (``*`` then ``!src``).  So (1) a Dockerfile, Compose or devcontainer file is never
  dropped because a ``.dockerignore`` matches it, (2) ``.devcontainer`` is never pruned, and
  (3) neither is a directory excluded only by a wildcard-only line (``*``, ``**``, ``*/*``) or one
  where a ``!`` line may re-include something below.  What remains prunes the build outputs,
  data and vendored trees a ``.dockerignore`` usually names.  ``<name>.Dockerfile.dockerignore``
  files belong to one Dockerfile's build and are not consulted.

Results are sorted by path, without duplicates (compared by ``os.path.realpath``).  Problems come
back as messages (``"PATH: no such file or directory"``); ``discover`` never raises.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dockerls.ignorefile import DOCKER, GIT, IgnoreRules, Pattern

DOCKERFILE = "dockerfile"
COMPOSE = "compose"
DEVCONTAINER = "devcontainer"
OTHER = "other"  # a file named on the command line that is none of the above: not checked
KINDS = (DOCKERFILE, COMPOSE, DEVCONTAINER)

STDIN = "-"

SKIPPED_DIRS = frozenset(
    {
        ".git", ".hg", ".svn",
        "node_modules", "__pycache__",
        ".venv", "venv", ".tox", ".nox",
        ".mypy_cache", ".pytest_cache", ".ruff_cache", ".dockerls-cache",
    }
)  # fmt: skip

# "Dockerfile.<suffix>" (and "Dockerfile-<suffix>") names that are not Dockerfiles: documentation,
# editor/VCS leftovers, other languages' files that borrow the name, and templates (not valid
# until rendered).
# Build variants ("Dockerfile.prod", "Dockerfile.alpine", "Dockerfile.example") are Dockerfiles.
NOT_DOCKERFILE_SUFFIXES = frozenset(
    {
        "md", "markdown", "rst", "txt", "adoc", "html",
        "orig", "rej", "bak", "old", "swp", "swo", "tmp", "diff", "patch", "log",
        "json", "yml", "yaml", "toml", "ini", "cfg", "lock",
        "sh", "bash", "ps1", "py", "rb", "js", "ts", "go", "mk",
        "dockerignore",
        "j2", "jinja", "jinja2", "tpl", "tmpl", "template", "in", "erb", "mustache", "hbs", "gotmpl",
    }
)  # fmt: skip

_BASE_NAMES = ("dockerfile", "containerfile")
# "app.Dockerfile", "prod_Dockerfile", "app-Containerfile", "x__y_Dockerfile"
_SUFFIXED = re.compile(r".+[._-](?:dockerfile|containerfile)", re.IGNORECASE)
# "Dockerfile.prod", "Containerfile.alpine", the "Dockerfile-dev" / "Dockerfile_ci" spellings, and
# both at once: "mysql_Dockerfile.oracle"
_VARIANT = re.compile(r"(?:.+[._-])?(?:dockerfile|containerfile)[._-].+")
# compose.yaml, compose.prod.yaml, docker-compose.yml, docker-compose.override.yml,
# docker-compose-prod.yml, docker-compose_ci.yaml
# and prod.compose.yaml, app.compose.dev.yml
_COMPOSE = re.compile(r"(?:docker-compose(?:[._-].+)?|(?:.+\.)?compose(?:\..+)?)\.ya?ml", re.IGNORECASE)
_YAML = re.compile(r".+\.ya?ml", re.IGNORECASE)
SNIFF_BYTES = 4096  # how much of a file the content sniff reads
# The top-level keys of a Compose file (and extensions, x-*); a YAML file whose top-level keys are
# all among them, and one of the sections among them, is a Compose file.
_COMPOSE_KEYS = frozenset({"services", "include", "name", "version", "volumes", "networks", "secrets", "configs",
                           "models"})
_COMPOSE_SECTIONS = _COMPOSE_KEYS - {"name", "version"}
_TOP_KEY = re.compile(r"""(?:"([^"]*)"|'([^']*)'|([^\s#:'"{\[\-?][^:#]*?))\s*:(?:\s|$)""")
_DEVCONTAINER_DIR = ".devcontainer"
# wildcard-only .dockerignore lines ("*", "**", "*/*"): allow-list headers, not statements about
# where the source lives
_CATCH_ALL = re.compile(r"[*/]+")


def kind_of(path: str | os.PathLike[str]) -> str | None:
    """``"dockerfile"``, ``"compose"``, ``"devcontainer"`` or None, from the file's name."""
    path = os.fspath(path)
    name = os.path.basename(path.rstrip("/" + os.sep))
    lower = name.lower()
    if _COMPOSE.fullmatch(name):
        return COMPOSE
    if lower == ".devcontainer.json" or (lower == "devcontainer.json" and _in_devcontainer_dir(path)):
        return DEVCONTAINER
    if _is_dockerfile_name(lower):
        return DOCKERFILE
    return None


def looks_like_compose(head: str) -> bool:
    """Whether a YAML text (its first few KB are enough) is a Compose file: every top-level key of
    its first document that is seen is a Compose key (``services``, ``include``, ``name``,
    ``volumes``..., ``x-*``) and one of them is a section (``services``, ``include``, ``volumes``...).
    Cheap: only lines starting in the first column are looked at."""
    keys: set[str] = set()
    for number, line in enumerate(head[:SNIFF_BYTES].lstrip("\ufeff").splitlines()):
        if not line or line[0] in " \t#":
            continue
        if line.startswith(("---", "...")):
            if keys or number > 0 and line.startswith("..."):
                break  # the first document ends
            continue
        if line.startswith("%"):  # a YAML directive
            continue
        m = _TOP_KEY.match(line)
        if m is None:
            return False  # a list, a flow mapping, a scalar: not a Compose file's top level
        key = next(g for g in m.groups() if g is not None).strip()
        if key not in _COMPOSE_KEYS and not key.startswith("x-"):
            return False
        keys.add(key)
    return bool(keys & _COMPOSE_SECTIONS)


def sniff_kind(path: str) -> str | None:
    """``"compose"`` when the regular file at ``path`` is a ``.yml``/``.yaml`` file whose content
    says Compose, ``"other"`` for another YAML file, None when its name is not YAML's (or it
    cannot be read: the check says why)."""
    if not _YAML.fullmatch(os.path.basename(path)):
        return None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError:
        return None
    try:
        if not os.path.isfile(path):
            return None
        head = os.read(fd, SNIFF_BYTES)
    except OSError:
        return None
    finally:
        os.close(fd)
    return COMPOSE if looks_like_compose(head.decode("utf-8", "replace")) else OTHER


def named_kind(path: str, kind: str | None = None) -> str:
    """The kind of a file named on the command line: ``kind`` when given, else by name, by content
    (YAML files), else a Dockerfile."""
    return kind or kind_of(path) or sniff_kind(path) or DOCKERFILE


def _is_dockerfile_name(lower: str) -> bool:
    if lower in _BASE_NAMES or _SUFFIXED.fullmatch(lower):
        return True
    if not _VARIANT.fullmatch(lower):
        return False
    return lower.rsplit(".", 1)[-1] not in NOT_DOCKERFILE_SUFFIXES


def _in_devcontainer_dir(path: str) -> bool:
    """``.devcontainer/devcontainer.json`` or ``.devcontainer/<name>/devcontainer.json``."""
    folders = os.path.dirname(os.path.abspath(path)).split(os.sep)
    return _DEVCONTAINER_DIR in folders[-2:]


@dataclass(frozen=True, order=True)
class Found:
    """A file to check."""

    path: str  # as shown
    kind: str
    root: str | None = None  # the real path of the folder it is checked within (None: standard input)
    outside: bool = False  # a symlink found in a walk whose target is outside the root: not to be read


def discover(
    paths: Sequence[str | os.PathLike[str]], *, respect_ignore_files: bool = True, kind: str | None = None
) -> tuple[list[tuple[str, str]], list[str]]:
    """The ``(path, kind)`` pairs to check for the command-line ``paths``, and error messages."""
    found, errors = discover_files(paths, respect_ignore_files=respect_ignore_files, kind=kind)
    return [(f.path, f.kind) for f in found], errors


def discover_files(
    paths: Sequence[str | os.PathLike[str]], *, respect_ignore_files: bool = True, kind: str | None = None
) -> tuple[list[Found], list[str]]:
    """The files to check for the command-line ``paths`` (each with its root), and error messages;
    ``kind`` is the kind of the files named (and of standard input), whatever their names say."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    found: dict[str, Found] = {}  # realpath -> the file
    errors: list[str] = []
    for given in paths:
        path = os.fspath(given)
        if path == STDIN:
            found.setdefault(STDIN, Found(STDIN, kind or DOCKERFILE))
        elif os.path.isdir(path):
            for file in _walk(path, respect_ignore_files, errors):
                key = os.path.abspath(file.path) if file.outside else os.path.realpath(file.path)
                found.setdefault(key, file)
        elif os.path.exists(path):
            found.setdefault(os.path.realpath(path), Found(path, named_kind(path, kind), named_root(path)))
        else:
            errors.append(f"{path}: no such file or directory")
    return sorted(found.values()), errors


def named_root(path: str) -> str:
    """The root of a file named on the command line (see the module's docstring)."""
    here = os.path.realpath(os.getcwd())
    folder = os.path.dirname(os.path.abspath(path))
    lexical = os.path.normpath(os.path.join(here, folder))
    return here if lexical == here or lexical.startswith(here.rstrip(os.sep) + os.sep) else os.path.realpath(folder)


def _walk(root: str, respect_ignore_files: bool, errors: list[str]) -> list[Found]:
    """The lintable files below ``root``; paths are ``root`` joined with the relative path."""
    root_abs = os.path.abspath(root)
    root_real = os.path.realpath(root_abs)
    prefix, inherited = _enclosing_git_rules(root_abs) if respect_ignore_files else ("", [])
    results: list[Found] = []
    # (absolute folder, folder relative to root, .gitignore rules in force, .dockerignore rules)
    stack: list[tuple[str, str, tuple[IgnoreRules, ...], tuple[IgnoreRules, ...]]]
    stack = [(root_abs, "", tuple(inherited), ())]
    while stack:
        folder, rel, git_rules, docker_rules = stack.pop()
        entries = _list_dir(folder, _shown(root, rel), errors)
        if entries is None:
            continue
        matched_rel = _join(prefix, rel)  # relative to where the ignore rules are anchored
        if respect_ignore_files:
            git_rules, docker_rules = _add_rules(entries, matched_rel, git_rules, docker_rules)
        for entry in entries:
            child = _join(rel, entry.name)
            matched_child = _join(matched_rel, entry.name)
            if _is_real_dir(entry):
                if not _prune(entry.name, matched_child, git_rules, docker_rules):
                    stack.append((entry.path, child, git_rules, docker_rules))
                continue
            kind = kind_of(entry.path)
            # .dockerignore is deliberately not asked about files: see the module docstring
            if kind is None or _git_excludes(git_rules, matched_child, False):
                continue
            if _is_link(entry) and not _is_within(os.path.realpath(entry.path), root_real):
                results.append(Found(_shown(root, child), kind, root_real, outside=True))  # not even stat'ed
            elif _is_file(entry):
                results.append(Found(_shown(root, child), kind, root_real))
    return results


def _is_within(real: str, folder: str) -> bool:
    return real == folder or real.startswith(folder.rstrip(os.sep) + os.sep)


def _is_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return False


def _list_dir(folder: str, shown: str, errors: list[str]) -> list[os.DirEntry[str]] | None:
    try:
        with os.scandir(folder) as it:
            return list(it)
    except OSError as err:
        errors.append(f"{shown}: {(err.strerror or str(err)).lower()}")
        return None


def _add_rules(
    entries: Iterable[os.DirEntry[str]],
    base: str,
    git_rules: tuple[IgnoreRules, ...],
    docker_rules: tuple[IgnoreRules, ...],
) -> tuple[tuple[IgnoreRules, ...], tuple[IgnoreRules, ...]]:
    """The rules in force in a folder: its parent's plus its own ignore files."""
    for entry in entries:
        if entry.name == ".gitignore" and _is_file(entry):
            git_rules += (IgnoreRules.from_file(entry.path, GIT, base),)
        elif entry.name == ".dockerignore" and _is_file(entry):
            docker_rules += (IgnoreRules.from_file(entry.path, DOCKER, base),)
    return git_rules, docker_rules


def _prune(
    name: str, rel: str, git_rules: Sequence[IgnoreRules], docker_rules: Sequence[IgnoreRules]
) -> bool:
    """Whether the walk should not enter the directory ``rel``."""
    if name in SKIPPED_DIRS:
        return True
    if _git_excludes(git_rules, rel, True):
        return True
    return name != _DEVCONTAINER_DIR and _dockerignore_prunes(docker_rules, rel)


def _git_excludes(rules: Sequence[IgnoreRules], rel: str, is_dir: bool) -> bool:
    for ignore_file in reversed(rules):  # the deepest .gitignore with an opinion decides
        verdict = ignore_file.matches(rel, is_dir)
        if verdict is not None:
            return verdict
    return False


def _dockerignore_prunes(rules: Sequence[IgnoreRules], rel: str) -> bool:
    for ignore_file in reversed(rules):
        pattern = ignore_file.matching_pattern(rel, True)
        if pattern is not None:
            return _excludes_tree(ignore_file, pattern, rel)
    return False


def _excludes_tree(ignore_file: IgnoreRules, pattern: Pattern, rel: str) -> bool:
    if pattern.negated or _CATCH_ALL.fullmatch(pattern.pattern):
        return False
    return not ignore_file.could_include_below(rel)


def _enclosing_git_rules(root_abs: str) -> tuple[str, list[IgnoreRules]]:
    """When ``root_abs`` lies inside a git work tree: its path relative to the work tree's top,
    and the ignore rules from above it (``.git/info/exclude``, then the ``.gitignore`` files of
    the folders from the top down to, not including, ``root_abs``)."""
    top = git_top(root_abs)
    if top is None:
        return "", []
    rules = [IgnoreRules.from_file(os.path.join(top, ".git", "info", "exclude"), GIT)]
    prefix = os.path.relpath(root_abs, top).replace(os.sep, "/")
    if prefix == ".":
        return "", rules
    folder, base = top, ""
    for part in prefix.split("/"):
        rules.append(IgnoreRules.from_file(os.path.join(folder, ".gitignore"), GIT, base))
        folder, base = os.path.join(folder, part), _join(base, part)
    return prefix, rules


def git_top(path: str) -> str | None:
    """The nearest folder at or above ``path`` that holds ``.git``, or None."""
    current = path
    while True:
        if os.path.lexists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def _is_real_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()  # follows symlinks: a linked Dockerfile is still a Dockerfile
    except OSError:
        return False


def _join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


def _shown(root: str, rel: str) -> str:
    return os.path.normpath(os.path.join(root, rel)) if rel else root
