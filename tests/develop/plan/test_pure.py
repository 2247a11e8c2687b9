"""The plan is pure: importing every module of :mod:`dockerls.develop.plan`, and making a plan in
each flow, brings in neither docker, pygls nor subprocess."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import dockerls.develop.plan

FORBIDDEN = ("docker", "pygls", "subprocess")


def test_the_plan_imports_neither_docker_pygls_nor_subprocess(tmp_path):
    flows = {
        "dockerfile": ("Dockerfile", "FROM busybox\nWORKDIR /app\nCOPY . .\n"),
        "devcontainer": (".devcontainer.json", '{"image": "busybox", // a comment\n}'),
        "compose": ("compose.yaml", "services:\n  app:\n    image: busybox\n"),
    }
    for flow, (name, text) in flows.items():
        (tmp_path / flow).mkdir()
        (tmp_path / flow / name).write_text(text)
    names = [m.name for m in pkgutil.iter_modules(dockerls.develop.plan.__path__, "dockerls.develop.plan.")]
    code = (
        "import importlib, json, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "from dockerls.develop.plan.workspace import make_plan\n"
        f"for flow in {sorted(flows)!r}:\n"
        f"    assert make_plan({str(tmp_path)!r} + '/' + flow).containers\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = json.loads(done.stdout)
    assert "dockerls.develop.plan.compose" in loaded and len(names) >= 10
    assert [m for m in loaded if m.split(".")[0] in FORBIDDEN] == []
