"""Hover on a dev container feature in devcontainer.json: its description and options, once the
feature is resolvable without the network (a local folder, or a download in the cache)."""

from __future__ import annotations

import json
import os
from typing import Mapping

from dockerls.services.results import Hover


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
