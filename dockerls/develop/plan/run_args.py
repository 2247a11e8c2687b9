"""devcontainer ``runArgs``: the ``docker run`` options dockerls understands, applied to a
:class:`ContainerSpec`; every other option is reported (with its position), never dropped silently.
"""

from __future__ import annotations

import os
from typing import Callable

from dockerls.develop.plan.model import ContainerSpec
from dockerls.develop.plan.mounts import MountError, parse_mount_string, parse_volume_string
from dockerls.develop.plan.ports import PortError, parse_port

# option -> (takes a value, what to do with it)
_Apply = Callable[[ContainerSpec, str, str], None]


def _env(spec: ContainerSpec, value: str, base: str) -> None:
    key, eq, val = value.partition("=")
    if not eq:
        val = os.environ.get(key, "")  # docker run -e NAME copies the host's value
    spec.environment[key] = val


def _label(spec: ContainerSpec, value: str, base: str) -> None:
    key, _, val = value.partition("=")
    spec.labels[key] = val


def _port(spec: ContainerSpec, value: str, base: str) -> None:
    spec.ports.extend(parse_port(value))


def _volume(spec: ContainerSpec, value: str, base: str) -> None:
    spec.mounts.append(parse_volume_string(value, base))


def _mount(spec: ContainerSpec, value: str, base: str) -> None:
    spec.mounts.append(parse_mount_string(value, base))


def _add_host(spec: ContainerSpec, value: str, base: str) -> None:
    host, sep, ip = value.partition(":")
    if not sep:
        host, _, ip = value.partition("=")
    spec.extra_hosts[host] = ip


def _setter(attribute: str) -> _Apply:
    def apply(spec: ContainerSpec, value: str, base: str) -> None:
        setattr(spec, attribute, value)

    return apply


def _appender(attribute: str) -> _Apply:
    def apply(spec: ContainerSpec, value: str, base: str) -> None:
        getattr(spec, attribute).append(value)

    return apply


def _flag(attribute: str) -> _Apply:
    def apply(spec: ContainerSpec, value: str, base: str) -> None:
        setattr(spec, attribute, value.lower() not in ("false", "0"))

    return apply


def _both(first: _Apply, second: _Apply) -> _Apply:
    def apply(spec: ContainerSpec, value: str, base: str) -> None:
        first(spec, value, base)
        second(spec, value, base)

    return apply


_WITH_VALUE: dict[str, _Apply] = {
    "--cap-add": _appender("cap_add"),
    "--security-opt": _appender("security_opt"),
    "-e": _env, "--env": _env,
    "-p": _port, "--publish": _port,
    "--name": _setter("name"),
    "-l": _label, "--label": _label,
    "-v": _volume, "--volume": _volume,
    "--mount": _mount,
    "--network": _setter("network"), "--net": _setter("network"),
    "-u": _setter("user"), "--user": _setter("user"),
    "-h": _setter("hostname"), "--hostname": _setter("hostname"),
    "--add-host": _add_host,
    "-w": _setter("workdir"), "--workdir": _setter("workdir"),
}
_FLAGS: dict[str, _Apply] = {
    "--privileged": _flag("privileged"),
    "--init": _flag("init"),
    "-t": _flag("tty"), "--tty": _flag("tty"),
    "-i": _flag("stdin_open"), "--interactive": _flag("stdin_open"),
    "-it": _both(_flag("tty"), _flag("stdin_open")),
}
# Options that make no sense for a development container (develop decides them itself).
_IGNORED = {"--rm", "-d", "--detach"}


def apply_run_args(spec: ContainerSpec, args: list, base: str) -> list[tuple[int, str]]:
    """Apply ``args`` to ``spec``; returns ``(index in runArgs, message)`` for what was not applied."""
    problems: list[tuple[int, str]] = []
    i = 0
    while i < len(args):
        arg = args[i]
        index = i
        i += 1
        if not isinstance(arg, str):
            problems.append((index, f"runArgs[{index}] is not a string"))
            continue
        name, eq, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if name in _FLAGS:
            _FLAGS[name](spec, value if eq else "true", base)
        elif name in _WITH_VALUE:
            if not eq:
                if i >= len(args) or not isinstance(args[i], str):
                    problems.append((index, f"runArgs: {name} needs a value"))
                    continue
                value = args[i]
                i += 1
            try:
                _WITH_VALUE[name](spec, value, base)
            except (MountError, PortError) as err:
                problems.append((index, f"runArgs: {err}"))
        elif name in _IGNORED:
            problems.append((index, f"runArgs: {name} is ignored (develop manages the container's life)"))
        else:
            # Skip the value of an unknown "--opt value" so it is not read as an option itself.
            if not eq and name.startswith("-") and i < len(args) and isinstance(args[i], str) \
                    and not args[i].startswith("-"):
                i += 1
            problems.append((index, f"runArgs: {arg if eq else name} is not supported yet"))
    return problems
