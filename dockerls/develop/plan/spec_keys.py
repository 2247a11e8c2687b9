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
    "hostRequirements", "userEnvProbe", "updateRemoteUserUID", "waitFor", "portsAttributes", "otherPortsAttributes",
    *LIFECYCLE_STEPS,
})

# Specification keys dockerls does not apply: the note says why (None: nothing worth saying).
NOT_APPLIED: dict[str, str | None] = {
    "name": None,
    "$schema": None,
    "customizations": "customizations are for editors and their extensions: dockerls does not apply them",
    "secrets": "secrets (recommended secrets) are for Codespaces: dockerls does not ask for them",
    "extensions": "extensions is an old VS Code key (now customizations.vscode.extensions): not used",
    "settings": "settings is an old VS Code key (now customizations.vscode.settings): not used",
    "devPort": "devPort is an old VS Code key: not used",
}

APPLIED_BUILD_KEYS = frozenset({"dockerfile", "context", "args", "target", "options", "cacheFrom"})
NOT_APPLIED_BUILD: dict[str, str] = {}  # build.* keys of the specification dockerls does not apply: none now

# What dockerls does with every key above, for the table in docs/devcontainer-spec.md (generated from
# this: ``python -m dockerls.develop.plan.spec_keys``; tests/develop/plan/test_spec_keys.py checks that
# the file and the sets above agree).  key -> (supported | partial | not, one line why).
SUPPORTED, PARTIAL, NOT = "supported", "partial", "not"
SUPPORT: dict[str, tuple[str, str]] = {
    # general
    "name": (NOT, "a display name for editors; dockerls names containers after the folder"),
    "$schema": (NOT, "for editors' validation of the file"),
    "forwardPorts": (PARTIAL, "published on 127.0.0.1 at the same number when the container is created (a taken "
                              "one: another free port, not with dockerComposeFile), and develop says where; \"host:port\" of another compose "
                              "service is not forwarded"),
    "portsAttributes": (PARTIAL, "`label` names the port where develop reports it, `requireLocalPort` makes a taken "
                                 "local port an error; dockerls forwards only forwardPorts (no auto-forward: "
                                 "`onAutoForward` has nothing to act on), `protocol` and `elevateIfNeeded` are for editors"),
    "otherPortsAttributes": (PARTIAL, "as portsAttributes, for the forwardPorts that portsAttributes does not name"),
    "containerEnv": (SUPPORTED, "set on the container (features' values in the image first, as the CLI)"),
    "remoteEnv": (SUPPORTED, "given to the lifecycle commands and `dockerls exec`, "
                             "`${containerEnv:...}` resolved in the container"),
    "containerUser": (SUPPORTED, "the container's user"),
    "remoteUser": (SUPPORTED, "the user of the lifecycle commands and exec; features see it as `_REMOTE_USER`"),
    "updateRemoteUserUID": (SUPPORTED, "on Linux (default true) an image on the container's gives a non-root remote "
                                       "user the local user's UID/GID (with dockerComposeFile on the service's image, "
                                       "which the override names); not built for a root local user, whose UID the "
                                       "CLI's image leaves as it is"),
    "userEnvProbe": (SUPPORTED, "the remote user's shell prints its environment (default loginInteractiveShell, "
                                "10 s at most); lifecycle commands and `dockerls exec` start from it, remoteEnv on top"),
    "overrideCommand": (SUPPORTED, "the CLI's keep-alive entrypoint (default true); with compose (default false) "
                                   "the service's command runs under it unless true, as the CLI's override has it"),
    "shutdownAction": (PARTIAL, "no window closes to stop the containers: `dockerls down` removes the compose "
                                "project (`stopCompose`), or only the dev container's service with `none`"),
    "init": (SUPPORTED, "docker's init process"),
    "privileged": (SUPPORTED, "a privileged container"),
    "capAdd": (SUPPORTED, "added capabilities (features' united with devcontainer.json's)"),
    "securityOpt": (SUPPORTED, "security options (features' united with devcontainer.json's)"),
    "mounts": (PARTIAL, "bind, volume and tmpfs mounts with source, target and readonly; other `--mount` "
                        "options are reported and not applied"),
    "features": (SUPPORTED, "local, OCI and tarball features built into an extended image with the CLI's "
                            "metadata label; with dockerComposeFile on the service's image, which the override names"),
    "overrideFeatureInstallOrder": (SUPPORTED, "the features' install order"),
    "customizations": (NOT, "for editors and their extensions (kept in the metadata label)"),
    "hostRequirements": (PARTIAL, "cpus, memory and gpu compared with the engine's (`/info`) at develop: a warning "
                                  "when below, never a failure; storage is not known, not checked"),
    "secrets": (NOT, "recommended secrets are for Codespaces"),
    # image or Dockerfile
    "image": (SUPPORTED, "the image (pulled when missing)"),
    "build": (SUPPORTED, "a Dockerfile build: see the build.* keys"),
    "build.dockerfile": (SUPPORTED, "relative to devcontainer.json"),
    "build.context": (SUPPORTED, "relative to devcontainer.json"),
    "build.args": (SUPPORTED, "build arguments, variables substituted"),
    "build.target": (SUPPORTED, "the build stage"),
    "build.options": (PARTIAL, "the `docker build` options the Engine API's build has (`--build-arg --label "
                               "--target --network --platform --add-host --shm-size --no-cache --pull --cache-from`), "
                               "in both forms (`--opt value`, `--opt=value`); others (`--secret --ssh --output "
                               "--push`...) are reported and not applied"),
    "build.cacheFrom": (PARTIAL, "images (a string or a list) whose layers the build may reuse (`type=registry,ref=` "
                                   "too); other cache types need buildx and are reported"),
    "dockerFile": (SUPPORTED, "the old spelling of build.dockerfile"),
    "context": (SUPPORTED, "the old spelling of build.context"),
    "appPort": (SUPPORTED, "published; a bare number on 127.0.0.1, as the CLI"),
    "workspaceMount": (SUPPORTED, "the workspace's mount (empty: none)"),
    "workspaceFolder": (SUPPORTED, "where the workspace is in the container; the commands' working folder"),
    "runArgs": (PARTIAL, "the `docker run` options dockerls knows (`-e -l -p -v -u -w -h --mount --network "
                         "--cap-add --security-opt --add-host --init --privileged`...); others are reported"),
    # Docker Compose
    "dockerComposeFile": (SUPPORTED, "one file or a list, passed to Docker Compose (`-f`, in order) with dockerls' "
                                     "override file; the project named as the CLI names it"),
    "service": (SUPPORTED, "the dev container's service"),
    "runServices": (SUPPORTED, "the services started with it (default: all)"),
    # lifecycle
    "initializeCommand": (PARTIAL, "runs on the host only when allowed (`--allow-host-commands`)"),
    "onCreateCommand": (SUPPORTED, "once per container, features' commands first"),
    "updateContentCommand": (SUPPORTED, "once per container, after onCreateCommand"),
    "postCreateCommand": (SUPPORTED, "once per container, after updateContentCommand"),
    "postStartCommand": (SUPPORTED, "every time develop starts the container"),
    "postAttachCommand": (SUPPORTED, "at every develop (develop is the attach)"),
    "waitFor": (PARTIAL, "once its command has run (default updateContentCommand) develop says the container is "
                         "ready (a CLI line, the editor's message); the later commands go on, and develop returns "
                         "when they have run"),
    # old VS Code keys
    "extensions": (NOT, "an old VS Code key (now customizations.vscode.extensions)"),
    "settings": (NOT, "an old VS Code key (now customizations.vscode.settings)"),
    "devPort": (NOT, "an old VS Code key"),
}


def support_table() -> str:
    """The markdown table of :data:`SUPPORT`, as docs/devcontainer-spec.md holds it."""
    lines = ["| Key | dockerls | Why |", "|-----|----------|-----|"]
    lines += [f"| `{key}` | {status} | {why} |" for key, (status, why) in SUPPORT.items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(support_table(), end="")
