"""Every devcontainer.json key of the Dev Container specification, and what dockerls does with it.

A key in :data:`APPLIED_KEYS` shapes the plan.  A key in :data:`NOT_APPLIED` is part of the
specification but dockerls does not (or cannot) apply it: it is reported as information, never as
a failing ``check`` — the configuration is right, dockerls just does less with it than an editor
or the Dev Containers CLI would.  Any other key is not a devcontainer.json key (a typo, an old
spelling): reported as a warning.
"""

from __future__ import annotations

from dockerls.develop.plan.model import LIFECYCLE_STEPS

APPLIED_KEYS = frozenset({
    "image", "build", "dockerFile", "context", "dockerComposeFile", "service", "runServices",
    "workspaceFolder", "workspaceMount", "mounts", "containerEnv", "remoteEnv", "containerUser",
    "remoteUser", "overrideCommand", "appPort", "runArgs", "init", "privileged", "capAdd", "securityOpt",
    "shutdownAction", "initializeCommand", "forwardPorts", "features", "overrideFeatureInstallOrder",
    *LIFECYCLE_STEPS,
})

# Specification keys dockerls does not apply: the note says why (None: nothing worth saying).
NOT_APPLIED: dict[str, str | None] = {
    "name": None,
    "$schema": None,
    "customizations": "customizations are for editors and their extensions: dockerls does not apply them",
    "portsAttributes": "portsAttributes (labels, onAutoForward...) are for editors: dockerls does not use them",
    "otherPortsAttributes": "otherPortsAttributes are for editors: dockerls does not use them",
    "waitFor": "waitFor is not used: develop returns when every lifecycle command has run",
    "userEnvProbe": "userEnvProbe is not applied: lifecycle commands get containerEnv and remoteEnv, "
                    "not what a login shell would set",
    "updateRemoteUserUID": "updateRemoteUserUID is not applied: the remote user's UID/GID are not changed to "
                           "yours, so files written in the workspace may belong to another user",
    "hostRequirements": "hostRequirements are not checked: the container starts whatever this machine has",
    "secrets": "secrets (recommended secrets) are for Codespaces: dockerls does not ask for them",
    "extensions": "extensions is an old VS Code key (now customizations.vscode.extensions): not used",
    "settings": "settings is an old VS Code key (now customizations.vscode.settings): not used",
    "devPort": "devPort is an old VS Code key: not used",
}

APPLIED_BUILD_KEYS = frozenset({"dockerfile", "context", "args", "target"})
NOT_APPLIED_BUILD = {
    "options": "build.options (extra docker build options) are not applied",
    "cacheFrom": "build.cacheFrom is not applied: the local build cache is used",
}
