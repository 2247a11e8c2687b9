"""devcontainer.json ``build.options`` and ``build.cacheFrom``: the build's extra settings.

The Dev Containers CLI appends ``build.options`` to its ``docker build`` / ``docker buildx build``
command line after its own arguments (so a ``--build-arg`` or ``--target`` there wins over
``build.args`` / ``build.target``), and passes each ``build.cacheFrom`` (a string or a list) as a
``--cache-from``.  dockerls builds through the Engine API (``POST /build``), so each option becomes
the parameter the API has for it; an option the API has no parameter for (``--secret``, ``--ssh``,
``--output``, ``--push``, ``--builder``...) is reported as information and not applied, never a
failure.  Both ``--opt value`` and ``--opt=value`` are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Mapping

from dockerls.develop.plan.model import BuildOptions


@dataclass(slots=True)
class OptionProblem:
    key: str  # "options" or "cacheFrom"
    index: int | None  # in build.options / build.cacheFrom; None: the value as a whole
    message: str
    severity: str = "info"  # "info": not applied; "warning": a value docker would refuse


@dataclass(slots=True)
class ParsedBuildOptions:
    """What ``build.options`` and ``build.cacheFrom`` say."""

    options: BuildOptions = field(default_factory=BuildOptions)
    args: dict[str, str] = field(default_factory=dict)  # --build-arg: over build.args
    target: str | None = None  # --target: over build.target
    problems: list[OptionProblem] = field(default_factory=list)


class OptionError(ValueError):
    """A value an option cannot take."""


_Apply = Callable[[ParsedBuildOptions, str, Mapping[str, str]], None]


def _build_arg(parsed: ParsedBuildOptions, value: str, environ: Mapping[str, str]) -> None:
    key, eq, val = value.partition("=")
    if not key:
        raise OptionError(f"--build-arg {value!r} has no name")
    if eq:
        parsed.args[key] = val
    elif key in environ:  # docker build --build-arg NAME takes the value from the environment
        parsed.args[key] = environ[key]


def _label(parsed: ParsedBuildOptions, value: str, environ: Mapping[str, str]) -> None:
    key, _, val = value.partition("=")
    if not key:
        raise OptionError(f"--label {value!r} has no name")
    parsed.options.labels[key] = val


def _target(parsed: ParsedBuildOptions, value: str, environ: Mapping[str, str]) -> None:
    parsed.target = value


def _network(parsed: ParsedBuildOptions, value: str, environ: Mapping[str, str]) -> None:
    parsed.options.network = value


def _platform(parsed: ParsedBuildOptions, value: str, environ: Mapping[str, str]) -> None:
    parsed.options.platform = value


def _add_host(parsed: ParsedBuildOptions, value: str, environ: Mapping[str, str]) -> None:
    # docker accepts host:ip and host=ip; the Engine API wants host:ip
    host, sep, ip = value.partition("=")
    if not sep:
        host, sep, ip = value.partition(":")
    if not sep or not host or not ip:
        raise OptionError(f"--add-host {value!r} is not host:ip")
    parsed.options.extra_hosts.append(f"{host}:{ip}")


def _shm_size(parsed: ParsedBuildOptions, value: str, environ: Mapping[str, str]) -> None:
    parsed.options.shm_size = parse_size(value)


def _cache_from(parsed: ParsedBuildOptions, value: str, environ: Mapping[str, str]) -> None:
    parsed.options.cache_from.append(cache_image(value))


def _no_cache(parsed: ParsedBuildOptions, value: str, environ: Mapping[str, str]) -> None:
    parsed.options.no_cache = _true(value)


def _pull(parsed: ParsedBuildOptions, value: str, environ: Mapping[str, str]) -> None:
    parsed.options.pull = _true(value)


def _true(value: str) -> bool:
    if value.lower() in ("true", "1", ""):
        return True
    if value.lower() in ("false", "0"):
        return False
    raise OptionError(f"{value!r} is not true or false")


_WITH_VALUE: dict[str, _Apply] = {
    "--build-arg": _build_arg,
    "--label": _label,
    "--target": _target,
    "--network": _network,
    "--platform": _platform,
    "--add-host": _add_host,
    "--shm-size": _shm_size,
    "--cache-from": _cache_from,
}
_FLAGS: dict[str, _Apply] = {"--no-cache": _no_cache, "--pull": _pull}

# Options with no Engine API parameter, and why where there is more to say than that.
_NOT_APPLIED_WITH_VALUE: dict[str, str | None] = {
    "-t": "develop names the image itself", "--tag": "develop names the image itself",
    "-f": "the Dockerfile is build.dockerfile", "--file": "the Dockerfile is build.dockerfile",
    "--secret": "a build secret needs a BuildKit session", "--ssh": "the SSH agent needs a BuildKit session",
    "-o": "develop loads the image into the engine", "--output": "develop loads the image into the engine",
    "--builder": "develop builds with the engine's own builder",
    "--progress": "develop shows the build's progress itself",
    "--build-context": None, "--cache-to": None, "--attest": None, "--sbom": None, "--provenance": None,
    "--allow": None, "--iidfile": None, "--metadata-file": None, "--annotation": None, "--call": None,
    "--no-cache-filter": None, "--ulimit": None, "-m": None, "--memory": None, "--memory-swap": None,
    "-c": None, "--cpu-shares": None, "--cpuset-cpus": None, "--cpuset-mems": None, "--cpu-period": None,
    "--cpu-quota": None, "--isolation": None, "--cgroup-parent": None, "--security-opt": None,
}
_NOT_APPLIED_FLAGS: dict[str, str | None] = {
    "--push": "develop loads the image into the engine", "--load": "develop loads the image into the engine",
    "-q": None, "--quiet": None, "--rm": "develop always removes the build's containers",
    "--force-rm": "develop always removes the build's containers", "--squash": None, "--compress": None,
    "--disable-content-trust": None, "--check": None, "-D": None, "--debug": None,
}


def parse_build_options(options: object, cache_from: object, environ: Mapping[str, str]) -> ParsedBuildOptions:
    """``build.options`` (a list of ``docker build`` options) and ``build.cacheFrom`` (a string or a
    list) read into Engine API build parameters; what cannot be applied is in ``problems``, with
    where they are written."""
    parsed = ParsedBuildOptions()
    _read_cache_from(parsed, cache_from)
    if options is None:
        return parsed
    if not isinstance(options, list):
        parsed.problems.append(OptionProblem("options", None, "build.options must be an array of strings: not applied",
                                             "warning"))
        return parsed
    i = 0
    while i < len(options):
        arg, index = options[i], i
        i += 1
        if not isinstance(arg, str):
            parsed.problems.append(OptionProblem("options", index, f"build.options[{index}] is not a string: not applied",
                                                 "warning"))
            continue
        name, eq, value = arg.partition("=") if arg.startswith("-") else (arg, "", "")
        try:
            if name in _FLAGS:
                _FLAGS[name](parsed, value if eq else "true", environ)
            elif name in _WITH_VALUE:
                if not eq:
                    if i >= len(options) or not isinstance(options[i], str):
                        parsed.problems.append(OptionProblem("options", index, f"build.options: {name} needs a value: not applied",
                                                         "warning"))
                        continue
                    value = options[i]
                    i += 1
                _WITH_VALUE[name](parsed, value, environ)
            elif name in _NOT_APPLIED_FLAGS:
                parsed.problems.append(OptionProblem("options", index, _not_applied(name, _NOT_APPLIED_FLAGS[name])))
            else:
                # the value of "--opt value" is skipped, not read as an option (or a positional) itself
                takes_value = name in _NOT_APPLIED_WITH_VALUE or (
                    name.startswith("-") and i < len(options) and isinstance(options[i], str)
                    and not options[i].startswith("-"))
                if not eq and takes_value and i < len(options):
                    i += 1
                if name in _NOT_APPLIED_WITH_VALUE:
                    parsed.problems.append(OptionProblem("options", index, _not_applied(name, _NOT_APPLIED_WITH_VALUE[name])))
                elif name.startswith("-"):
                    parsed.problems.append(OptionProblem("options", index, _not_applied(
                        name, "not a `docker build` option dockerls knows")))
                else:
                    parsed.problems.append(OptionProblem("options", index, f"build.options: {arg!r} is not an option: "
                                                         "not applied (the build context is build.context)", "warning"))
        except OptionError as err:
            parsed.problems.append(OptionProblem("options", index, f"build.options: {name}: {err}: not applied",
                                                 "warning"))
    return parsed


def _not_applied(name: str, why: str | None) -> str:
    return f"build.options: {name} is not applied ({why or 'the Engine API build has no such setting'})"


def _read_cache_from(parsed: ParsedBuildOptions, cache_from: object) -> None:
    if cache_from is None:
        return
    values = [cache_from] if isinstance(cache_from, str) else cache_from
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        parsed.problems.append(OptionProblem("cacheFrom", None, "build.cacheFrom must be a string or an array of strings: "
                                             "not applied", "warning"))
        return
    for index, value in enumerate(values):
        try:
            parsed.options.cache_from.append(cache_image(value))
        except OptionError as err:
            parsed.problems.append(OptionProblem("cacheFrom", index if isinstance(cache_from, list) else None,
                                                 f"build.cacheFrom: {err}: not applied"))


def cache_image(value: str) -> str:
    """A ``--cache-from`` value as the Engine API takes it: an image reference.  buildx's
    ``type=registry,ref=IMAGE`` is that image; other cache types (local, gha, s3...) need buildx."""
    if "=" not in value:
        if not value:
            raise OptionError("an empty image name")
        return value
    fields = dict(part.partition("=")[::2] for part in value.split(","))
    if fields.get("type", "registry") == "registry" and fields.get("ref"):
        return fields["ref"]
    raise OptionError(f"{value!r}: only images (type=registry) can be cache sources of an Engine API build")


_SIZE = re.compile(r"^(\d+(?:\.\d+)?)\s*([kmgtp]?)i?b?$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40, "p": 1 << 50}


def parse_size(text: str) -> int:
    """A size as docker's options take it (``64m``, ``1g``, ``512kb``, binary multiples): bytes."""
    match = _SIZE.match(text.strip())
    if not match:
        raise OptionError(f"{text!r} is not a size (like 64m or 1g)")
    return int(float(match.group(1)) * _UNITS[match.group(2).lower()])
