"""``dockerls check .`` and the language server on a repository made to attack the machine they
run on: symbolic links out of the tree (a Dockerfile, the report file, the cache folder), Compose
``include``/``env_file`` of files outside, a FIFO, ``/dev/zero``, a configuration bomb, a token in
the environment.  Nothing outside the tree is read, written or deleted, the token shows nowhere, the
run ends with a sane exit code, and the server still answers.

What was opened is observed with an audit hook in a test-only wrapper process (the product itself
patches nothing).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.lsp.test_robustness import SERVER, RawClient

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "ghp_hostileTOKEN0123456789abcdefXYZ"
ENV_TOKEN = "envTOKEN_9876543210_secret"

# Runs dockerls.cli.main with an audit hook noting every file opened (for reading or writing) and
# every file removed or renamed; writes them as JSON to the file named by DOCKERLS_AUDIT_OUT.
WRAPPER = r"""
import json, os, sys
events = []
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        events.append(["open", os.fsdecode(args[0]), str(args[1])])
    elif event in ("os.remove", "os.unlink", "os.rename", "os.replace", "os.rmdir", "shutil.rmtree"):
        events.append([event] + [os.fsdecode(a) if isinstance(a, (str, bytes, os.PathLike)) else str(a)
                                 for a in args[:3]])
sys.addaudithook(hook)
from dockerls.cli import main
try:
    code = main(sys.argv[1:])
finally:
    with open(os.environ["DOCKERLS_AUDIT_OUT"], "w") as fh:
        json.dump(events, fh)
sys.exit(code)
"""


def _state(folder: Path) -> dict[str, tuple]:
    """Every entry below ``folder`` (links not followed): its kind, and a file's content and mtime."""
    out: dict[str, tuple] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            p = Path(dirpath, name)
            st = p.lstat()
            if p.is_symlink():
                out[str(p)] = ("link", os.readlink(p))
            elif p.is_fifo():
                out[str(p)] = ("fifo",)
            elif p.is_file():
                out[str(p)] = ("file", p.read_bytes(), st.st_mtime_ns)
            else:
                out[str(p)] = ("dir",)
    return out


@pytest.fixture
def hostile(tmp_path: Path) -> dict[str, Path]:
    """A repository ``repo`` beside files it must not touch (``outside``).  (Its configuration
    bomb is a test of its own: a configuration that cannot be read ends the run.)"""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "token.txt").write_text(f"{TOKEN}\n{TOKEN} second line\n")
    (outside / "outside.yml").write_text(f"services:\n  {TOKEN.lower()}:\n    image: {TOKEN.lower()}:1\n")
    (outside / "passwd").write_text(f"root:x:0:0:{TOKEN}:/root:/bin/sh\n")
    (outside / "outside.env").write_text(f"TOKEN={TOKEN}\n")
    (outside / "victim.sarif").write_text("precious\n")
    (outside / "cache").mkdir()
    (outside / "cache" / "keep.txt").write_text("keep me\n")

    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".git").mkdir()
    (repo / "Dockerfile").symlink_to(outside / "token.txt")  # a token as "instructions"
    (repo / "app").mkdir()
    (repo / "app" / "Dockerfile").write_text("FROM python:latest\nRUN apt-get update\nMAINTAINER x\n")
    (repo / "compose.yaml").write_text(
        "include:\n"
        "  - ../outside/outside.yml\n"
        f"  - {outside / 'passwd'}\n"
        "  - path: app/compose.yaml\n"
        "    env_file: ../outside/outside.env\n"
        "services:\n"
        "  web:\n"
        "    image: ${SECRET_IMAGE}\n"
        "    build:\n"
        "      context: ./${SECRET_IMAGE}\n"
        "    env_file: ../outside/outside.env\n"
        "    extends:\n"
        "      file: ../outside/outside.yml\n"
        f"      service: {TOKEN.lower()}\n")
    (repo / "app" / "compose.yaml").write_text("services:\n  app:\n    build: .\n")
    (repo / ".devcontainer").mkdir()
    (repo / ".devcontainer" / "devcontainer.json").write_text(
        '{"build": {"dockerfile": "${localEnv:SECRET_IMAGE}/Dockerfile"}, "dockerComposeFile": 6}')
    (repo / ".dockerls-cache").symlink_to(tmp_path, target_is_directory=True)  # a cache "inside" the repo
    os.mkfifo(repo / "Dockerfile.fifo")
    (repo / "Dockerfile.zero").symlink_to("/dev/zero")
    (repo / "dockerls.sarif").symlink_to(outside / "victim.sarif")
    return {"tmp": tmp_path, "repo": repo, "outside": outside}


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n" for p, c in zip("abcdefgh", "bcdefghi"))


def _run(args: list[str], cwd: Path, tmp: Path, timeout: float = 120) -> tuple[subprocess.CompletedProcess, list]:
    audit = tmp / "audit.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DOCKERLS_AUDIT_OUT": str(audit),
           "SECRET_IMAGE": ENV_TOKEN, "XDG_CACHE_HOME": str(tmp / "xdg"),
           "TMPDIR": str(_scratch(tmp))}
    env.pop("DOCKERLS_CACHE_DIR", None)
    proc = subprocess.run([sys.executable, "-c", WRAPPER, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)
    events = json.loads(audit.read_text())
    audit.unlink()
    return proc, events


def _scratch(tmp) -> Path:
    """The run's own temporary folder (ShellCheck's scripts): what dockerls makes and removes there is its own."""
    folder = tmp / "scratch"
    folder.mkdir(exist_ok=True)
    return folder


def _outside_own(event: list, allowed: tuple[str, ...]) -> bool:
    """A change (remove, rename...) to something dockerls did not make: not below ``allowed``, and not
    an entry that ``shutil.rmtree`` removes relative to a folder it opened (``dir_fd`` given)."""
    if event[0] == "open" or event[1].startswith(allowed):
        return False
    return not (event[0] in ("os.remove", "os.rmdir") and len(event) > 2 and event[2] not in ("-1", "None"))


def test_check_fix_and_report_on_a_hostile_repository(hostile):
    tmp, repo, outside = hostile["tmp"], hostile["repo"], hostile["outside"]
    before = {k: v for k, v in _state(tmp).items() if not k.startswith(str(repo))}
    proc, events = _run(["check", ".", "-f", "sarif:dockerls.sarif", "-f", "text", "--fix"], repo, tmp)

    # Nothing outside the repository was changed or deleted (its cache lives in XDG_CACHE_HOME)
    after = {k: v for k, v in _state(tmp).items() if not k.startswith(str(repo)) and "/xdg" not in k
             and not k.startswith(str(tmp / "scratch"))}
    assert after == before
    # ... nor opened: not for reading, not for writing (the Python runtime and the cache aside)
    opened = {path for kind, path, *_ in events if kind == "open"}
    assert not {p for p in opened if os.path.realpath(p).startswith(str(outside))}, opened
    assert not any(os.path.realpath(p).startswith("/dev/zero") for p in opened)
    allowed = (str(repo), str(tmp / "xdg"), str(_scratch(tmp)))
    assert not [e for e in events if _outside_own(e, allowed)]

    # The report replaced the link, not its target
    report = repo / "dockerls.sarif"
    assert not report.is_symlink() and (outside / "victim.sarif").read_text() == "precious\n"
    sarif = report.read_text()
    for text in (proc.stdout, proc.stderr, sarif):
        assert TOKEN not in text and TOKEN.lower() not in text and ENV_TOKEN not in text
        assert "Traceback" not in text
    assert proc.returncode in (1, 2), proc.stderr
    assert "DLS001" in proc.stdout and "Dockerfile:1:1" in proc.stdout  # the link out is reported, not read
    assert "outside the checked folder" in proc.stdout
    assert (repo / "Dockerfile").is_symlink()  # --fix left the link (and its target) alone
    assert "${SECRET_IMAGE}" in proc.stdout  # messages name the variable


def test_a_configuration_bomb_ends_the_run_quickly_with_a_clear_error(hostile):
    """A configuration that cannot be read is a usage error (exit 2, as documented), not a hang."""
    tmp, repo = hostile["tmp"], hostile["repo"]
    (repo / ".dockerls.yaml").write_text(BOMB)
    proc, _ = _run(["check", ".", "-f", "sarif:dockerls.sarif"], repo, tmp, timeout=60)
    assert proc.returncode == 2 and ".dockerls.yaml" in proc.stderr and "Aliases expand" in proc.stderr
    assert (hostile["outside"] / "victim.sarif").read_text() == "precious\n"


def test_named_fifo_and_dev_zero_do_not_hang_and_the_rest_is_checked(hostile):
    tmp, repo = hostile["tmp"], hostile["repo"]
    proc, _ = _run(["check", "--no-cache", "Dockerfile.fifo", "/dev/zero", "app/Dockerfile"], repo, tmp, timeout=60)
    assert proc.returncode == 2  # a named path that cannot be read
    assert "Dockerfile.fifo:1:1: DLS002" in proc.stdout and "not a regular file (a FIFO)" in proc.stdout
    assert "/dev/zero:1:1: DLS002" in proc.stdout and "(a device)" in proc.stdout
    assert "app/Dockerfile:1:" in proc.stdout and "DL3007" in proc.stdout  # the other file is still checked
    assert "Traceback" not in proc.stderr


FIXABLE = "FROM python:3.12\nRUN apt-get update && apt-get install -y --no-install-recommends gcc\n" \
          "RUN rm -rf /var/lib/apt/lists/*\n"  # DF100: a safe fix joins the two RUNs


def test_a_named_link_out_of_the_tree_is_read_but_not_fixed(tmp_path):
    """The user named it: it is read.  ``--fix`` still does not write outside the checked folder."""
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside / "Dockerfile"
    target.write_text(FIXABLE)
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "Dockerfile").symlink_to(target)
    mtime = target.stat().st_mtime_ns
    proc, _ = _run(["check", "--no-cache", "--fix", "Dockerfile"], repo, tmp_path)
    assert "Not fixed: this file is a symbolic link to a file outside the checked folder" in proc.stdout
    assert target.read_text() == FIXABLE and target.stat().st_mtime_ns == mtime
    assert (repo / "Dockerfile").is_symlink()


def test_fix_writes_a_link_within_the_tree_through_its_real_path(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "Dockerfile").write_text(FIXABLE)
    (tmp_path / "Dockerfile").symlink_to("real/Dockerfile")
    proc, _ = _run(["check", "--no-cache", "--fix", "Dockerfile"], tmp_path, tmp_path)
    fixed = (tmp_path / "real" / "Dockerfile").read_text()
    assert fixed != FIXABLE and "gcc && rm -rf /var/lib/apt/lists/*" in fixed, proc.stdout
    assert (tmp_path / "Dockerfile").is_symlink()


# -- the language server over the same repository ---------------------------------------------------

# Runs the language server (as SERVER does) with an audit hook writing each file opened, one JSON
# line each, to the file named by DOCKERLS_AUDIT_OUT as it happens (the server may be killed).
SERVER_WRAPPER = r"""
import json, os, sys
out = open(os.environ["DOCKERLS_AUDIT_OUT"], "w", buffering=1)
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        out.write(json.dumps(["open", os.fsdecode(args[0]), str(args[1])]) + "\n")
sys.addaudithook(hook)
from dockerls.lsp.server import main
sys.exit(main([]))
"""


class _Server(RawClient):
    """The language server with a token in its environment, its opens audited."""

    def __init__(self, env: dict[str, str]) -> None:
        import queue
        import threading

        command = [sys.executable, "-c", SERVER_WRAPPER] if "DOCKERLS_AUDIT_OUT" in env else SERVER
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=env)
        self.inbox = queue.Queue()
        self.ids = iter(range(1, 10_000))
        threading.Thread(target=self._read, daemon=True).start()


def test_the_language_server_discloses_nothing_and_answers(hostile):
    tmp, repo, outside = hostile["tmp"], hostile["repo"], hostile["outside"]
    (repo / "app" / ".dockerignore").symlink_to(outside / "token.txt")  # read by Dockerfile rules
    elsewhere = tmp / "elsewhere"  # a document in no workspace folder: confined to its own folder
    elsewhere.mkdir()
    before = _state(outside)
    audit = tmp / "server-audit.jsonl"
    server = _Server({**os.environ, "PYTHONPATH": str(ROOT), "SECRET_IMAGE": ENV_TOKEN,
                      "XDG_CACHE_HOME": str(tmp / "xdg"), "DOCKERLS_AUDIT_OUT": str(audit)})
    try:
        answer = server.call("initialize", {"processId": None, "rootUri": repo.as_uri(), "capabilities": {},
                                            "workspaceFolders": [{"uri": repo.as_uri(), "name": "repo"}]})
        assert "capabilities" in answer["result"]
        server.notify("initialized", {})
        seen = []
        documents = [
            ("compose.yaml", "dockercompose", (repo / "compose.yaml").read_text()),
            ("other/compose.yaml", "dockercompose", "services:\n  a:\n    image: x\ud800y\n"),  # a lone surrogate
            (".devcontainer/devcontainer.json", "jsonc", (repo / ".devcontainer" / "devcontainer.json").read_text()),
            ("other/.devcontainer.json", "jsonc", "[" * 500),
            ("app/Dockerfile", "dockerfile", "RUN apt update\nEXPOSE " + "9" * 5000 + "\n"),
            ("app/Dockerfile", "dockerfile", "FROM alpine\nCOPY . /app\n"),
            ("../elsewhere/compose.yaml", "dockercompose", "include:\n  - ../outside/outside.yml\nservices:\n"
             "  a:\n    image: x\n    env_file: ../outside/outside.env\n"),
        ]
        for version, (name, language, text) in enumerate(documents, 1):
            uri = (repo / name).resolve().as_uri()
            server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language,
                                                                    "version": version, "text": text}})
            diagnostics = server.diagnostics_for(uri)
            seen.append(json.dumps(diagnostics))
            hover = server.call("textDocument/hover", {"textDocument": {"uri": uri},
                                                       "position": {"line": 0, "character": 1}})
            assert "result" in hover and TOKEN.lower() not in json.dumps(hover) and ENV_TOKEN not in json.dumps(hover)
        everything = "\n".join(seen)
        assert TOKEN not in everything and TOKEN.lower() not in everything and ENV_TOKEN not in everything
        assert "DLS000" not in everything  # none of these inputs makes dockerls fail
        assert "DC003" in seen[1] and "nest deeper than 64 levels" in seen[3]
        # References out of the folder are reported as ``dockerls check`` reports them, not read
        for compose in (seen[0], seen[-1]):
            assert "DC011" in compose and "outside.yml` is outside the checked folder: not read" in compose
        assert "outside.env` is outside the checked folder: not read" in seen[0]
        # A variable of the server's environment: said to be set, its value not shown
        hover = server.call("textDocument/hover", {"textDocument": {"uri": (repo / "compose.yaml").as_uri()},
                                                   "position": {"line": 7, "character": 14}})
        shown = hover["result"]["contents"]["value"]
        assert "Set in the environment (its value is not shown)" in shown
        assert ENV_TOKEN not in shown and str(len(ENV_TOKEN)) not in shown
        server.alive()
    finally:
        log = server.stop()
    assert TOKEN not in log and ENV_TOKEN not in log
    assert _state(outside) == before
    opened = {json.loads(line)[1] for line in audit.read_text().splitlines()}
    assert not {p for p in opened if os.path.realpath(p).startswith(str(outside))}, opened
