"""Start-up stays light: building the server imports no rules, no docker, no jsonschema, no YAML
(the rules load on the first lint, the rest when a feature needs them: develop's commands are
registered, their machinery is not imported)."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("docker", "jsonschema", "yaml", "dockerls.rules.dockerfile", "dockerls.parse.compose",
         "dockerls.lint.runner", "dockerls.shell", "dockerls.services.compose", "dockerls.develop.service")


def test_building_the_server_imports_nothing_heavy():
    code = ("import sys, json; from dockerls.lsp.server import build_server; build_server(); "
            "print(json.dumps(sorted(sys.modules)))")
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                       check=True).stdout)
    heavy = [m for m in loaded if any(m == h or m.startswith(h + ".") for h in HEAVY)]
    assert heavy == []


def test_serve_help():
    done = subprocess.run([sys.executable, "-m", "dockerls.lsp.server", "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "--tcp HOST:PORT" in done.stdout
