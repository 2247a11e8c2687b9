"""What must hold for every input, whatever it is: each check raises AssertionError (or the
exception the code under test raised) when it does not."""

from __future__ import annotations

import io
import json
import os
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import jsonschema

from dockerls.check import FileResult, check_file, lint_text
from dockerls.config import DEFAULT
from dockerls.finding import Finding
from dockerls.parse.dockerfile import parse_dockerfile
from dockerls.report import FORMATS, renderer
from dockerls.text import LineIndex
from tests.conftest import ROOT
from tests.lint.test_incremental import _canonical, _parse_view

# Seconds one input may take to lint (or to fix, per fix applied).  Generous: the machine may be busy.
TIME_BOUND = float(os.environ.get("DOCKERLS_FUZZ_TIME_BOUND", "5"))
# Inputs checked, by property: the closing note of a long run reports them.
COUNTS: Counter[str] = Counter()

# Files are checked in an empty folder of their own: rules that look beside the file find nothing.
_FOLDER = Path(tempfile.mkdtemp(prefix="dockerls-fuzz-"))
PATHS = {"dockerfile": str(_FOLDER / "Dockerfile"), "compose": str(_FOLDER / "compose.yaml"),
         "devcontainer": str(_FOLDER / ".devcontainer" / "devcontainer.json")}

_JSON_SCHEMA = json.loads((ROOT / "schemas" / "findings.schema.json").read_text(encoding="utf-8"))
_SARIF = jsonschema.Draft4Validator(json.loads(
    (ROOT / "tests" / "fixtures" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")))


def timed(what: str, func, *args, bound: float = TIME_BOUND, **kwargs):
    start = time.thread_time()
    out = func(*args, **kwargs)
    took = time.thread_time() - start
    assert took < bound, f"{what} took {took:.1f} s (the bound is {bound} s)"
    return out


def check_ranges(text: str, lines: LineIndex, findings: list[Finding]) -> None:
    size = len(text)

    def inside(rng, what):
        assert 0 <= rng.start_offset <= rng.end_offset <= size, (what, rng, size)
        assert lines.position(rng.start_offset) == rng.start and lines.position(rng.end_offset) == rng.end, (what, rng)

    for f in findings:
        inside(f.range, f.code)
        if f.source_file is None:  # related locations of a cross-file finding are in the other file
            for r in f.related:
                inside(r.range, f"{f.code} related")
        if f.fix:
            for e in f.fix.edits:
                assert 0 <= e.start <= e.end <= size, (f.code, e, size)


def check_lint(data: str | bytes, kind: str) -> tuple[str, LineIndex, list[Finding]]:
    """Lint through the public entry, in time, with every range inside the document."""
    COUNTS[f"lint {kind}"] += 1
    text, lines, findings = timed(f"linting a {kind} file", lint_text, data, kind, DEFAULT, PATHS[kind])
    check_ranges(text, lines, findings)
    return text, lines, findings


def _errors(text: str) -> int:
    return sum(1 for p in parse_dockerfile(text).problems if p.severity == "error")


def check_fixes(data: str | bytes, kind: str) -> FileResult:
    """``--fix --unsafe-fixes``: the result parses as well as before, has no new kind of finding, and
    fixing it again changes nothing."""
    COUNTS[f"fix {kind}"] += 1
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    result = timed(f"fixing a {kind} file", check_file, PATHS[kind], kind, raw, DEFAULT, fix=True,
                   unsafe_fixes=True, bound=TIME_BOUND * 4)
    check_ranges(result.text, result.lines, result.findings)
    if result.fixed is None:
        return result
    original, _, _ = lint_text(data, kind, DEFAULT, PATHS[kind])
    before = check_file(PATHS[kind], kind, raw, DEFAULT).findings  # with the external tools' (ShellCheck)
    if kind == "dockerfile":
        assert _errors(result.text) <= _errors(original), result.text
    counts = Counter(f.code for f in before)
    new = {c for c, n in Counter(f.code for f in result.findings).items() if n > counts.get(c, 0)}
    assert not new, (new, result.text)
    again = check_file(PATHS[kind], kind, result.text.encode("utf-8", "surrogatepass"), DEFAULT, fix=True,
                       unsafe_fixes=True)
    assert again.fixed is None, ("fixing the fixed text changed it", result.text, again.text)
    return result


def check_reports(results: list[FileResult]) -> None:
    """Every output format renders; JSON matches its schema, SARIF the SARIF 2.1.0 schema, XML parses."""
    COUNTS["reports"] += 1
    for name in FORMATS:
        out = io.StringIO()
        renderer(name)(results, out)
        if name == "json":
            jsonschema.validate(json.loads(out.getvalue()), _JSON_SCHEMA)
        elif name == "sarif":
            errors = list(_SARIF.iter_errors(json.loads(out.getvalue())))
            assert not errors, [e.message for e in errors[:3]]
        elif name in ("checkstyle", "junit"):
            ET.fromstring(out.getvalue())
        elif name == "gitlab":
            json.loads(out.getvalue())
        elif name == "codeclimate":  # a stream of NUL-terminated JSON objects
            for issue in out.getvalue().split("\0")[:-1]:
                json.loads(issue)


def apply(text: str, edit: tuple[int, int, str]) -> str:
    a, b, new = edit
    return text[:a] + new + text[b:]


def check_incremental(text: str, edits: list[tuple[int, int, str]]) -> None:
    """Each version parsed from the one before equals the fresh parse; the stage memo's lint equals
    the full lint."""
    from dockerls.lint.incremental import StageMemo
    from dockerls.lint.runner import lint_dockerfile

    COUNTS["incremental"] += 1
    previous = parse_dockerfile(text)
    memo = StageMemo()
    lint_dockerfile(previous, memo=memo, memo_key=DEFAULT)
    for edit in edits:
        text = apply(text, edit)
        reparsed = parse_dockerfile(text, previous=previous)
        fresh = parse_dockerfile(text)
        assert _parse_view(reparsed) == _parse_view(fresh), text
        assert _canonical(lint_dockerfile(reparsed, memo=memo, memo_key=DEFAULT)) == \
            _canonical(lint_dockerfile(fresh)), text
        previous = reparsed


def _past_crlf(text: str, offset: int) -> int:
    """``offset``, moved past the "\n" when it falls between a "\r" and it: no position of the
    language server protocol points there (a line ends at the "\r")."""
    return offset + 1 if 0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n" else offset


def check_document(kind: str, text: str, edits: list[tuple[int, int, str]]) -> None:
    """The language server's document, changed by range edits in UTF-16 positions, lints as a fresh
    lint of its text does."""
    from dockerls import kinds
    from dockerls.lsp.documents import Document

    COUNTS["lsp document"] += 1
    path = PATHS[kind]
    doc = Document("file://" + path, kind, 1, text, kinds.named(kind), path)
    doc.findings(DEFAULT, "fuzz")
    for a, b, new in edits:
        a, b = _past_crlf(text, a), _past_crlf(text, b)  # LSP positions cannot split a "\r\n"
        edit = (a, max(a, b), new)
        start, end = doc.lines.range_to_client(doc.lines.range(a, b), "utf-16")
        doc.apply_change(SimpleNamespace(range=SimpleNamespace(start=start, end=end), text=new), "utf-16")
        text = apply(text, edit)
        assert doc.text == text
        found = doc.findings(DEFAULT, "fuzz")
        _, lines, fresh = lint_text(text, kind, DEFAULT, path)
        check_ranges(text, lines, found)
        assert _canonical(found) == _canonical(fresh), text
