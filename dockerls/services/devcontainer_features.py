"""Dev container features in devcontainer.json: hover (a feature's description and options) and
completion (feature ids under ``features``, a feature's option names, an option's values), once the
feature is resolvable without the network: a local folder, or a download in the cache.  Nothing is
ever fetched from here: ``dockerls develop`` downloads (:mod:`dockerls.develop.features_fetch`), the
editor reads what it left in the cache.

Besides the ids in the cache, the features the Dev Containers project publishes itself are offered
(:data:`WELL_KNOWN`), without a description until one of them is downloaded.
"""

from __future__ import annotations

import json
import os
from typing import Mapping

from dockerls.services.results import Completion, Hover

# The features published by the Dev Containers project as ghcr.io/devcontainers/features/<id>: the
# folders of src/ in https://github.com/devcontainers/features (only the ids: what each does is read
# from its devcontainer-feature.json once it is in the cache).
WELL_KNOWN = tuple(f"ghcr.io/devcontainers/features/{name}" for name in (
    "anaconda", "aws-cli", "azure-cli", "common-utils", "conda", "desktop-lite", "docker-in-docker",
    "docker-outside-of-docker", "dotnet", "git", "git-lfs", "github-cli", "go", "hugo", "java",
    "kubectl-helm-minikube", "node", "nix", "nvidia-cuda", "oryx", "php", "powershell", "python", "ruby",
    "rust", "sshd", "terraform"))


def feature_hover(text: str, path: str | None, offset: int, environ: Mapping[str, str] | None = None) -> Hover | None:
    from dockerls.develop.plan.features import FeatureError
    from dockerls.develop.plan.features_apply import FeatureSource
    from dockerls.lint.workspace_fs import PLAIN_FS
    from dockerls.parse.devcontainer.jsonc import JsoncError, parse_jsonc

    try:
        document = parse_jsonc(text)
    except JsoncError:
        return None
    features = document.value.get("features") if isinstance(document.value, dict) else None
    if not isinstance(features, dict):
        return None
    for name, value in features.items():
        option = None
        span = document.spans.get(("features", name))
        if not (span and span[0] <= offset <= span[1]) and isinstance(value, dict):
            option = next((o for o in value if (s := document.spans.get(("features", name, o)))
                           and s[0] <= offset <= s[1]), None)
            span = document.spans.get(("features", name, option)) if option else None
        if not span or not span[0] <= offset <= span[1]:
            continue
        if not path:
            return None
        source = FeatureSource(os.path.dirname(os.path.abspath(path)), PLAIN_FS,
                               os.environ if environ is None else environ)
        try:
            definition = source.resolve(name, value).definition
        except LookupError:
            return Hover(f"`{name}` is not downloaded yet: `dockerls develop` fetches it", *span)
        except (FeatureError, OSError):
            return None
        if option is None:
            return Hover(definition.describe(), *span)
        described = definition.options.get(option)
        if described is None:
            return None
        default = f" (default {json.dumps(described['default'])})" if "default" in described else ""
        return Hover(f"**{option}**: {described.get('type', '')}{default}\n\n{described.get('description', '')}".strip(),
                     *span)
    return None


def feature_completions(text: str, path: str | None, offset: int,
                        environ: Mapping[str, str] | None = None) -> list[Completion]:
    """Feature ids at a key of ``features``; a feature's options at a key of its object; an option's
    values (its enumeration, proposals, or true/false)."""
    from dockerls.services.devcontainer_schema import _cursor

    cursor = _cursor(text, offset)
    if cursor is None or not cursor.path or cursor.path[0] != "features" or None in cursor.path:
        return []
    environ = os.environ if environ is None else environ
    replace = (cursor.quote, offset) if cursor.quote is not None else None

    def key(name: str) -> str:
        return f'"{name}"' if replace is None else f'"{name}'

    if cursor.at_key and len(cursor.path) == 1:
        return [Completion(ref, "module", detail, doc, key(ref), False, replace)
                for ref, detail, doc in _known_features(environ)]
    definition = _definition(cursor.path[1], path, environ) if len(cursor.path) >= 2 else None
    if definition is None:
        return []
    if cursor.at_key and len(cursor.path) == 2:
        return [Completion(name, "property", str(option.get("type", "")), _describe_option(name, option),
                           key(name), False, replace) for name, option in definition.options.items()]
    if not cursor.at_key and len(cursor.path) == 3:
        option = definition.options.get(cursor.path[2])
        if option is None:
            return []
        values = list(option.get("enum") or option.get("proposals") or [])
        if not values and option.get("type") == "boolean":
            values = [True, False]
        out = []
        for value in values:
            if replace is not None and not isinstance(value, str):
                continue
            written = json.dumps(value)
            out.append(Completion(value if isinstance(value, str) else written, "enum",
                                  insert_text=written if replace is None else written[:-1], replace=replace,
                                  detail="default" if value == option.get("default") else ""))
        return out
    return []


def _known_features(environ: Mapping[str, str]) -> list[tuple[str, str, str | None]]:
    """``(reference, name, description)`` of the features in the cache, then the well-known ids."""
    from dockerls.develop.plan.features import FEATURE_FILE, FeatureError, read_definition
    from dockerls.develop.plan.features_apply import cached_features

    out: list[tuple[str, str, str | None]] = []
    for ref, folder in cached_features(environ):
        try:
            with open(os.path.join(folder, FEATURE_FILE), encoding="utf-8-sig") as fh:
                definition = read_definition(fh.read(1 << 20), ref)
        except (OSError, FeatureError):
            continue
        out.append((ref, str(definition.get("name") or definition.id), definition.describe()))
    cached = {ref.split("@")[0].rsplit(":", 1)[0] if "/" in ref else ref for ref, _, _ in out}
    out.extend((ref, "published by the Dev Containers project", None) for ref in WELL_KNOWN if ref not in cached)
    return out


def _definition(written: str, path: str | None, environ: Mapping[str, str]):
    from dockerls.develop.plan.features import FeatureError
    from dockerls.develop.plan.features_apply import FeatureSource
    from dockerls.lint.workspace_fs import PLAIN_FS

    if not path:
        return None
    source = FeatureSource(os.path.dirname(os.path.abspath(path)), PLAIN_FS, environ)
    try:
        return source.resolve(written, {}).definition
    except (LookupError, FeatureError, OSError):
        return None


def _describe_option(name: str, option: dict) -> str:
    default = f" (default {json.dumps(option['default'])})" if "default" in option else ""
    return f"**{name}**: {option.get('type', '')}{default}\n\n{option.get('description', '')}".strip()
