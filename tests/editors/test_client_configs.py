"""The editor configurations that no test here can run the editor for (Helix, Zed, Sublime Text),
and the settings every client sends: they parse, they start `dockerls serve`, and every setting
they send is one the server reads (dockerls.lsp.settings)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from tests.editors._support import CLIENTS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from dockerls.lsp import settings as server_settings

SERVER_KEYS = set(getattr(server_settings, "_RULE_KEYS", ("ignore", "enable", "severity"))) | {"features", "debounceMs"}
FEATURES = set(server_settings.FEATURES)
SEVERITIES = {"error", "warning", "info", "style", "off", "ignore", "none"}


def load_jsonc(path: Path):
    """JSON with // and /* */ comments and trailing commas (Zed's and Sublime's settings)."""
    text = path.read_text()
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
        elif text.startswith("//", i):
            i = text.find("\n", i) if "\n" in text[i:] else n
        elif text.startswith("/*", i):
            i = text.index("*/", i) + 2
        else:
            out.append(c)
            i += 1
    return json.loads(re.sub(r",(\s*[}\]])", r"\1", "".join(out)))


def check_section(section: dict, where: str) -> None:
    """A `dockerls` settings section: only keys the server reads, with values of the right shape."""
    assert isinstance(section, dict), where
    unknown = set(section) - SERVER_KEYS
    assert not unknown, f"{where}: the server does not read {sorted(unknown)} (it reads {sorted(SERVER_KEYS)})"
    for key in ("ignore", "enable"):
        assert all(isinstance(code, str) for code in section.get(key, [])), f"{where}.{key}"
    assert set(section.get("severity", {}).values()) <= SEVERITIES, f"{where}.severity"
    features = section.get("features", {})
    assert set(features) <= FEATURES, f"{where}.features: unknown {sorted(set(features) - FEATURES)}"
    assert all(isinstance(v, bool) for v in features.values()), f"{where}.features"


def test_load_jsonc_keeps_slashes_in_strings(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('// c\n{"a": "http://x//y", /* b */ "b": [1, 2,],}\n')
    assert load_jsonc(path) == {"a": "http://x//y", "b": [1, 2]}


def test_helix():
    config = tomllib.loads((CLIENTS / "helix" / "languages.toml").read_text())
    server = config["language-server"]["dockerls"]
    assert (server["command"], server["args"]) == ("dockerls", ["serve"])
    check_section(server["config"]["dockerls"], "helix config.dockerls")
    languages = {lang["name"]: lang for lang in config["language"]}
    assert "dockerls" in languages["dockerfile"]["language-servers"]
    compose = languages["docker-compose"]
    assert "dockerls" in compose["language-servers"]
    assert compose["language-id"] == "dockercompose"
    globs = {ft["glob"] for ft in compose["file-types"]}
    assert {"compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"} <= globs


def test_zed():
    manifest = tomllib.loads((CLIENTS / "zed" / "extension.toml").read_text())
    assert manifest["id"] == "dockerls" and manifest["schema_version"] == 1
    server = manifest["language_servers"]["dockerls"]
    assert set(server["languages"]) == {"Dockerfile", "Docker Compose"}
    assert server["language_ids"] == {"Dockerfile": "dockerfile", "Docker Compose": "dockercompose"}
    cargo = tomllib.loads((CLIENTS / "zed" / "Cargo.toml").read_text())
    assert cargo["lib"]["crate-type"] == ["cdylib"] and "zed_extension_api" in cargo["dependencies"]
    source = (CLIENTS / "zed" / "src" / "lib.rs").read_text()
    assert 'vec!["serve".to_string()]' in source and 'which("dockerls")' in source
    assert "register_extension!" in source

    settings = load_jsonc(CLIENTS / "zed" / "settings.json")
    lsp = settings["lsp"]["dockerls"]
    assert lsp["binary"] == {"path": "dockerls", "arguments": ["serve"]}
    check_section(lsp["settings"], "zed lsp.dockerls.settings")
    for language in server["languages"]:
        assert settings["languages"][language]["language_servers"][0] == "dockerls"


def test_sublime():
    settings = load_jsonc(CLIENTS / "sublime" / "LSP.sublime-settings")
    client = settings["clients"]["dockerls"]
    assert client["command"] == ["dockerls", "serve"]
    assert client["enabled"] is True
    scopes = {s.strip() for s in client["selector"].split("|")}
    assert scopes == {"source.dockerfile", "source.yaml"}
    check_section(client["settings"]["dockerls"], "sublime settings.dockerls")


def test_vscode_settings_are_the_servers():
    manifest = json.loads((CLIENTS / "vscode" / "package.json").read_text())
    properties = manifest["contributes"]["configuration"]["properties"]
    client_only = {"dockerls.path", "dockerls.trace.server"}
    section: dict = {}
    for key, prop in properties.items():
        if key in client_only:
            continue
        parts = key.split(".")[1:]
        target = section
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = prop["default"]
    check_section(section, "vscode dockerls.*")
    # every feature toggle the server has is a setting
    assert set(section["features"]) == FEATURES
    assert properties["dockerls.severity"]["additionalProperties"]["enum"] == ["error", "warning", "info", "style", "off"]


def test_neovim_and_emacs_defaults():
    lua = (CLIENTS / "neovim" / "lua" / "dockerls_client" / "init.lua").read_text()
    assert "M.name = 'dockerls_py'" in lua  # not `dockerls`: nvim-lspconfig's dockerfile-language-server
    assert "{ 'dockerls', 'serve' }" in lua
    assert "vim.lsp.start_client" in lua and "vim.lsp.start(" not in lua  # Neovim 0.7
    elisp = (CLIENTS / "emacs" / "dockerls.el").read_text()
    assert "(defcustom dockerls-server-command '(\"dockerls\" \"serve\")" in elisp


@pytest.mark.parametrize("name", ["vscode", "neovim", "emacs", "helix", "zed", "sublime"])
def test_readme_covers_each_editor(name):
    readme = (CLIENTS / "README.md").read_text()
    title = {"vscode": "VS Code", "neovim": "Neovim", "emacs": "Emacs", "helix": "Helix", "zed": "Zed",
             "sublime": "Sublime Text"}[name]
    assert re.search(rf"^## {re.escape(title)}\b", readme, re.M), f"no '## {title}' section"
