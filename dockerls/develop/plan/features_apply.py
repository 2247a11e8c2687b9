"""Features in the devcontainer plan (pure): finding their files, merging what they declare into the
container, the generated build files and the ``devcontainer.metadata`` label.

The merge is the Dev Containers CLI's: the features, in install order, come before devcontainer.json:
``init`` and ``privileged`` when any asks, ``capAdd``/``securityOpt`` united, ``mounts`` with the last
one for a target winning, the ``entrypoint`` scripts run before the container's command, each
lifecycle command of the features run before devcontainer.json's own for that step, and a feature's
``containerEnv`` set in the image (``ENV``), so devcontainer.json's ``containerEnv`` wins.

Where the files are: a local feature in its folder beside devcontainer.json; an OCI or tarball
feature in the download cache (``$XDG_CACHE_HOME/dockerls/features``), filled by
:mod:`dockerls.develop.features_fetch` before the plan; a feature not there yet is listed in
``plan.missing_features``.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
from typing import Any, Mapping

from dockerls.develop.plan.features import (
    FEATURE_FILE,
    Feature,
    FeatureError,
    FeatureRef,
    FeaturesBuild,
    add_dependencies,
    env_file,
    install_order,
    option_problems,
    parse_ref,
    read_definition,
)
from dockerls.develop.plan.lifecycle import LifecycleError, parse_lifecycle
from dockerls.develop.plan.model import LIFECYCLE_STEPS, ContainerSpec, DevelopPlan, Mount
from dockerls.develop.plan.mounts import MountError, mount_from_fields, parse_mount_string
from dockerls.lint.workspace_fs import WorkspaceFS

METADATA_LABEL = "devcontainer.metadata"
FEATURES_DEST = "/tmp/dev-container-features"  # where the build puts each feature's files
# What the CLI copies into the metadata label: from each feature, and from devcontainer.json.
FEATURE_METADATA_KEYS = (*LIFECYCLE_STEPS, "postAttachCommand", "init", "privileged", "capAdd", "securityOpt",
                         "entrypoint", "mounts", "customizations")
CONFIG_METADATA_KEYS = (*LIFECYCLE_STEPS, "postAttachCommand", "waitFor", "customizations", "mounts",
                        "containerEnv", "containerUser", "init", "privileged", "capAdd", "securityOpt",
                        "remoteUser", "userEnvProbe", "remoteEnv", "overrideCommand", "portsAttributes",
                        "otherPortsAttributes", "forwardPorts", "shutdownAction", "updateRemoteUserUID",
                        "hostRequirements")


def cache_root(environ: Mapping[str, str]) -> str:
    base = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "dockerls", "features")


def cache_folder(ref: FeatureRef, environ: Mapping[str, str]) -> str:
    """Where a downloaded feature's files are kept (one folder per reference and version)."""
    key = hashlib.sha256(f"{ref.resource}@{ref.version}".encode()).hexdigest()[:24]
    return os.path.join(cache_root(environ), key)


REFERENCE_FILE = ".dockerls-ref"  # in a cache folder: the reference it was downloaded for


def cached_reference(ref: FeatureRef) -> str:
    """The reference a cache folder holds, as devcontainer.json writes it."""
    if ref.digest:
        return f"{ref.resource}@{ref.digest}"
    return f"{ref.resource}:{ref.tag}" if ref.tag else ref.resource


def cached_features(environ: Mapping[str, str], limit: int = 200) -> list[tuple[str, str]]:
    """``(reference, folder)`` of the features downloaded into the cache (read only; nothing is
    fetched), at most ``limit``."""
    root = cache_root(environ)
    try:
        names = sorted(os.listdir(root))
    except OSError:
        return []
    out = []
    for name in names[:limit]:
        folder = os.path.join(root, name)
        try:
            with open(os.path.join(folder, REFERENCE_FILE), encoding="utf-8") as fh:
                written = fh.read(1024).strip()
        except OSError:
            continue
        if written and os.path.isfile(os.path.join(folder, FEATURE_FILE)):
            out.append((written, folder))
    return out


class FeatureSource:
    """Finds a feature's files: local folders through ``fs``, downloads in the cache."""

    def __init__(self, config_folder: str, fs: WorkspaceFS, environ: Mapping[str, str]):
        self.config_folder = config_folder
        self.fs = fs
        self.environ = environ
        self.missing: list[FeatureRef] = []

    def folder(self, ref: FeatureRef) -> str | None:
        if ref.kind == "local":
            folder = os.path.normpath(os.path.join(self.config_folder, ref.resource))
            if os.path.relpath(folder, self.config_folder).startswith(".."):
                raise FeatureError(f"{ref.written}: a local feature must be inside the folder of devcontainer.json")
            if not self.fs.is_dir(folder):
                raise FeatureError(f"{ref.written}: the folder {folder} does not exist")
            return folder
        folder = cache_folder(ref, self.environ)
        return folder if os.path.isfile(os.path.join(folder, FEATURE_FILE)) else None

    def resolve(self, written: str, value: Any, requested_by: str = "") -> Feature:
        """The feature named ``written``; FeatureError when it cannot be used, LookupError when it is
        not downloaded yet."""
        ref = parse_ref(written)
        folder = self.folder(ref)
        if folder is None:
            if ref not in self.missing:
                self.missing.append(ref)
            raise LookupError(written)
        path = os.path.join(folder, FEATURE_FILE)
        if ref.kind == "local":
            if not self.fs.is_file(path):
                raise FeatureError(f"{written}: {FEATURE_FILE} is missing in {folder}")
            text = self.fs.read_text(path)
        else:
            with open(path, encoding="utf-8-sig") as fh:
                text = fh.read()
        definition = read_definition(text, written)
        if ref.kind == "local" and definition.id != os.path.basename(folder):
            raise FeatureError(f"{written}: the id {definition.id!r} in {FEATURE_FILE} must be the folder's name")
        if ref.kind == "local" and not self.fs.is_file(os.path.join(folder, "install.sh")):
            raise FeatureError(f"{written}: install.sh is missing in {folder}")
        return Feature(ref, value, definition, folder)


def resolve_features(source: FeatureSource, written: dict[str, Any], override: list[str] | None,
                     problem) -> list[Feature] | None:
    """The features in install order; None when some are not downloaded yet (``source.missing``).
    ``problem(message, *key_path, severity=)`` reports what is wrong at the feature's key."""
    features: list[Feature] = []
    for name, value in written.items():
        try:
            feature = source.resolve(name, value)
        except LookupError:
            continue
        except FeatureError as err:
            problem(str(err), "features", name, severity="error")
            continue
        except (OSError, UnicodeDecodeError) as err:
            problem(f"{name}: cannot read the feature: {getattr(err, 'strerror', None) or err}", "features", name,
                    severity="error")
            continue
        for option, message in option_problems(feature.definition, value):
            path = ("features", name, option) if option and isinstance(value, dict) else ("features", name)
            problem(message, *path, severity="error")
        features.append(feature)
    if source.missing:
        return None

    def dependency(written_ref: str, value: Any, requested_by: str) -> Feature:
        try:
            return source.resolve(written_ref, value, requested_by)
        except (OSError, UnicodeDecodeError) as err:
            raise FeatureError(f"{requested_by} depends on {written_ref}, which cannot be read: {err}") from None

    try:
        return install_order(add_dependencies(features, dependency), override)
    except LookupError:
        return None  # a dependency to download first (source.missing)
    except FeatureError as err:
        problem(str(err), "features", severity="error")
        return None


# -- the merge -------------------------------------------------------------------------------------

def _feature_mounts(feature: Feature, folder: str) -> list[Mount]:
    out = []
    for item in feature.definition.get("mounts") or []:
        try:
            if isinstance(item, str):
                out.append(parse_mount_string(item, folder))
            elif isinstance(item, dict):
                out.append(mount_from_fields(item, folder))
        except MountError as err:
            raise FeatureError(f"feature {feature.user_id}: mount {item!r}: {err}") from None
    return out


def merge_into_container(spec: ContainerSpec, features: list[Feature], folder: str) -> list[str]:
    """Fold what the features declare into the container; returns the entrypoint scripts."""
    mounts: list[Mount] = []
    for feature in features:
        d = feature.definition
        spec.init = spec.init or d.get("init") is True
        spec.privileged = spec.privileged or d.get("privileged") is True
        for key, target in (("capAdd", spec.cap_add), ("securityOpt", spec.security_opt)):
            for item in d.get(key) or []:
                if isinstance(item, str) and item not in target:
                    target.append(item)
        mounts.extend(_feature_mounts(feature, folder))
    # the features' mounts first; for one target the last written wins (devcontainer.json's)
    merged = [*mounts, *spec.mounts]
    spec.mounts = [m for i, m in enumerate(merged) if all(later.target != m.target for later in merged[i + 1:])]
    return [e for f in features if isinstance(e := f.definition.get("entrypoint"), str) and e]


def with_entrypoints(entrypoint: list[str], scripts: list[str]) -> list[str]:
    """The keep-alive entrypoint running the features' entrypoint scripts first, as the CLI does."""
    if not scripts or len(entrypoint) != 4 or entrypoint[:2] != ["/bin/sh", "-c"]:
        return entrypoint
    body = entrypoint[2].replace('exec "$@"', "\n".join(scripts) + '\nexec "$@"', 1)
    return [entrypoint[0], entrypoint[1], body, entrypoint[3]]


def merge_lifecycle(plan: DevelopPlan, features: list[Feature]) -> list[str]:
    """Each step's feature commands (install order) before devcontainer.json's; problems found."""
    problems = []
    own = plan.lifecycle
    out = []
    for step in LIFECYCLE_STEPS:
        for feature in features:
            try:
                command = parse_lifecycle(step, feature.definition.get(step))
            except LifecycleError as err:
                problems.append(f"feature {feature.user_id}: {err}")
                continue
            if command is not None:
                out.append(command)
        out.extend(c for c in own if c.step == step)
    plan.lifecycle = out
    return problems


def metadata_label(features: list[Feature], config_raw: dict[str, Any]) -> str:
    """``devcontainer.metadata`` as the Dev Containers CLI writes it: one entry per feature
    (``id`` and what it declares), then devcontainer.json's own entry, empty entries left out;
    several entries as ``[ {...}, {...} ]``, a single one as the bare object (the CLI's text)."""
    entries: list[dict[str, Any]] = []
    for feature in features:
        entry = {"id": feature.user_id}
        entry.update({k: feature.definition.raw[k] for k in FEATURE_METADATA_KEYS if k in feature.definition.raw})
        entries.append(entry)
    own = config_metadata_entry(config_raw)
    if own:
        entries.append(own)
    texts = [json.dumps(e, separators=(",", ":"), ensure_ascii=False) for e in entries]
    return texts[0] if len(texts) == 1 else "[ " + ", ".join(texts) + " ]"


def config_metadata_entry(config_raw: dict[str, Any]) -> dict[str, Any]:
    """devcontainer.json's own entry of the label: its keys as written (variables unsubstituted)."""
    return {k: config_raw[k] for k in CONFIG_METADATA_KEYS if k in config_raw}


def config_metadata_label(config_raw: dict[str, Any]) -> str:
    """The label of a container without features, as the CLI writes it on the container: the list
    of devcontainer.json's entry (``[]`` when it has none of the keys)."""
    own = config_metadata_entry(config_raw)
    return json.dumps([own] if own else [], separators=(",", ":"), ensure_ascii=False)


def metadata_entries(label: str) -> list[dict[str, Any]]:
    """The label read back: always a list of entries."""
    value = json.loads(label)
    return value if isinstance(value, list) else [value]


# -- the build files -------------------------------------------------------------------------------

def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def install_wrapper(feature: Feature) -> str:
    """The script that runs a feature's install.sh with its options and the builtin variables."""
    d = feature.definition
    options = [f"    {k}={json.dumps(v)}" for k, v in feature.values().items()]
    lines = ["#!/bin/sh", "set -e", "",
             f"echo {_quote('Feature       : ' + str(d.get('name') or d.id))}",
             f"echo {_quote('Id            : ' + feature.user_id)}",
             f"echo {_quote('Version       : ' + str(d.get('version') or ''))}",
             f"echo {_quote('Options       :')}", *[f"echo {_quote(o)}" for o in options], "",
             "set -a", ". ../devcontainer-features.builtin.env", ". ./devcontainer-features.env", "set +a", "",
             "chmod +x ./install.sh",
             f"./install.sh || {{ echo {_quote(f'ERROR: Feature {feature.user_id} failed to install')} >&2; exit 1; }}",
             ""]
    return "\n".join(lines)


def feature_files(feature: Feature) -> dict[str, str]:
    return {"devcontainer-features.env": env_file(feature.values()),
            "devcontainer-features-install.sh": install_wrapper(feature)}


def _env_value(value: Any) -> str:
    return json.dumps("" if value is None else str(value))


def dockerfile_text(build: FeaturesBuild, base: str, container_user: str, remote_user: str, image_user: str) -> str:
    """The extended image's Dockerfile: the base image, then each feature's files and install.sh
    (its containerEnv first), then the image's own user back, and the metadata label.  The build
    folder holds ``devcontainer-features.builtin.env`` and one folder per feature."""
    out = [f"FROM {base}", "USER root",
           f"COPY devcontainer-features.builtin.env {FEATURES_DEST}/",
           f"RUN echo \"_CONTAINER_USER_HOME=$(getent passwd {container_user} | cut -d: -f6)\" "
           f">> {FEATURES_DEST}/devcontainer-features.builtin.env && "
           f"echo \"_REMOTE_USER_HOME=$(getent passwd {remote_user} | cut -d: -f6)\" "
           f">> {FEATURES_DEST}/devcontainer-features.builtin.env", ""]
    for feature in build.features:
        env = feature.definition.get("containerEnv")
        if isinstance(env, dict) and env:
            out.append("ENV " + " ".join(f"{k}={_env_value(v)}" for k, v in env.items()))
        dest = posixpath.join(FEATURES_DEST, feature.consecutive_id)
        out += [f"COPY --chown=root:root {feature.consecutive_id} {dest}",
                f"RUN chmod -R 0755 {dest} && cd {dest} && chmod +x ./devcontainer-features-install.sh "
                "&& ./devcontainer-features-install.sh", ""]
    out += [f"USER {image_user}", f"LABEL {METADATA_LABEL}={label_value(build.metadata)}", ""]
    return "\n".join(out)


def label_value(text: str) -> str:
    """``text`` as a quoted LABEL value: the builder substitutes ``$VAR`` there, so every ``$`` (say in
    an unsubstituted ``${localWorkspaceFolder}``, which the label keeps as written) is escaped."""
    return json.dumps(text).replace("$", "\\$")


def builtin_env(container_user: str, remote_user: str) -> str:
    return f"_CONTAINER_USER={container_user}\n_REMOTE_USER={remote_user}\n"


def features_tag(base_tag: str, features: list[Feature], metadata: str) -> str:
    """The extended image's tag: the base's name, and a hash of what the features make of it."""
    text = json.dumps([base_tag, metadata, [[f.user_id, f.values(), f.definition.raw] for f in features]],
                      sort_keys=True, default=str)
    from dockerls.develop.plan.hashing import docker_name

    name = base_tag.split("@", 1)[0]
    if ":" in name.rsplit("/", 1)[-1]:
        name = name.rsplit(":", 1)[0]
    return f"dockerls-features-{docker_name(name)}:{hashlib.sha256(text.encode()).hexdigest()[:12]}"


# -- the devcontainer.json flow --------------------------------------------------------------------

def apply_features(reader, spec: ContainerSpec, raw: dict[str, Any], data: dict[str, Any]) -> list[Feature]:
    """Resolve devcontainer.json's ``features`` and fold them into ``spec`` (``spec.features`` is the
    extended image to build); problems go to ``reader.problem``.  The features, in install order."""
    written = data.get("features")
    if written is None or written == {}:
        return []
    if not isinstance(written, dict):
        reader.problem("features must be an object: feature reference -> options", "features", severity="error")
        return []
    override = data.get("overrideFeatureInstallOrder")
    if override is not None and not (isinstance(override, list) and all(isinstance(o, str) for o in override)):
        reader.problem("overrideFeatureInstallOrder must be an array of feature references: ignored",
                       "overrideFeatureInstallOrder", severity="error")
        override = None
    source = FeatureSource(reader.config.folder, reader.options.fs, reader.environ)
    features = resolve_features(source, written, override, reader.problem)
    reader.missing_features = [ref.written for ref in source.missing]
    if not features:
        return []
    try:
        scripts = merge_into_container(spec, features, reader.folder)
    except FeatureError as err:
        reader.problem(str(err), "features", severity="error")
        return []
    if spec.entrypoint is not None:
        spec.entrypoint = with_entrypoints(spec.entrypoint, scripts)
    elif scripts:
        reader.problem("the features' entrypoint scripts run only when overrideCommand is not false",
                       "overrideCommand")
    metadata = metadata_label(features, raw)
    base = spec.build.tag if spec.build else spec.image
    user = data.get("containerUser") if isinstance(data.get("containerUser"), str) else None
    remote = data.get("remoteUser") if isinstance(data.get("remoteUser"), str) else None
    spec.features = FeaturesBuild(features_tag(base, features, metadata), base, features, metadata, user, remote,
                                  {f.consecutive_id: feature_files(f) for f in features})
    spec.image = spec.features.tag
    spec.labels[METADATA_LABEL] = metadata
    return features


def finish_features(reader, plan: DevelopPlan, features: list[Feature]) -> None:
    """The features' lifecycle commands, and what is still to download, into the plan."""
    plan.missing_features = list(reader.missing_features)
    for message in merge_lifecycle(plan, features):
        reader.problem(message, "features", severity="error")
        plan.problems.append(reader.problems[-1])
