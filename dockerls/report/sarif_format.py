"""SARIF 2.1.0, as GitHub code scanning reads it (``github/codeql-action/upload-sarif``).

One run; ``tool.driver.rules`` describes each rule that has a result (id, name, descriptions, the
rule's documentation as help markdown, ``helpUri``, the default level); each result names its rule
and level, its location (a URI relative to the working directory, through ``%SRCROOT%``, and a
region with 1-based lines and UTF-16 columns, SARIF's default ``columnKind``), related locations,
a stable partial fingerprint and, when the finding has a fix, the fix as replacements.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from dockerls import __version__
from dockerls.finding import Finding, Severity
from dockerls.report._common import (Fingerprints, Located, display_path, edit_span, line_text, span,
                                     write_json_document)

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
HELP_URI = "https://dockerls.dev/rules/{code}"
INFORMATION_URI = "https://dockerls.dev"
SHELLCHECK_WIKI = "https://www.shellcheck.net/wiki/{code}"
SRCROOT = "%SRCROOT%"

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note", Severity.STYLE: "note"}


def artifact_location(path: str) -> dict:
    shown = display_path(path)
    if shown == "-":
        return {"uri": "stdin"}
    if os.path.isabs(shown):  # outside the working directory
        return {"uri": Path(shown).as_uri()}
    return {"uri": quote(shown, safe="/"), "uriBaseId": SRCROOT}


def region(s) -> dict:
    return {"startLine": s.start_line, "startColumn": s.start_column, "endLine": s.end_line,
            "endColumn": s.end_column}


def _rule_descriptor(code: str, sample: Finding) -> dict:
    from dockerls.rules.registry import find_rule

    rule = find_rule(code)
    if rule is None or rule.code != code:  # ShellCheck's SCnnnn, or a code no rule class owns
        uri = SHELLCHECK_WIKI.format(code=code) if code.startswith("SC") else HELP_URI.format(code=code)
        text = f"ShellCheck {code}" if code.startswith("SC") else sample.name
        return {
            "id": code, "name": sample.name,
            "shortDescription": {"text": text},
            "helpUri": uri,
            "help": {"text": f"See {uri}", "markdown": f"See [{code}]({uri})."},
            "defaultConfiguration": {"level": LEVELS[sample.severity]},
            "properties": {"tags": ["shellcheck" if code.startswith("SC") else "dockerls"]},
        }
    doc = rule.doc()
    summary = rule.summary()
    full = summary
    for paragraph in doc.split("\n\n")[1:]:  # the first paragraph of prose after the summary
        lines = [line for line in paragraph.strip().splitlines() if not line.startswith("#")]
        if lines and not lines[0].startswith(("```", "|", "-", "*")):
            full = f"{summary} {' '.join(' '.join(lines).split())}"
            break
    descriptor: dict[str, Any] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": full},
        "help": {"text": doc, "markdown": doc},
        "helpUri": HELP_URI.format(code=rule.code),
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": [rule.kind, *rule.tags]},
    }
    if rule.buildkit_check:
        descriptor["properties"]["buildkitCheck"] = rule.buildkit_check
    return descriptor


def to_sarif(results) -> dict:
    located = Located()
    fingerprint = Fingerprints()
    samples: dict[str, Finding] = {}
    for r in results:
        for f in r.findings:
            samples.setdefault(f.code, f)
    codes = sorted(samples)
    index = {code: i for i, code in enumerate(codes)}
    artifacts: dict[str, dict] = {}
    sarif_results = []
    for r in results:
        for f in r.findings:
            path = located.file_of(r, f)
            lines = located.lines_of(r, f)
            artifact = artifacts.get(path)
            if artifact is None:
                artifact = artifacts[path] = artifact_location(path)
            where = span(lines, f.range)
            item = {
                "ruleId": f.code,
                "ruleIndex": index[f.code],
                "level": LEVELS[f.severity],
                "message": {"text": f.message},
                "locations": [{"physicalLocation": {"artifactLocation": artifact, "region": region(where)}}],
                "partialFingerprints": {
                    "dockerls/v1": fingerprint(display_path(path), f.code, line_text(lines, f.range.start.line)),
                },
            }
            if f.related:
                item["relatedLocations"] = [
                    {"id": i, "message": {"text": rel.message},
                     "physicalLocation": {"artifactLocation": artifact, "region": region(span(lines, rel.range))}}
                    for i, rel in enumerate(f.related, 1)
                ]
            if f.fix and f.fix.edits:
                item["fixes"] = [{
                    "description": {"text": f"{f.fix.title} ({f.fix.applicability})"},
                    "artifactChanges": [{
                        "artifactLocation": artifact,
                        "replacements": [
                            {"deletedRegion": region(edit_span(lines, e.start, e.end)),
                             "insertedContent": {"text": e.new_text}}
                            for e in f.fix.edits
                        ],
                    }],
                }]
            sarif_results.append(item)
    cwd = Path(os.getcwd()).as_uri().rstrip("/") + "/"
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "dockerls",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule_descriptor(code, samples[code]) for code in codes],
            }},
            "originalUriBaseIds": {SRCROOT: {"uri": cwd}},
            "columnKind": "utf16CodeUnits",
            "results": sarif_results,
        }],
    }


def render(results, out: TextIO, colour: bool = False) -> None:
    write_json_document(out, to_sarif(results), ("runs", 0, "results"))
