"""`dockerls check` in CI: several formats at once, the result cache, parallel checking, the
GitHub Action's script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from dockerls import cache as cache_module
from dockerls.cache import Cache, finding_in, finding_out, serialisable
from dockerls.check import check_file
from dockerls.config import Config
from dockerls.finding import Severity
from dockerls.parallel import PARALLEL_THRESHOLD, Job, can_fork, run_jobs, workers_for

ROOT = Path(__file__).resolve().parent.parent

BAD = ("FROM python:latest\nRUN apt-get update && apt-get install -y --no-install-recommends gcc\n"
       "RUN rm -rf /var/lib/apt/lists/*\nCMD [\"a\"]\nCMD [\"b\"]\n")
NODE = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nUSER node\nCMD [\"node\", \"index.js\"]\n"
UNICODE = 'FROM busybox:1\nLABEL a="😀 ü"\nFROM node:latest\nRUN cd /x && echo ü\n'
COMPOSE = 'services:\n  web:\n    image: "nginx:${TAG:?set TAG}"\n    ports: ["80:80", "80:80"]\n'


def run(*args, cwd, env=None, stdin=None):
    environ = dict(os.environ)
    environ.pop("DOCKERLS_CACHE_DIR", None)
    environ.update(env or {})
    proc = subprocess.run([sys.executable, "-m", "dockerls", *args], cwd=cwd, capture_output=True, text=True,
                          env=environ, input=stdin, timeout=300)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture(autouse=True)
def user_cache(tmp_path, monkeypatch):
    """The user's cache folder (the default cache location) is a temporary one."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("DOCKERLS_CACHE_DIR", raising=False)


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)  # the configuration search stops here
    (root / "app").mkdir()
    (root / "app" / "Dockerfile").write_text(BAD)
    (root / "web").mkdir()
    (root / "web" / "Dockerfile").write_text(NODE)
    (root / "web" / "package.json").write_text("{}\n")
    (root / "ünï").mkdir()
    (root / "ünï" / "Dockerfile").write_text(UNICODE, encoding="utf-8")
    (root / "compose.yaml").write_text(COMPOSE)
    return root


# -- several formats ---------------------------------------------------------------------------------

def test_several_formats_in_one_run(project):
    code, out, err = run("check", "--no-cache", "--format", "sarif:reports/out.sarif", "-f", "text",
                         "-f", "junit:reports/junit.xml", "--format=gitlab:gl.json", ".", cwd=project)
    assert code == 1, err
    assert "app/Dockerfile:1:13: DL3007 [warning]" in out  # text on standard output
    sarif = json.loads((project / "reports" / "out.sarif").read_text(encoding="utf-8"))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert {"app/Dockerfile", "web/Dockerfile", "%C3%BCn%C3%AF/Dockerfile"} <= uris
    suites = ET.parse(project / "reports" / "junit.xml").getroot().findall("testsuite")
    assert {s.get("name") for s in suites} == {"app/Dockerfile", "web/Dockerfile", "ünï/Dockerfile", "compose.yaml"}
    issues = json.loads((project / "gl.json").read_text(encoding="utf-8"))
    assert {i["location"]["path"] for i in issues} >= {"app/Dockerfile", "ünï/Dockerfile"}


def test_only_file_outputs_leave_stdout_empty(project):
    code, out, _ = run("check", "--no-cache", "-f", "checkstyle:cs.xml", "-f", "codeclimate:cc.json", ".", cwd=project)
    assert code == 1 and out == ""
    assert ET.parse(project / "cs.xml").getroot().tag == "checkstyle"
    assert (project / "cc.json").read_text(encoding="utf-8").count("\0") >= 5


def test_format_usage_errors(project):
    code, _, err = run("check", "-f", "text", "-f", "json", ".", cwd=project)
    assert code == 2 and "at most one --format without a PATH" in err
    code, _, err = run("check", "-f", "xml:out.xml", ".", cwd=project)
    assert code == 2 and "unknown format 'xml'" in err
    code, _, err = run("check", "-f", "sarif:", ".", cwd=project)
    assert code == 2 and "no file after" in err
    (project / "taken").write_text("a file, not a folder\n")
    code, _, err = run("check", "--no-cache", "-f", "sarif:taken/x.sarif", ".", cwd=project)
    assert code == 2 and "cannot write taken/x.sarif" in err and "Traceback" not in err


def test_exit_codes_with_file_outputs(project):
    target = str(project / "app" / "Dockerfile")
    assert run("check", "--no-cache", "-f", "sarif:s.sarif", target, cwd=project)[0] == 1
    assert run("check", "--no-cache", "-f", "sarif:s.sarif", "-t", "error", target, cwd=project)[0] == 0
    assert run("check", "--no-cache", "-f", "sarif:s.sarif", "--no-fail", target, cwd=project)[0] == 0
    assert json.loads((project / "s.sarif").read_text())["runs"][0]["results"]  # written all the same


def test_github_annotations_on_stdout(project):
    code, out, _ = run("check", "--no-cache", "-f", "github", "app/Dockerfile", cwd=project)
    assert code == 1
    assert "::warning file=app/Dockerfile,line=1,col=13,endLine=1,endColumn=19,title=DL3007::" in out


def test_stdin_filename_sets_the_kind():
    code, out, _ = run("check", "--stdin-filename", "deploy/compose.yaml", "-", cwd=ROOT,
                       stdin='services:\n  a:\n    image: x\n    ports: ["80:80", "80:80"]\n')
    assert code == 1 and "deploy/compose.yaml:4:" in out and "DC" in out


# -- the cache -----------------------------------------------------------------------------------------

def entries(cache_dir: Path) -> list[Path]:
    return sorted(p for p in cache_dir.rglob("*.json") if not p.name.startswith(".tmp"))


def tamper(cache_dir: Path, marker: str = "FROM-CACHE") -> None:
    """Rewrite every cached message: output showing the marker came from the cache."""
    for p in entries(cache_dir):
        entry = json.loads(p.read_text(encoding="utf-8"))
        for f in entry["findings"]:
            f[3] = marker
        p.write_text(json.dumps(entry), encoding="utf-8")


def check(project: Path, cache_dir: Path, *extra, env=None):
    return run("check", "--cache-dir", str(cache_dir), "-f", "json", *extra, ".", cwd=project, env=env)


def messages(out: str) -> dict[str, list[str]]:
    by_file: dict[str, list[str]] = {}
    for f in json.loads(out):
        by_file.setdefault(f["file"], []).append(f["message"])
    return by_file


def test_cache_hit_miss_and_invalidation(project, tmp_path):
    cache_dir = tmp_path / "cache"
    code, first, err = check(project, cache_dir)
    assert code == 1, err
    assert len(entries(cache_dir)) == 4
    assert (cache_dir / ".gitignore").read_text().strip().endswith("*") and (cache_dir / "CACHEDIR.TAG").is_file()
    # an unchanged run reproduces the output exactly
    assert check(project, cache_dir)[1] == first
    # hits: the tampered messages come back
    tamper(cache_dir)
    hit = messages(check(project, cache_dir)[1])
    assert all(m == ["FROM-CACHE"] * len(m) for m in hit.values())
    # content change: that file is checked again, the others are still hits; its entry is replaced
    (project / "app" / "Dockerfile").write_text(BAD.replace("python:latest", "python:3.12"))
    after = messages(check(project, cache_dir)[1])
    assert "FROM-CACHE" not in after["app/Dockerfile"] and not any("latest" in m for m in after["app/Dockerfile"])
    assert set(after["web/Dockerfile"]) == {"FROM-CACHE"}
    assert len(entries(cache_dir)) == 4
    # configuration change: everything below it is checked again
    (project / ".dockerls.yaml").write_text("ignore: [DL4003]\n")
    configured = messages(check(project, cache_dir)[1])
    assert all("FROM-CACHE" not in m for ms in configured.values() for m in ms)
    assert not any("CMD" in m for m in configured["app/Dockerfile"])
    # a command-line option that changes the configuration is a different entry too
    ignored = messages(check(project, cache_dir, "--ignore", "DF101")[1])
    assert not any("npm ci" in m for m in ignored["web/Dockerfile"])


def test_cache_follows_the_files_rules_look_at(project, tmp_path):
    cache_dir = tmp_path / "cache"
    before = messages(check(project, cache_dir)[1])["web/Dockerfile"]
    assert any(".dockerignore" in m for m in before)  # DF102: COPY . . without a .dockerignore
    tamper(cache_dir)
    (project / "web" / ".dockerignore").write_text("node_modules\n")
    after = messages(check(project, cache_dir)[1])
    assert "FROM-CACHE" not in after["web/Dockerfile"]
    assert not any(".dockerignore" in m for m in after["web/Dockerfile"])
    assert set(after["app/Dockerfile"]) == {"FROM-CACHE"}  # elsewhere: still hits


def test_cache_follows_package_json(project, tmp_path):
    cache_dir = tmp_path / "cache"
    before = messages(check(project, cache_dir)[1])["web/Dockerfile"]
    assert any("npm ci" in m for m in before)  # DF101
    tamper(cache_dir)
    (project / "web" / "package.json").write_text('{"workspaces": ["packages/*"]}\n')
    after = messages(check(project, cache_dir)[1])
    assert "FROM-CACHE" not in after["web/Dockerfile"]
    assert set(after["app/Dockerfile"]) == {"FROM-CACHE"}


def test_cache_follows_the_env_file_and_includes_of_compose_files(project, tmp_path):
    cache_dir = tmp_path / "cache"
    (project / "compose.yaml").write_text(COMPOSE + "include:\n  - extra.yaml\n")
    (project / "extra.yaml").write_text("services:\n  db:\n    image: postgres:16\n")
    unset = messages(check(project, cache_dir)[1])["compose.yaml"]
    assert any("TAG" in m for m in unset)
    tamper(cache_dir)
    (project / ".env").write_text("TAG=1.27\n")  # the project's .env sets the variable
    with_env = messages(check(project, cache_dir)[1])["compose.yaml"]
    assert "FROM-CACHE" not in with_env and not any("TAG" in m for m in with_env)
    tamper(cache_dir)
    assert set(messages(check(project, cache_dir)[1])["compose.yaml"]) == {"FROM-CACHE"}
    (project / "extra.yaml").write_text("services:\n  web:\n    image: postgres:16\n")  # clashes now
    included = messages(check(project, cache_dir)[1])["compose.yaml"]
    assert "FROM-CACHE" not in included and any("already defined" in m for m in included)


def test_cache_follows_the_environment_of_compose_files(project, tmp_path):
    cache_dir = tmp_path / "cache"
    unset = messages(check(project, cache_dir)[1])["compose.yaml"]
    assert any("TAG" in m for m in unset)
    tamper(cache_dir)
    assert set(messages(check(project, cache_dir)[1])["compose.yaml"]) == {"FROM-CACHE"}
    with_tag = messages(check(project, cache_dir, env={"TAG": "1.27"})[1])["compose.yaml"]
    assert "FROM-CACHE" not in with_tag and not any("TAG" in m for m in with_tag)


def test_no_cache_neither_reads_nor_writes(project, tmp_path):
    cache_dir = tmp_path / "cache"
    check(project, cache_dir)
    tamper(cache_dir)
    out = run("check", "--no-cache", "--cache-dir", str(cache_dir), "-f", "json", ".", cwd=project)[1]
    assert "FROM-CACHE" not in out
    fresh = tmp_path / "fresh"
    run("check", "--no-cache", "--cache-dir", str(fresh), ".", cwd=project)
    assert not fresh.exists()


def _tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def test_default_cache_location_and_environment_variable(project, tmp_path):
    before = _tree(project)
    (project / "app").mkdir(exist_ok=True)
    code, _, err = run("check", ".", cwd=project / "app")  # from a subfolder: the same project
    assert code == 1, err
    assert _tree(project) == before  # nothing written in the checked folder
    roots = list((tmp_path / "xdg" / "dockerls").iterdir())
    assert len(roots) == 1 and roots[0].name.startswith("repo-") and entries(roots[0])
    assert (roots[0] / cache_module.ROOT_MARKER).is_file()
    assert cache_module.default_dir(str(project / "web")) == str(roots[0])
    elsewhere = tmp_path / "env-cache"
    proc = subprocess.run([sys.executable, "-m", "dockerls", "check", "."], cwd=project, capture_output=True,
                          env=dict(os.environ, DOCKERLS_CACHE_DIR=str(elsewhere)), timeout=120)
    assert proc.returncode == 1 and entries(elsewhere)


def _old(folder: Path, days: int = 30) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "work.txt").write_text("precious\n")
    then = time.time() - days * 24 * 3600
    os.utime(folder, (then, then))
    return folder


STATE_LIKE = "0.0.1-0123456789abcdef0123"  # named as dockerls names its states


def test_a_committed_cache_symlink_out_of_the_repository_deletes_and_writes_nothing(project, tmp_path):
    siblings = [_old(tmp_path / "old-checkout"), _old(tmp_path / STATE_LIKE)]
    (project / ".dockerls-cache").symlink_to("..")
    outside = _tree(tmp_path) - {p for p in _tree(tmp_path) if p.startswith("repo")}
    for args in (["--cache-dir", ".dockerls-cache"], ["--cache-dir", str(project / ".dockerls-cache")]):
        code, out, err = run("check", *args, "-f", "json", ".", cwd=project)
        assert code == 1 and json.loads(out) and "leads out of" in err
    assert all((s / "work.txt").is_file() for s in siblings)
    now_outside = _tree(tmp_path) - {p for p in _tree(tmp_path) if p.startswith("repo")}
    assert now_outside == outside  # nothing written next to the repository


def test_a_cache_dir_dockerls_did_not_create_is_never_cleaned(project, tmp_path):
    shared = tmp_path / "shared-cache"
    kept = [_old(shared / "someone-elses"), _old(shared / STATE_LIKE)]
    code, _, err = run("check", ".", cwd=project, env={"DOCKERLS_CACHE_DIR": str(shared)})
    assert code == 1, err
    assert entries(shared) and all((k / "work.txt").is_file() for k in kept)
    assert not (shared / cache_module.ROOT_MARKER).exists()
    code, _, _ = run("check", "--cache-dir", str(shared), ".", cwd=project)
    assert all((k / "work.txt").is_file() for k in kept)


def test_stale_states_of_a_cache_dockerls_made_are_cleaned(project, tmp_path):
    cache_dir = tmp_path / "cache"
    check(project, cache_dir)
    assert (cache_dir / cache_module.ROOT_MARKER).is_file()
    stale, recent, other = _old(cache_dir / STATE_LIKE), _old(cache_dir / "0.0.2-0123456789abcdef0123", 1), \
        _old(cache_dir / "notes")
    target = _old(tmp_path / "elsewhere")
    (cache_dir / "0.0.3-0123456789abcdef0123").symlink_to(target)
    for state in cache_dir.iterdir():  # dockerls' current state, made again: it cleans then
        if state.is_dir() and not state.is_symlink() and state not in (stale, recent, other):
            shutil.rmtree(state)
    check(project, cache_dir)
    assert not stale.exists()
    assert recent.is_dir() and (other / "work.txt").is_file() and (target / "work.txt").is_file()
    assert (cache_dir / "0.0.3-0123456789abcdef0123").is_symlink()


def test_a_symlink_planted_below_the_cache_root_disables_the_cache(project, tmp_path):
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    target = tmp_path / "target"
    target.mkdir()
    state = os.path.basename(Cache(str(cache_dir), project=str(project)).state_dir)
    (cache_dir / state).symlink_to(target)
    code, out, err = check(project, cache_dir)
    assert code == 1 and json.loads(out) and err.count("cache disabled") == 1
    assert not list(target.iterdir())


def test_corrupt_entries_are_ignored_and_replaced(project, tmp_path):
    cache_dir = tmp_path / "cache"
    first = check(project, cache_dir)[1]
    paths = entries(cache_dir)
    garbage = ["", "{", "[]", '{"format": 1}', json.dumps({"format": 1, "digest": "x"}), "\0\xff"]
    for p, g in zip(paths, garbage):
        p.write_text(g, encoding="latin-1")
    code, again, err = check(project, cache_dir)
    assert code == 1 and again == first and "Traceback" not in err
    # an entry whose findings cannot be rebuilt (right digest, broken finding) is a miss too
    entry = json.loads(entries(cache_dir)[0].read_text(encoding="utf-8"))
    entry["findings"] = [["DL3007"]]
    entries(cache_dir)[0].write_text(json.dumps(entry), encoding="utf-8")
    assert check(project, cache_dir)[1] == first
    assert all(json.loads(p.read_text(encoding="utf-8"))["findings"] is not None for p in entries(cache_dir))


def test_unwritable_cache_warns_once_and_still_checks(project, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    code, out, err = check(project, blocker)
    assert code == 1 and json.loads(out)
    assert err.count("cache disabled") == 1


def test_concurrent_runs_share_a_cache(project, tmp_path):
    cache_dir = tmp_path / "cache"
    env = dict(os.environ)
    env.pop("DOCKERLS_CACHE_DIR", None)
    cmd = [sys.executable, "-m", "dockerls", "check", "--cache-dir", str(cache_dir), "-f", "json", "."]
    procs = [subprocess.Popen(cmd, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for _ in range(4)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 1 for p in procs), [o[1] for o in outs]
    assert len({o[0] for o in outs}) == 1 and not any(o[1] for o in outs)
    assert not [p for p in cache_dir.rglob(".tmp*")]  # every write was renamed into place
    assert len(entries(cache_dir)) == 4
    assert check(project, cache_dir)[1] == outs[0][0]


def test_cached_results_reproduce_every_format_exactly(project, tmp_path):
    formats = ["json", "sarif", "text", "checkstyle", "gitlab", "junit", "github", "codeclimate"]

    def outputs(*extra):
        args = [arg for name in formats for arg in ("-f", f"{name}:{tmp_path / 'out' / name}")]
        run("check", *extra, *args, ".", cwd=project)
        return {name: (tmp_path / "out" / name).read_bytes() for name in formats}

    reference = outputs("--no-cache")
    outputs("--cache-dir", str(tmp_path / "cache"))  # fills the cache
    assert outputs("--cache-dir", str(tmp_path / "cache")) == reference


def test_fix_uses_the_cache_only_when_there_is_nothing_to_fix(project, tmp_path):
    cache_dir = tmp_path / "cache"
    check(project, cache_dir)
    run("check", "--cache-dir", str(cache_dir), "--fix", "app/Dockerfile", cwd=project)
    assert "gcc && rm -rf /var/lib/apt/lists/*" in (project / "app" / "Dockerfile").read_text()


def test_finding_round_trip():
    result = check_file("Dockerfile", "dockerfile", BAD.encode(), Config())
    assert serialisable()
    findings = result.findings
    assert any(f.fix for f in findings) and any(f.related for f in findings)
    again = [finding_in(json.loads(json.dumps(finding_out(f)))) for f in findings]
    assert again == findings
    assert all(isinstance(f.severity, Severity) for f in again)


def test_cache_code_fingerprint_tracks_the_package(tmp_path, monkeypatch):
    first = cache_module.code_fingerprint()
    assert first == cache_module.code_fingerprint()
    cache_module.code_fingerprint.cache_clear()
    monkeypatch.setattr(cache_module, "__version__", "999.0")
    assert cache_module.code_fingerprint() != first
    cache_module.code_fingerprint.cache_clear()
    assert Cache(str(tmp_path)).state_dir.startswith(str(tmp_path))


# -- parallel ------------------------------------------------------------------------------------------

def _many(root: Path, n: int) -> None:
    templates = [BAD, NODE, UNICODE, "FROM alpine:3.20\nUSER 65534\nCMD [\"sh\"]\n"]
    for i in range(n):
        folder = root / f"svc{i:03d}"
        folder.mkdir(parents=True)
        (folder / "Dockerfile").write_text(templates[i % len(templates)].replace("CMD", f"LABEL n={i}\nCMD", 1),
                                           encoding="utf-8")


def test_workers_only_for_many_files():
    assert workers_for(PARALLEL_THRESHOLD, 8) == 1
    assert workers_for(PARALLEL_THRESHOLD + 1, 1) == 1
    if can_fork():
        assert workers_for(PARALLEL_THRESHOLD + 1, 2) == 2
        assert workers_for(40, 64) == 40


@pytest.mark.skipif(not can_fork(), reason="worker processes need fork (Linux)")
def test_parallel_results_are_identical_to_serial(tmp_path):
    _many(tmp_path, PARALLEL_THRESHOLD + 8)
    jobs = [Job(str(p), str(p), "dockerfile", p.read_bytes(), Config(), record=True)
            for p in sorted(tmp_path.rglob("Dockerfile"))]
    serial = run_jobs(jobs, 1)
    parallel = run_jobs(jobs, 2)
    assert [o.result.findings for o in parallel] == [o.result.findings for o in serial]
    assert [o.result.text for o in parallel] == [o.result.text for o in serial]
    assert [o.dependencies for o in parallel] == [o.dependencies for o in serial]


def test_parallel_and_serial_command_lines_agree(tmp_path):
    (tmp_path / ".git").mkdir()
    _many(tmp_path, PARALLEL_THRESHOLD + 8)
    serial = run("check", "--no-cache", "-j", "1", "-f", "json", ".", cwd=tmp_path)
    parallel = run("check", "--no-cache", "-j", "2", "-f", "json", ".", cwd=tmp_path)
    assert serial[0] == parallel[0] == 1
    assert serial[1] == parallel[1] and json.loads(serial[1])
    cached = run("check", "--cache-dir", str(tmp_path / "c"), "-j", "2", "-f", "json", ".", cwd=tmp_path)
    assert cached[1] == serial[1]
    assert run("check", "-j", "0", ".", cwd=tmp_path)[0] == 2


# -- the GitHub Action ---------------------------------------------------------------------------------

def test_action_definition():
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert steps[0]["uses"] == "actions/setup-python@v5"
    assert "${{ github.action_path }}" in steps[1]["env"]["ACTION_PATH"] and '"$ACTION_PATH"' in steps[1]["run"]
    assert action["inputs"]["format"]["default"] == "sarif"
    assert {"paths", "failure-threshold", "args", "version", "no-fail"} <= set(action["inputs"])
    assert "output-file" in action["outputs"]
    for step in steps[1:]:  # inputs only through the environment: no ${{ }} inside the scripts
        assert "${{" not in step["run"]


def _action_check(project: Path, tmp_path: Path, **inputs) -> tuple[int, str, dict]:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    script = action["runs"]["steps"][2]["run"]
    wrapper = tmp_path / "dockerls-bin"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m dockerls "$@"\n')
    wrapper.chmod(0o755)
    outputs = tmp_path / "github-output"
    outputs.write_text("")
    env = dict(os.environ, DOCKERLS=str(wrapper), GITHUB_OUTPUT=str(outputs), PYTHONPATH=str(ROOT))
    env.pop("DOCKERLS_CACHE_DIR", None)
    for name, default in action["inputs"].items():
        env[f"INPUT_{name.upper().replace('-', '_')}"] = inputs.get(name.replace("-", "_"), default["default"])
    proc = subprocess.run(["bash", "-c", script], cwd=project, env=env, capture_output=True, text=True, timeout=120)
    values = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    return proc.returncode, proc.stdout, values


def test_action_script_writes_sarif_and_annotates(project, tmp_path):
    code, out, values = _action_check(project, tmp_path, paths="app\nweb ")
    assert code == 1 and values == {"output-file": "dockerls.sarif", "exit-code": "1"}
    assert "::warning file=app/Dockerfile,line=1,col=13" in out
    sarif = json.loads((project / "dockerls.sarif").read_text())
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} >= {"DL3007", "DF101"}
    assert all("ünï" not in r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
               for r in sarif["runs"][0]["results"])
    code, out, values = _action_check(project, tmp_path, format="junit", annotations="false", no_fail="true",
                                      args="--ignore DL3007 --no-cache")
    assert code == 0 and out == "" and values["output-file"] == "dockerls-junit.xml"
    assert "DL3007" not in (project / "dockerls-junit.xml").read_text()
    code, _, values = _action_check(project, tmp_path, failure_threshold="error", paths="app\n")
    assert code == 0 and values["exit-code"] == "0"
