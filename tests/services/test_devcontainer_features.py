"""Completion of dev container features in devcontainer.json from the cache only: ids, option names,
option values; hover on a cached feature."""

from __future__ import annotations

import json
import os

from dockerls.develop.plan.features import parse_ref
from dockerls.develop.plan.features_apply import REFERENCE_FILE, cache_folder
from dockerls.services.devcontainer_features import WELL_KNOWN, feature_completions, feature_hover

NODE = "ghcr.io/devcontainers/features/node:1"
DEFINITION = {"id": "node", "version": "1.6.0", "name": "Node.js (via nvm)", "description": "Installs Node.js.",
              "options": {"version": {"type": "string", "proposals": ["lts", "latest", "none"], "default": "lts",
                                      "description": "Select or enter a Node.js version."},
                          "installYarnUsingApt": {"type": "boolean", "default": True, "description": "Yarn."},
                          "nvmVersion": {"type": "string", "enum": ["latest", "0.39"], "default": "latest"}}}


def _cache(tmp_path) -> dict[str, str]:
    environ = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    folder = cache_folder(parse_ref(NODE), environ)
    os.makedirs(folder)
    with open(os.path.join(folder, "devcontainer-feature.json"), "w") as fh:
        json.dump(DEFINITION, fh)
    with open(os.path.join(folder, REFERENCE_FILE), "w") as fh:
        fh.write(NODE + "\n")
    return environ


def _complete(tmp_path, text: str, environ, at: str = "|"):
    offset = text.index(at)
    text = text.replace(at, "", 1)
    return feature_completions(text, str(tmp_path / "devcontainer.json"), offset, environ)


def test_feature_ids_from_the_cache_then_the_well_known_ones(tmp_path):
    environ = _cache(tmp_path)
    found = _complete(tmp_path, '{"features": {\n  "|\n}}', environ)
    labels = [c.label for c in found]
    assert labels[0] == NODE and found[0].detail == "Node.js (via nvm)" and "Installs Node.js." in found[0].documentation
    assert "ghcr.io/devcontainers/features/python" in labels
    assert "ghcr.io/devcontainers/features/node" not in labels  # cached already, with its tag
    assert len(labels) == len(WELL_KNOWN)
    assert found[0].insert_text == f'"{NODE}' and found[0].replace is not None
    # an empty cache: the well-known ids only
    assert [c.label for c in _complete(tmp_path, '{"features": {|}}', {"XDG_CACHE_HOME": str(tmp_path / "none")})] \
        == list(WELL_KNOWN)


def test_option_names_and_values_of_a_cached_feature(tmp_path):
    environ = _cache(tmp_path)
    names = _complete(tmp_path, '{"features": {"%s": {|}}}' % NODE, environ)
    assert [c.label for c in names] == ["version", "installYarnUsingApt", "nvmVersion"]
    assert names[0].documentation.startswith('**version**: string (default "lts")')
    values = _complete(tmp_path, '{"features": {"%s": {"version": |}}}' % NODE, environ)
    assert [(c.label, c.insert_text, c.detail) for c in values] == [
        ("lts", '"lts"', "default"), ("latest", '"latest"', ""), ("none", '"none"', "")]
    assert [c.label for c in _complete(tmp_path, '{"features": {"%s": {"installYarnUsingApt": |}}}' % NODE,
                                       environ)] == ["true", "false"]
    assert [c.label for c in _complete(tmp_path, '{"features": {"%s": {"nvmVersion": "|"}}}' % NODE, environ)] \
        == ["latest", "0.39"]


def test_a_feature_not_in_the_cache_is_not_fetched(tmp_path):
    """The editor's services never import the downloader: what is not cached is said to be so."""
    import subprocess
    import sys

    code = ("import sys; from dockerls.services.devcontainer_features import feature_completions as f; "
            "f('{\"features\": {\"ghcr.io/x/y/z:1\": {}}}', '/nonexistent/devcontainer.json', 35, {}); "
            "print('dockerls.develop.features_fetch' in sys.modules, 'urllib.request' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split() \
        == ["False", "False"]
    environ = {"XDG_CACHE_HOME": str(tmp_path / "none")}
    assert _complete(tmp_path, '{"features": {"ghcr.io/x/y/z:1": {|}}}', environ) == []
    text = '{"features": {"ghcr.io/x/y/z:1": {}}}'
    hover = feature_hover(text, str(tmp_path / "devcontainer.json"), text.index("z:1"), environ)
    assert hover is not None and "not downloaded yet" in hover.markdown


def test_hover_on_a_cached_feature_shows_its_description_and_options(tmp_path):
    environ = _cache(tmp_path)
    text = '{"features": {"%s": {"version": "20"}}}' % NODE
    hover = feature_hover(text, str(tmp_path / "devcontainer.json"), text.index("node:1"), environ)
    assert hover is not None and hover.markdown.startswith("**Node.js (via nvm)** 1.6.0")
    assert "| `version` | string |" in hover.markdown
    option = feature_hover(text, str(tmp_path / "devcontainer.json"), text.index('"version"') + 2, environ)
    assert option is not None and option.markdown.startswith('**version**: string (default "lts")')
