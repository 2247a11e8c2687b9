"""Configuration: ``.dockerls.yaml``, ``[tool.dockerls]`` in ``pyproject.toml``, or hadolint's
``.hadolint.yaml`` when no dockerls configuration exists in the same folder.

dockerls keys (YAML or TOML)::

    ignore: [DL3008, cleanup-in-separate-layer]   # codes, names or BuildKit check names
    enable: [DL3057]                              # rules that are off by default
    severity: {DL3007: error, DL3059: "off"}      # error, warning, info, style, off
    failure-threshold: warning                   # error, warning, info, style, none (as hadolint: any
                                                 # finding fails); never: no finding fails
    trusted-registries: [docker.io, my.registry]
    label-schema: {maintainer: text, org.opencontainers.image.created: rfc3339}
    strict-labels: false
    shellcheck: true                             # ShellCheck inside RUN (SCnnnn findings), as hadolint

hadolint's keys, read from ``.hadolint.yaml`` (or any ``-c FILE`` that holds only them), with
hadolint's meaning: ``ignored``, ``override`` ({error|warning|info|style: [codes]}),
``trustedRegistries``, ``failure-threshold``, ``no-fail``, ``label-schema``, ``strict-labels``,
``disable-ignore-pragma``, ``format``, ``no-color``, ``verbose``.

When no folder from the checked file up to the repository root holds a configuration, hadolint's
own places are tried, in hadolint's order (:func:`hadolint_global_file`).  hadolint's
``HADOLINT_*`` variables (:mod:`dockerls.config_layers`) lie under any file, the command line over it.
"""

from __future__ import annotations

import os
import reprlib
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

from dockerls.finding import Severity

DOCKERLS_FILES = (".dockerls.yaml", ".dockerls.yml")
HADOLINT_FILES = (".hadolint.yaml", ".hadolint.yml")
_MAX_CONFIG_BYTES = 1 << 20
_MAX_PYPROJECT_BYTES = 4 << 20  # a pyproject.toml is read for one table; past this it is not a project file


class ConfigError(Exception):
    """A configuration file that cannot be used; the message names the file and the key."""

    def __init__(self, file: str, key: str | None, message: str):
        self.file, self.key = file, key
        where = f"{file}: {key}: " if key else f"{file}: "
        super().__init__(where + message)


@dataclass(frozen=True)
class Config:
    ignored: frozenset[str] = frozenset()  # lower-cased codes / names
    enabled: frozenset[str] = frozenset()  # rules that are off by default, turned on
    severity: dict[str, Severity | None] = field(default_factory=dict)  # lower-cased code -> severity (None: off)
    failure_threshold: Severity | None = Severity.INFO  # None: never fail (hadolint's default: info)
    trusted_registries: tuple[str, ...] = ()
    label_schema: dict[str, str] = field(default_factory=dict)
    strict_labels: bool = False
    shellcheck: bool = True  # run ShellCheck on RUN scripts when it is installed (dockerls.lint.shellcheck)
    # (name, value) of the build arguments the Dockerfile is built with (``check --build-arg``, a
    # compose service's ``build.args``): the BuildKit checks see them as BuildKit does.
    build_args: tuple[tuple[str, str], ...] = ()
    no_fail: bool = False  # exit 0 whatever the findings (hadolint's no-fail)
    disable_ignore_pragma: bool = False  # ``# hadolint ignore=`` pragmas are not honoured
    output_format: str | None = None  # hadolint's ``format``: the report when the command line names none
    no_color: bool = False
    explicit: frozenset[str] = frozenset()  # the scalar fields the file set (the environment lies under them)
    source: str | None = None  # the file this came from

    def build_arg(self, name: str) -> str | None:
        """The value of build argument ``name`` (the last one given wins), or None."""
        found = None
        for key, value in self.build_args:
            if key == name:
                found = value
        return found

    def with_ignored(self, names) -> Config:
        return replace(self, ignored=self.ignored | {n.lower() for n in names})


DEFAULT = Config()

_NEVER = "never"  # dockerls' name for "no finding fails"; none/ignore mean what they mean in hadolint
HADOLINT_FORMATS = ("tty", "json", "checkstyle", "codeclimate", "gitlab_codeclimate", "gnu", "codacy", "sonarqube",
                    "sarif", "junit")


def hadolint_threshold(value: str) -> Severity | None:
    """A threshold as hadolint reads it: ``ignore`` and ``none`` are below ``style`` (every finding
    fails), not "never"; None for a name hadolint does not know."""
    name = value.strip().lower()
    if name in ("none", "ignore"):
        return Severity.STYLE
    try:
        return Severity.parse(name)
    except ValueError:
        return None


def _threshold(file: str, key: str, value: Any, *, hadolint: bool = False) -> Severity | None:
    if not isinstance(value, str):
        raise ConfigError(file, key, f"expected one of error, warning, info, style, none, never; got {shown(value)}")
    if not hadolint and value.strip().lower() == _NEVER:
        return None
    if (threshold := hadolint_threshold(value)) is None:
        names = "error, warning, info, style or none" + ("" if hadolint else "; never: no finding fails")
        raise ConfigError(file, key, f"unknown severity '{value}' (use {names})")
    return threshold


def _string_list(file: str, key: str, value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(file, key, f"expected a list of strings, got {shown(value)}")
    return value


def _mapping(file: str, key: str, value: Any) -> dict:
    if not isinstance(value, dict):
        raise ConfigError(file, key, f"expected a mapping, got {shown(value)}")
    return value


def from_dockerls_mapping(data: Any, file: str) -> Config:
    if data is None:
        return Config(source=file)
    data = _mapping(file, "(top level)", data)
    known = {"ignore", "ignored", "enable", "severity", "failure-threshold", "failure_threshold", "trusted-registries",
             "trusted_registries", "label-schema", "label_schema", "strict-labels", "strict_labels", "shellcheck"}
    for key in data:
        if key not in known:
            raise ConfigError(file, str(key), f"unknown key (known: {', '.join(sorted(k for k in known if '_' not in k))})")
    get = lambda *names: next((data[n] for n in names if n in data), None)  # noqa: E731
    cfg = Config(source=file)
    ignored = get("ignore", "ignored")
    if ignored is not None:
        cfg = replace(cfg, ignored=frozenset(c.lower() for c in _string_list(file, "ignore", ignored)))
    enable = get("enable")
    if enable is not None:
        cfg = replace(cfg, enabled=frozenset(c.lower() for c in _string_list(file, "enable", enable)))
    sev = get("severity")
    if sev is not None:
        out: dict[str, Severity | None] = {}
        for code, level in _mapping(file, "severity", sev).items():
            if not isinstance(level, str):
                raise ConfigError(file, f"severity.{code}", f"expected a severity name, got {shown(level)}")
            if level.lower() in ("off", "ignore", "none"):
                out[str(code).lower()] = None
                continue
            try:
                out[str(code).lower()] = Severity.parse(level)
            except ValueError as err:
                raise ConfigError(file, f"severity.{code}", str(err)) from None
        cfg = replace(cfg, severity=out)
    if (t := get("failure-threshold", "failure_threshold")) is not None:
        cfg = replace(cfg, failure_threshold=_threshold(file, "failure-threshold", t),
                      explicit=cfg.explicit | {"failure_threshold"})
    if (r := get("trusted-registries", "trusted_registries")) is not None:
        cfg = replace(cfg, trusted_registries=tuple(_string_list(file, "trusted-registries", r)))
    if (ls := get("label-schema", "label_schema")) is not None:
        cfg = replace(cfg, label_schema={str(k): str(v) for k, v in _mapping(file, "label-schema", ls).items()})
    if (sl := get("strict-labels", "strict_labels")) is not None:
        if not isinstance(sl, bool):
            raise ConfigError(file, "strict-labels", f"expected true or false, got {shown(sl)}")
        cfg = replace(cfg, strict_labels=sl, explicit=cfg.explicit | {"strict_labels"})
    if (sc := get("shellcheck")) is not None:
        if not isinstance(sc, bool):
            raise ConfigError(file, "shellcheck", f"expected true or false, got {shown(sc)}")
        cfg = replace(cfg, shellcheck=sc)
    return cfg


HADOLINT_KEYS = frozenset({"ignored", "override", "trustedRegistries", "failure-threshold", "no-fail", "label-schema",
                           "strict-labels", "disable-ignore-pragma", "format", "no-color", "verbose"})
_HADOLINT_SWITCHES = {"no-fail": "no_fail", "strict-labels": "strict_labels",
                      "disable-ignore-pragma": "disable_ignore_pragma", "no-color": "no_color"}


def _switch(file: str, key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(file, key, f"expected true or false, got {shown(value)}")
    return value


def from_hadolint_mapping(data: Any, file: str) -> Config:
    """hadolint's configuration keys, with hadolint's meaning (keys hadolint does not know are
    ignored, as hadolint ignores them)."""
    if data is None:
        return Config(source=file)
    data = _mapping(file, "(top level)", data)
    cfg = Config(source=file)
    if "ignored" in data:
        cfg = replace(cfg, ignored=frozenset(c.lower() for c in _string_list(file, "ignored", data["ignored"] or [])))
    if "override" in data:
        out: dict[str, Severity | None] = {}
        for level, codes in _mapping(file, "override", data["override"] or {}).items():
            try:
                sev = Severity.parse(str(level))
            except ValueError as err:
                raise ConfigError(file, f"override.{level}", str(err)) from None
            for code in _string_list(file, f"override.{level}", codes or []):
                previous = out.get(code.lower())
                out[code.lower()] = max(sev, previous) if previous else sev  # error wins, as in hadolint
        cfg = replace(cfg, severity=out)
    if data.get("failure-threshold") is not None:
        cfg = replace(cfg, failure_threshold=_threshold(file, "failure-threshold", data["failure-threshold"], hadolint=True),
                      explicit=cfg.explicit | {"failure_threshold"})
    for key, name in _HADOLINT_SWITCHES.items():
        if data.get(key) is not None:
            cfg = replace(cfg, explicit=cfg.explicit | {name}, **{name: _switch(file, key, data[key])})  # type: ignore[arg-type]  # a bool field
    if data.get("format") is not None:
        fmt = str(data["format"]).strip().lower()
        if fmt not in HADOLINT_FORMATS:
            raise ConfigError(file, "format", f"unknown format '{fmt}' (choose from {', '.join(HADOLINT_FORMATS)})")
        cfg = replace(cfg, output_format=fmt, explicit=cfg.explicit | {"output_format"})
    if "trustedRegistries" in data:
        cfg = replace(cfg, trusted_registries=tuple(_string_list(file, "trustedRegistries", data["trustedRegistries"] or [])))
    if "label-schema" in data:
        cfg = replace(cfg, label_schema={str(k): str(v) for k, v in _mapping(file, "label-schema", data["label-schema"] or {}).items()})
    return cfg


def is_hadolint_mapping(data: Any) -> bool:
    """A mapping that holds hadolint's keys only (and at least one that dockerls' files lack)."""
    return isinstance(data, dict) and bool(data) and set(map(str, data)) <= HADOLINT_KEYS \
        and bool(set(map(str, data)) - {"failure-threshold", "label-schema", "strict-labels"})


def _read_yaml(path: Path) -> Any:
    """A configuration file's YAML as plain values, read by the same bounded reader as compose
    files: aliases that would expand past its cap, deep nesting and huge files are an error at
    their line, in well under a second, instead of gigabytes of expanded values."""
    from dockerls.parse.compose.problems import DUPLICATE_KEY
    from dockerls.parse.compose.values import to_python
    from dockerls.parse.compose.yaml_tree import parse_yaml

    try:
        if path.stat().st_size > _MAX_CONFIG_BYTES:
            raise ConfigError(str(path), None, "the file is larger than 1 MiB")
        if not path.is_file():
            raise ConfigError(str(path), None, "not a regular file")
        data = path.read_bytes()
    except OSError as err:
        raise ConfigError(str(path), None, f"cannot read: {err.strerror or err}") from None
    doc = parse_yaml(data)
    for problem in doc.problems:
        if problem.code != DUPLICATE_KEY:  # the last one wins, as PyYAML and hadolint read it
            line = problem.range.start.line + 1
            raise ConfigError(str(path), None, f"invalid YAML (line {line}): {problem.message}")
    return to_python(doc.root)


def shown(value: Any) -> str:
    """A configuration value in a message: bounded however large or shared the value is."""
    return _SHOWN.repr(value)


_SHOWN = reprlib.Repr()
_SHOWN.maxlevel, _SHOWN.maxstring, _SHOWN.maxother = 3, 60, 60


def _pyproject_section(path: Path) -> Any:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # Python 3.10: the same reader, from PyPI
        import tomli as tomllib
    try:
        if not path.is_file():
            raise ConfigError(str(path), None, "not a regular file")
        if path.stat().st_size > _MAX_PYPROJECT_BYTES:
            raise ConfigError(str(path), None, "the file is larger than 4 MiB")
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(str(path), None, f"cannot read: {err}") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(str(path), None, f"invalid TOML: {err}") from None
    except RecursionError:  # the standard TOML reader recurses once per nested array or table
        raise ConfigError(str(path), None, "invalid TOML: nested too deeply") from None
    return data.get("tool", {}).get("dockerls")


def load_file(path: str | os.PathLike) -> Config:
    """Load a configuration file of any of the three kinds: by its name, and a file of another name
    (``-c ci/lint.yaml``) by its keys: hadolint's keys only make it a hadolint configuration."""
    p = Path(path)
    if p.name == "pyproject.toml":
        return from_dockerls_mapping(_pyproject_section(p), str(p))
    if p.name in HADOLINT_FILES or "hadolint" in p.name.lower():
        return from_hadolint_mapping(_read_yaml(p), str(p))
    data = _read_yaml(p)
    if p.name not in DOCKERLS_FILES and is_hadolint_mapping(data):
        return from_hadolint_mapping(data, str(p))
    return from_dockerls_mapping(data, str(p))


def hadolint_global_file(environ: Mapping[str, str] | None = None, cwd: Path | None = None) -> Path | None:
    """The configuration hadolint 2.15 reads when given none, in its order: ``./.hadolint.y[a]ml``,
    ``$XDG_CONFIG_HOME/hadolint.y[a]ml`` (``~/.config`` without it), ``~/.hadolint/{hadolint,config}.y[a]ml``,
    ``~/.hadolint.y[a]ml``; the first that exists."""
    env = os.environ if environ is None else environ
    home = Path(env.get("HOME") or os.path.expanduser("~"))
    xdg = Path(env["XDG_CONFIG_HOME"]) if env.get("XDG_CONFIG_HOME") else home / ".config"
    here = cwd or Path.cwd()
    candidates = [here / ".hadolint.yaml", here / ".hadolint.yml", xdg / "hadolint.yaml", xdg / "hadolint.yml"]
    candidates += [home / ".hadolint" / name for name in ("hadolint.yaml", "hadolint.yml", "config.yaml", "config.yml")]
    candidates += [home / ".hadolint.yaml", home / ".hadolint.yml"]
    return next((c for c in candidates if c.is_file()), None)


def config_file_in(folder: Path) -> Path | None:
    """The configuration file a folder holds, in order of precedence, or None."""
    for name in DOCKERLS_FILES:
        if (folder / name).is_file():
            return folder / name
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        try:
            if "[tool.dockerls" in pyproject.read_text(encoding="utf-8", errors="replace"):
                return pyproject
        except OSError:
            pass
    for name in HADOLINT_FILES:
        if (folder / name).is_file():
            return folder / name
    return None


class ConfigFinder:
    """Finds the configuration of a file: the nearest folder upwards that holds one, stopping at
    the repository root (a folder with ``.git``).  Results are cached per folder."""

    def __init__(self, explicit: Config | None = None, environ: Mapping[str, str] | None = None):
        self.explicit = explicit
        self.environ = environ
        self._cache: dict[Path, Config] = {}
        self._fallback: Config | None = None

    def for_file(self, file: str | os.PathLike | None) -> Config:
        if self.explicit is not None:
            return self.explicit
        folder = Path(file).resolve().parent if file else Path.cwd()
        return self.for_folder(folder)

    def for_folder(self, folder: Path) -> Config:
        if folder in self._cache:
            return self._cache[folder]
        found = config_file_in(folder)
        if found is not None:
            cfg = load_file(found)
        elif (folder / ".git").exists() or folder.parent == folder:
            cfg = self.fallback()
        else:
            cfg = self.for_folder(folder.parent)
        self._cache[folder] = cfg
        return cfg

    def fallback(self) -> Config:
        """What a file with no configuration above it uses: hadolint's global one, else the default."""
        if self._fallback is None:
            found = hadolint_global_file(self.environ)
            self._fallback = from_hadolint_mapping(_read_yaml(found), str(found)) if found else DEFAULT
        return self._fallback
