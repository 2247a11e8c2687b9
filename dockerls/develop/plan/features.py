"""Dev Container features (pure): references, devcontainer-feature.json, options and install order.

A feature is named in devcontainer.json's ``features`` map by a reference:

- an OCI reference: ``ghcr.io/devcontainers/features/node:1`` (tag), ``...@sha256:...`` (digest),
  no tag meaning ``latest``;
- a tarball URL: ``https://.../devcontainer-feature-<id>.tgz``;
- a local feature: ``./my-feature`` (a folder beside devcontainer.json, never outside it).

The value is the feature's options: an object, or a string (the ``version`` option when the
feature has one), or ``true``.  Each option becomes a variable in the feature's env file as the
spec says (:func:`safe_id`): the feature's defaults, overridden by the values written.

The install order follows the spec's round-based algorithm (:func:`install_order`): ``dependsOn``
(hard: the dependency is installed, added when missing) and ``installsAfter`` (soft: only when the
other feature is there) decide which features may install in a round; ``overrideFeatureInstallOrder``
lets the highest-priority ones go first; ties are broken by the reference, so the order is stable.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable

FEATURE_FILE = "devcontainer-feature.json"
LOCAL_PREFIXES = ("./", "../")


class FeatureError(ValueError):
    """A feature that cannot be used: a bad reference, a missing file, a cycle of dependencies."""


@dataclass(frozen=True, slots=True)
class FeatureRef:
    """Where a feature comes from; ``resource`` is the reference without tag or digest."""

    kind: str  # "oci", "tarball" or "local"
    written: str  # as in devcontainer.json
    resource: str  # oci: registry/path; tarball: the URL; local: the relative path
    tag: str | None = None  # oci only
    digest: str | None = None  # oci only

    @property
    def registry(self) -> str:
        return self.resource.split("/", 1)[0]

    @property
    def repository(self) -> str:
        return self.resource.split("/", 1)[1]

    @property
    def version(self) -> str:
        """What the registry is asked for: the digest, else the tag."""
        return self.digest or self.tag or "latest"


_OCI_PATH = re.compile(r"^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$")
_TAG = re.compile(r"^[\w][\w.-]{0,127}$")
_DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")


def parse_ref(written: str) -> FeatureRef:
    """The reference as written in devcontainer.json's ``features``; FeatureError when it is none."""
    text = written.strip()
    if text.startswith(LOCAL_PREFIXES):
        return FeatureRef("local", written, text.rstrip("/"))
    if text.startswith("/"):
        raise FeatureError(f"{written}: a local feature must be a relative path (./name) beside devcontainer.json")
    if text.startswith("https://"):
        name = text.rsplit("/", 1)[-1]
        if not re.fullmatch(r"devcontainer-feature-[A-Za-z0-9_-]+\.tgz", name):
            raise FeatureError(f"{written}: a tarball must be named devcontainer-feature-<id>.tgz")
        return FeatureRef("tarball", written, text)
    if text.startswith("http://"):
        raise FeatureError(f"{written}: features are only fetched over https")
    if "/" not in text:
        raise FeatureError(f"{written}: not a feature reference (expected registry/namespace/id:version, "
                           "./local-folder or an https tarball URL)")
    digest = tag = None
    resource = text
    if "@" in text:
        resource, digest = text.split("@", 1)
        if not _DIGEST.match(digest):
            raise FeatureError(f"{written}: the digest must be sha256:<64 hex digits>")
    else:
        head, _, last = text.rpartition("/")
        if ":" in last:
            name, tag = last.split(":", 1)
            resource = f"{head}/{name}"
            if not _TAG.match(tag):
                raise FeatureError(f"{written}: {tag!r} is not a valid tag")
    registry, _, path = resource.partition("/")
    if not path or not _OCI_PATH.match(path) or not re.fullmatch(r"[A-Za-z0-9.-]+(:\d+)?", registry):
        raise FeatureError(f"{written}: not a valid OCI reference (registry/namespace/id:version)")
    return FeatureRef("oci", written, resource, tag if digest is None else None, digest)


@dataclass(slots=True)
class FeatureDefinition:
    """What a feature's devcontainer-feature.json says (the keys dockerls uses; ``raw`` for the rest)."""

    id: str
    raw: dict[str, Any]

    @property
    def options(self) -> dict[str, dict]:
        value = self.raw.get("options")
        return {k: v for k, v in value.items() if isinstance(v, dict)} if isinstance(value, dict) else {}

    def get(self, key: str, default: Any = None) -> Any:
        return self.raw.get(key, default)

    @property
    def installs_after(self) -> list[str]:
        value = self.raw.get("installsAfter")
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []

    @property
    def depends_on(self) -> dict[str, Any]:
        value = self.raw.get("dependsOn")
        return dict(value) if isinstance(value, dict) else {}

    def describe(self) -> str:
        """Markdown for a hover: name, description, options."""
        lines = [f"**{self.raw.get('name') or self.id}** {self.raw.get('version') or ''}".rstrip()]
        if self.raw.get("description"):
            lines += ["", str(self.raw["description"])]
        if self.options:
            lines += ["", "| option | type | default | description |", "|---|---|---|---|"]
            for name, option in self.options.items():
                default = json.dumps(option.get("default")) if "default" in option else ""
                text = str(option.get("description", "")).replace("|", "\\|").replace("\n", " ")
                lines.append(f"| `{name}` | {option.get('type', '')} | {default} | {text} |")
        if self.raw.get("documentationURL"):
            lines += ["", f"[Documentation]({self.raw['documentationURL']})"]
        return "\n".join(lines)


def read_definition(text: str, where: str) -> FeatureDefinition:
    from dockerls.parse.devcontainer.jsonc import JsoncError, parse_jsonc

    try:
        value = parse_jsonc(text).value
    except JsoncError as err:
        raise FeatureError(f"{where}: {FEATURE_FILE} is not valid JSON: {err.message}") from None
    if not isinstance(value, dict) or not isinstance(value.get("id"), str) or not value["id"]:
        raise FeatureError(f"{where}: {FEATURE_FILE} must be an object with an id")
    return FeatureDefinition(value["id"], value)


# -- options ---------------------------------------------------------------------------------------

def safe_id(name: str) -> str:
    """An option's variable name, as the spec says: non-word characters become ``_``, leading
    digits and underscores become one ``_``, then upper case."""
    return re.sub(r"^[\d_]+", "_", re.sub(r"[^\w]", "_", name)).upper()


def option_values(definition: FeatureDefinition, value: Any) -> dict[str, Any]:
    """The feature's option defaults overridden by what devcontainer.json gives it."""
    out = {name: option["default"] for name, option in definition.options.items() if "default" in option}
    if isinstance(value, dict):
        out.update(value)
    elif isinstance(value, str) and "version" in definition.options:
        out["version"] = value
    return out


def _text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else "" if value is None else str(value)


def env_file(values: dict[str, Any]) -> str:
    """The feature's ``devcontainer-features.env``: ``NAME="value"`` per option."""
    lines = []
    for name, value in values.items():
        escaped = _text(value).replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$").replace("`", "\\`")
        lines.append(f'{safe_id(name)}="{escaped}"')
    return "\n".join(lines) + ("\n" if lines else "")


def option_problems(definition: FeatureDefinition, value: Any) -> list[tuple[str | None, str]]:
    """What is wrong with the options given to a feature: (option name or None, message)."""
    if value is None or isinstance(value, bool):
        return []
    if isinstance(value, str):
        if "version" not in definition.options:
            return [(None, f"feature {definition.id} has no version option: give its options as an object")]
        value = {"version": value}
    if not isinstance(value, dict):
        return [(None, "a feature's options must be an object, a version string or true")]
    problems: list[tuple[str | None, str]] = []
    known = definition.options
    for name, given in value.items():
        option = known.get(name)
        if option is None:
            names = ", ".join(sorted(known)) or "none"
            problems.append((name, f"feature {definition.id} has no option {name!r} (its options: {names})"))
            continue
        kind = option.get("type")
        if kind == "boolean" and not isinstance(given, bool):
            problems.append((name, f"option {name!r} of feature {definition.id} is a boolean: write true or false"))
        elif kind == "string":
            if not isinstance(given, str):
                problems.append((name, f"option {name!r} of feature {definition.id} is a string: quote the value"))
            elif isinstance(option.get("enum"), list) and given not in option["enum"]:
                allowed = ", ".join(json.dumps(v) for v in option["enum"])
                problems.append((name, f"option {name!r} of feature {definition.id} must be one of {allowed}"))
    return problems


# -- install order ---------------------------------------------------------------------------------

@dataclass(slots=True)
class Feature:
    """A feature to install: its reference, options and definition, and where its files are."""

    ref: FeatureRef
    value: Any  # the options as written (object, string or true)
    definition: FeatureDefinition
    folder: str  # the feature's files (a local folder or the cache)
    added_by: str | None = None  # the feature whose dependsOn brought it in
    consecutive_id: str = ""  # <id>_<n>, the build folder's name (set in install order)

    @property
    def user_id(self) -> str:
        return self.ref.written

    def values(self) -> dict[str, Any]:
        return option_values(self.definition, self.value)


def _resource_key(text: str) -> str:
    """A reference without its tag or digest, to match installsAfter / dependsOn / override entries."""
    try:
        return parse_ref(text).resource
    except FeatureError:
        return text.strip()


def _same(feature: Feature, key: str) -> bool:
    return feature.ref.resource == key or feature.definition.id == key


Resolver = Callable[[str, Any, str], Feature]  # (reference, options, requested by) -> Feature


def add_dependencies(features: list[Feature], resolve: Resolver) -> list[Feature]:
    """``features`` plus every ``dependsOn`` not among them (recursively), resolved by ``resolve``."""
    out = list(features)
    queue = list(features)
    while queue:
        feature = queue.pop(0)
        for written, options in feature.definition.depends_on.items():
            key = _resource_key(written)
            wanted = options if isinstance(options, dict) else {}
            if any(_same(f, key) and _options_key(f.value) == _options_key(wanted) for f in out):
                continue
            if any(_same(f, key) for f in out) and not wanted:
                continue
            added = resolve(written, wanted, feature.user_id)
            added.added_by = feature.user_id
            out.append(added)
            queue.append(added)
    return out


def _options_key(value: Any) -> str:
    return json.dumps(value if isinstance(value, dict) else {}, sort_keys=True)


def install_order(features: list[Feature], override: list[str] | None = None) -> list[Feature]:
    """The spec's rounds: each round installs every feature whose dependencies are installed
    (with ``overrideFeatureInstallOrder``, only those of the highest priority), sorted by reference;
    FeatureError on a cycle.  Sets each feature's ``consecutive_id``."""
    override_keys = [_resource_key(o) for o in override or []]

    def priority(feature: Feature) -> int:
        for index, key in enumerate(override_keys):
            if _same(feature, key):
                return len(override_keys) - index
        return 0

    def after(feature: Feature) -> list[Feature]:
        hard = [_resource_key(k) for k in feature.definition.depends_on]
        soft = [_resource_key(k) for k in feature.definition.installs_after]
        return [f for f in features if f is not feature and any(_same(f, k) for k in hard + soft)]

    waits = {id(f): after(f) for f in features}
    done: list[Feature] = []
    left = list(features)
    while left:
        ready = [f for f in left if all(any(d is w for d in done) for w in waits[id(f)])]
        if not ready:
            names = ", ".join(f.user_id for f in left)
            raise FeatureError(f"the features {names} depend on each other (installsAfter/dependsOn form a cycle)")
        top = max(priority(f) for f in ready)
        ready = [f for f in ready if priority(f) == top]
        ready.sort(key=lambda f: (f.ref.resource, f.ref.version, _options_key(f.value)))
        done.extend(ready)
        left = [f for f in left if not any(f is r for r in ready)]
    for index, feature in enumerate(done):
        feature.consecutive_id = f"{feature.definition.id}_{index}"
    return done


@dataclass(slots=True)
class FeaturesBuild:
    """The extended image: the base image with the features installed, in order (see
    :mod:`dockerls.develop.plan.features_apply`; the engine writes the build folder)."""

    tag: str  # the extended image's tag (the container's image)
    base: str  # the image the features are installed on (pulled, found, or built from build.dockerfile)
    features: list[Feature]
    metadata: str  # the devcontainer.metadata label (JSON)
    container_user: str | None = None  # None: the base image's user
    remote_user: str | None = None
    files: dict[str, dict[str, str]] = field(default_factory=dict)  # consecutive id -> generated file -> text
