"""devcontainer.json variables, substituted as the Dev Containers CLI does.

=====================================  =======================================================
``${localWorkspaceFolder}``            the workspace folder on the host (absolute)
``${localWorkspaceFolderBasename}``    its last part
``${containerWorkspaceFolder}``        the workspace folder inside the container
``${containerWorkspaceFolderBasename}`` its last part
``${localEnv:VAR}``                    a host environment variable ('' when unset);
``${localEnv:VAR:default}``            ... with a default (``${env:VAR}`` is the old spelling)
``${containerEnv:VAR}``                a variable of the running container: only known once the
                                       container runs, so it is left in place here and resolved by
                                       :func:`substitute_container_env` (remoteEnv, lifecycle)
``${devcontainerId}``                  a stable id of the container's configuration
=====================================  =======================================================

Unknown variables are left as written, as the Dev Containers CLI leaves them.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Any, Mapping

_VARIABLE = re.compile(r"\$\{([^{}]+)\}")


@dataclass(slots=True)
class Variables:
    local_folder: str
    container_folder: str | None = None
    environ: Mapping[str, str] | None = None
    devcontainer_id: str | None = None

    def lookup(self, expression: str) -> str | None:
        """The value of ``${expression}``, or None to leave it as written."""
        name, _, rest = expression.partition(":")
        if name == "localWorkspaceFolder":
            return self.local_folder
        if name == "localWorkspaceFolderBasename":
            return posixpath.basename(self.local_folder.rstrip("/")) or self.local_folder
        if name == "containerWorkspaceFolder" and self.container_folder is not None:
            return self.container_folder
        if name == "containerWorkspaceFolderBasename" and self.container_folder is not None:
            return posixpath.basename(self.container_folder.rstrip("/"))
        if name == "devcontainerId" and self.devcontainer_id is not None:
            return self.devcontainer_id
        if name in ("localEnv", "env") and rest:
            var, _, default = rest.partition(":")
            environ = self.environ or {}
            return environ.get(var, default)
        return None


def substitute(value: Any, variables: Variables) -> Any:
    """``value`` (a string, or lists and dicts of them) with the variables replaced."""
    if isinstance(value, str):
        if "${" not in value:
            return value
        return _VARIABLE.sub(lambda m: _replacement(m, variables), value)
    if isinstance(value, list):
        return [substitute(v, variables) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, variables) for k, v in value.items()}
    return value


def _replacement(match: re.Match, variables: Variables) -> str:
    found = variables.lookup(match.group(1))
    return match.group(0) if found is None else found


def has_container_env(value: Any) -> bool:
    if isinstance(value, str):
        return "${containerEnv:" in value
    if isinstance(value, list):
        return any(has_container_env(v) for v in value)
    if isinstance(value, dict):
        return any(has_container_env(v) for v in value.values())
    return False


def substitute_container_env(value: Any, container_env: Mapping[str, str]) -> Any:
    """Resolve ``${containerEnv:VAR}`` / ``${containerEnv:VAR:default}`` against the running
    container's environment."""

    def lookup(match: re.Match) -> str:
        name, _, rest = match.group(1).partition(":")
        if name != "containerEnv" or not rest:
            return match.group(0)
        var, _, default = rest.partition(":")
        return container_env.get(var, default)

    if isinstance(value, str):
        return _VARIABLE.sub(lookup, value) if "${" in value else value
    if isinstance(value, list):
        return [substitute_container_env(v, container_env) for v in value]
    if isinstance(value, dict):
        return {k: substitute_container_env(v, container_env) for k, v in value.items()}
    return value


def env_list_to_dict(items: list[str]) -> dict[str, str]:
    """``["A=1", "B"]`` (docker's Config.Env) as a dict."""
    out: dict[str, str] = {}
    for item in items or []:
        key, _, val = item.partition("=")
        out[key] = val
    return out
