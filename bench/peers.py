"""The npm peers the benchmarks run (bench/package.json), installed into bench/node_modules.

One package.json for all of them: npm without one treats whatever another benchmark installed as
extraneous and removes it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = HERE / "node_modules" / ".bin"


def ensure_peer(executable: str, what: str) -> Path | None:
    """``bench/node_modules/.bin/<executable>``, installing the peers first if needed; None (with a
    line on stderr saying ``what`` is not measured) when npm or the registry is not there."""
    path = BIN / executable
    if path.exists():
        return path
    npm = shutil.which("npm")
    if npm is None:
        print(f"npm not found: {what} is not measured", file=sys.stderr)
        return None
    subprocess.run([npm, "install", "--prefix", str(HERE), "--no-audit", "--no-fund"], check=False,
                   stdout=subprocess.DEVNULL)
    if not path.exists():
        print(f"npm could not install {executable}: {what} is not measured", file=sys.stderr)
        return None
    return path
