#!/usr/bin/env python3
"""Wall time of `dockerls develop` against `devcontainer up` (npm @devcontainers/cli) on the same
devcontainer.json project and the same engine, in one run.

    python bench/bench_develop.py [--repeat N]

Needs a Docker engine (DOCKER_HOST or the current docker context; `bash tests/run.sh` shows how to
start a private one) and, for the peer, the Dev Containers CLI: bench/node_modules' pinned one, else a
`devcontainer` on PATH, else npm installs it into bench/node_modules (git-ignored) on first use.  No registry is needed: the project's image is imported from a tar of
a static busybox (`apt-get install busybox-static`), and the devcontainer.json uses that image
directly (no build, no features), so neither tool pulls anything.

Two measurements, each the median of REPEAT runs, the tools alternating:
  first start  the image is there, no container: create, start, and report
  re-up        the container runs already: find it and report
Each tool gets its own copy of the project folder: both find their container by the
devcontainer.local_folder / devcontainer.config_file labels, so on one folder each would find the
other's container.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from peers import ensure_peer  # bench/peers.py: run as python bench/<script>.py

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PEER = HERE / "node_modules" / ".bin" / "devcontainer"
IMAGE = "dockerls-bench-base:1"
APPLETS = ("sh", "ls", "cat", "sleep", "echo", "env", "mkdir", "touch", "id", "true", "false", "test")


def static_busybox() -> str | None:
    for candidate in (shutil.which("busybox"), "/bin/busybox"):
        if candidate and os.path.isfile(candidate):
            with open(candidate, "rb") as fh:
                head = fh.read(8192)
            if b"ld-linux" not in head and b"ld-musl" not in head:
                return candidate
    return None


def import_image(client) -> None:
    busybox = static_busybox()
    if busybox is None:
        raise SystemExit("no static busybox (apt-get install busybox-static)")
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for folder in ("bin", "etc", "tmp", "root"):
            info = tarfile.TarInfo(folder)
            info.type, info.mode = tarfile.DIRTYPE, 0o1777 if folder == "tmp" else 0o755
            tar.addfile(info)
        tar.add(busybox, "bin/busybox")
        for applet in APPLETS:
            info = tarfile.TarInfo(f"bin/{applet}")
            info.type, info.linkname = tarfile.SYMTYPE, "busybox"
            tar.addfile(info)
        data = b"root:x:0:0:root:/root:/bin/sh\n"
        info = tarfile.TarInfo("etc/passwd")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    repository, tag = IMAGE.split(":")
    client.api.import_image_from_data(buf.getvalue(), repository=repository, tag=tag)


def make_project(parent: Path, name: str) -> Path:
    folder = parent / name / "project"
    (folder / ".devcontainer").mkdir(parents=True)
    (folder / ".devcontainer" / "devcontainer.json").write_text(json.dumps({"image": IMAGE}, indent=2))
    (folder / "main.py").write_text("print('hello')\n")
    return folder


def remove_containers(client, folder: Path) -> None:
    for c in client.api.containers(all=True, filters={"label": f"devcontainer.local_folder={folder}"}):
        client.api.remove_container(c["Id"], force=True)


# As a user runs it: with Python's bytecode cache (a shell that sets PYTHONDONTWRITEBYTECODE would
# make every run compile dockerls' sources again); the warm-up run writes the cache.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    elapsed = time.perf_counter() - start
    last = (proc.stdout.strip().splitlines() or [""])[-1]
    if proc.returncode != 0 or '"success"' not in last:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return elapsed


def dockerls_command(folder: Path) -> list[str]:
    exe = shutil.which("dockerls") or str(Path(sys.executable).with_name("dockerls"))
    probe = subprocess.run([exe, "develop", "--help"], capture_output=True, text=True, env=ENV) \
        if os.path.exists(exe) else None
    if probe is not None and probe.returncode == 0:
        return [exe, "develop", "-p", str(folder), "--json"]
    # `dockerls develop` is not wired into the dockerls command yet: the same function, run directly
    return [sys.executable, "-m", "dockerls.develop", "develop", "-p", str(folder), "--json"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each measurement (median taken)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from dockerls.engine.connect import connect

    client = connect()
    import_image(client)
    # bench/node_modules' pinned CLI; else one installed on PATH (npm install -g @devcontainers/cli)
    installed = shutil.which("devcontainer")
    peer_path = PEER if PEER.exists() or installed is None else Path(installed)
    if not PEER.exists() and installed is None:
        peer_path = ensure_peer("devcontainer", "devcontainer up") or PEER
    peer = peer_path.exists()
    load_before = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix="dlsbench"))
    ours, theirs = make_project(work, "dockerls"), make_project(work, "devcontainer")
    tools = {"dockerls develop": (ours, dockerls_command(ours))}
    if peer:
        tools["devcontainer up"] = (theirs, [str(peer_path), "up", "--workspace-folder", str(theirs),
                                             "--log-level", "info"])
    times: dict[str, dict[str, list[float]]] = {name: {"first start": [], "re-up": []} for name in tools}
    try:
        for folder, cmd in tools.values():  # warm-up: caches, the node and python imports
            remove_containers(client, folder)
            timed(cmd)
        for _ in range(args.repeat):
            for name, (folder, cmd) in tools.items():
                remove_containers(client, folder)
                times[name]["first start"].append(timed(cmd))
                times[name]["re-up"].append(timed(cmd))
    finally:
        for folder, _ in tools.values():
            remove_containers(client, folder)
        shutil.rmtree(work, ignore_errors=True)

    print(f"engine: {client.api.base_url}, server {client.version().get('Version')}; median of {args.repeat} runs")
    print("load average (1, 5, 15 min): before " + " ".join(f"{x:.2f}" for x in load_before)
          + ", after " + " ".join(f"{x:.2f}" for x in os.getloadavg()) + f"; {os.cpu_count()} cores")
    print(f"{'':14s}" + "".join(f"{name:>20s}" for name in tools) + ("        ratio" if peer else ""))
    for what in ("first start", "re-up"):
        medians = [statistics.median(times[name][what]) for name in tools]
        row = f"{what:14s}" + "".join(f"{m:19.3f}s" for m in medians)
        if peer:
            row += f"{medians[0] / medians[1]:12.2f}x"
        print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
