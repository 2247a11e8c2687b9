"""Every output format on one fixed set of findings: positions (1-based, UTF-16 columns), escaping,
a file with non-ASCII text and name, a clean file, fixes and related locations."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from dockerls.check import FileResult
from dockerls.finding import SAFE, UNSAFE, Edit, Finding, Fix, Related, Severity
from dockerls.report import FORMATS, renderer
from dockerls.text import LineIndex

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ROOT = FIXTURES.parent.parent

# Line 2 has an emoji (two UTF-16 code units) before the finding; the path has a space, a comma,
# a colon and a non-ASCII letter.
WEIRD_PATH = "svc, a:b/Dockerfile.ü ö"
WEIRD_TEXT = 'FROM busybox:1\nLABEL a="😀" b=c\nFROM node:latest\n'
MESSAGE = 'Bad "thing" <here> & 100% sure: a, b\r\nsecond line\x01'


def _finding(lines: LineIndex, path: str, code: str, start: int, end: int, message: str,
             severity=Severity.WARNING, **kw) -> Finding:
    return Finding(code, kw.pop("name", "some-rule"), severity, message, lines.range(start, end), path, **kw)


def make_results() -> list[FileResult]:
    plain_text = "FROM python:latest\nRUN apt-get update\nRUN rm -rf /var/lib/apt/lists/*\n"
    plain = LineIndex(plain_text)
    weird = LineIndex(WEIRD_TEXT)
    emoji_end = WEIRD_TEXT.index('" b=c')  # just after the emoji
    results = [
        FileResult("app/Dockerfile", "dockerfile", plain_text, plain, [
            _finding(plain, "app/Dockerfile", "DL3007", 12, 18, "Using latest", name="latest-tag"),
            _finding(plain, "app/Dockerfile", "DF100", 38, 69, "Cleanup in another layer", name="cleanup-in-separate-layer",
                     fix=Fix("Move the cleanup", [Edit(37, 37, " && rm -rf /var/lib/apt/lists/*"), Edit(38, 70, "")], SAFE),
                     related=[Related(plain.range(19, 22), "the RUN that created the files")]),
        ]),
        FileResult(WEIRD_PATH, "dockerfile", WEIRD_TEXT, weird, [
            _finding(weird, WEIRD_PATH, "DL9999", emoji_end, emoji_end + 5, MESSAGE, Severity.ERROR),
            _finding(weird, WEIRD_PATH, "DL3007", 41, 47, "Using latest", Severity.INFO, name="latest-tag",
                     fix=Fix("Pin", [Edit(41, 47, "22")], UNSAFE)),
            _finding(weird, WEIRD_PATH, "DL3006", 0, 4, "Style thing", Severity.STYLE),
        ]),
        FileResult("clean/Dockerfile", "dockerfile", "FROM alpine:3.20\n", LineIndex("FROM alpine:3.20\n"), []),
    ]
    return results


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # paths are shown relative to the working directory


def render(name: str, results=None) -> str:
    out = io.StringIO()
    renderer(name)(make_results() if results is None else results, out)
    return out.getvalue()


def test_every_format_renders_an_empty_run():
    for name in FORMATS:
        render(name, [])


def test_unknown_format():
    with pytest.raises(ValueError):
        renderer("xml")


def test_text():
    out = render("text").splitlines()
    assert out[0] == "app/Dockerfile:1:13: DL3007 [warning] Using latest"
    assert out[1].endswith("Cleanup in another layer [*]")
    assert out[-1].startswith("5 findings, 2 with a fix")


def test_json_matches_its_schema():
    data = json.loads(render("json"))
    jsonschema.validate(data, json.loads((ROOT / "schemas" / "findings.schema.json").read_text()))
    weird = next(f for f in data if f["code"] == "DL9999")
    assert weird["file"] == WEIRD_PATH and weird["message"] == MESSAGE
    assert weird["range"]["start"] == {"line": 1, "character": 11}  # 😀 counts two


# -- SARIF ------------------------------------------------------------------------------------------

def sarif() -> dict:
    return json.loads(render("sarif"))


def test_sarif_is_valid_against_the_sarif_2_1_0_schema():
    schema = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema)
    errors = sorted(validator.iter_errors(sarif()), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    empty = io.StringIO()
    renderer("sarif")([], empty)
    assert not list(validator.iter_errors(json.loads(empty.getvalue())))


def test_sarif_rules_metadata():
    run = sarif()["runs"][0]
    assert run["columnKind"] == "utf16CodeUnits"
    driver = run["tool"]["driver"]
    assert driver["name"] == "dockerls"
    rules = {r["id"]: r for r in driver["rules"]}
    assert list(rules) == sorted(rules)
    latest = rules["DL3007"]
    assert latest["name"] == "latest-tag"
    assert latest["helpUri"] == "https://dockerls.dev/rules/DL3007"
    assert latest["defaultConfiguration"]["level"] == "warning"
    assert latest["shortDescription"]["text"]
    assert "## Why" in latest["help"]["markdown"] and latest["fullDescription"]["text"]
    assert rules["DL9999"]["helpUri"].endswith("/DL9999")  # a code without a rule still has an entry
    for r in run["results"]:
        assert driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"]


def test_sarif_results_locations_levels_fixes():
    run = sarif()["runs"][0]
    results = run["results"]
    assert [r["level"] for r in results] == ["warning", "warning", "error", "note", "note"]
    first = results[0]["locations"][0]["physicalLocation"]
    assert first["artifactLocation"] == {"uri": "app/Dockerfile", "uriBaseId": "%SRCROOT%"}
    assert first["region"] == {"startLine": 1, "startColumn": 13, "endLine": 1, "endColumn": 19}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file:///")
    weird = results[2]
    assert weird["message"]["text"] == MESSAGE
    location = weird["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "svc%2C%20a%3Ab/Dockerfile.%C3%BC%20%C3%B6"
    # after 'LABEL a="😀': 10 code points, 11 UTF-16 code units -> column 12 (1-based)
    assert location["region"] == {"startLine": 2, "startColumn": 12, "endLine": 2, "endColumn": 17}
    cleanup = results[1]
    assert cleanup["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 2
    replacements = cleanup["fixes"][0]["artifactChanges"][0]["replacements"]
    assert replacements[0] == {"deletedRegion": {"startLine": 2, "startColumn": 19, "endLine": 2, "endColumn": 19},
                               "insertedContent": {"text": " && rm -rf /var/lib/apt/lists/*"}}
    assert replacements[1]["deletedRegion"] == {"startLine": 3, "startColumn": 1, "endLine": 4, "endColumn": 1}
    pinned = results[3]["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert pinned["deletedRegion"] == {"startLine": 3, "startColumn": 11, "endLine": 3, "endColumn": 17}
    assert all(r["partialFingerprints"]["dockerls/v1"] for r in results)


def test_sarif_file_outside_the_working_directory_gets_an_absolute_uri(tmp_path, monkeypatch):
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    results = make_results()
    results[0].path = str(tmp_path / "app" / "Dockerfile")
    for f in results[0].findings:
        f.file = results[0].path
    uri = json.loads(render("sarif", results))["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert uri["artifactLocation"] == {"uri": (tmp_path / "app" / "Dockerfile").as_uri()}


# -- GitHub -----------------------------------------------------------------------------------------

def test_github_workflow_commands_and_escaping():
    lines = render("github").splitlines()
    assert lines[0] == "::warning file=app/Dockerfile,line=1,col=13,endLine=1,endColumn=19,title=DL3007::Using latest"
    assert lines[2] == (
        "::error file=svc%2C a%3Ab/Dockerfile.ü ö,line=2,col=12,endLine=2,endColumn=17,title=DL9999::"
        'Bad "thing" <here> & 100%25 sure: a, b%0D%0Asecond line\x01'
    )
    assert lines[3].startswith("::notice ") and lines[4].startswith("::notice ")
    assert len(lines) == 5  # no newline leaks out of a message


# -- Checkstyle and JUnit ---------------------------------------------------------------------------

def test_checkstyle():
    out = render("checkstyle")
    root = ET.fromstring(out.encode("utf-8"))
    assert root.tag == "checkstyle"
    files = {f.get("name"): f for f in root.findall("file")}
    assert list(files) == ["app/Dockerfile", WEIRD_PATH, "clean/Dockerfile"]
    assert not list(files["clean/Dockerfile"])
    error = files[WEIRD_PATH].find("error")
    assert error.attrib == {"line": "2", "column": "12", "severity": "error", "source": "DL9999",
                            "message": MESSAGE.replace("\x01", "\ufffd")}
    assert [e.get("severity") for e in files[WEIRD_PATH]] == ["error", "info", "info"]


def test_junit():
    out = render("junit")
    root = ET.fromstring(out.encode("utf-8"))
    assert root.tag == "testsuites" and root.get("tests") == "6" and root.get("failures") == "5"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["app/Dockerfile", WEIRD_PATH, "clean/Dockerfile"]
    assert [s.get("tests") for s in suites] == ["2", "3", "1"]
    clean = suites[2].findall("testcase")
    assert len(clean) == 1 and clean[0].find("failure") is None
    case = suites[1].findall("testcase")[0]
    assert case.get("name") == "DL9999 some-rule (2:12)" and case.get("line") == "2"
    failure = case.find("failure")
    assert failure.get("type") == "error" and failure.get("message") == MESSAGE.replace("\x01", "\ufffd")
    assert failure.text.startswith(f"{WEIRD_PATH}:2:12: DL9999 [error] Bad")


# -- GitLab and Code Climate ------------------------------------------------------------------------

def test_gitlab_code_quality():
    issues = json.loads(render("gitlab"))
    assert [i["severity"] for i in issues] == ["major", "major", "critical", "minor", "info"]
    first = issues[0]
    assert first["check_name"] == "DL3007" and first["description"] == "DL3007 Using latest"
    assert first["location"] == {"path": "app/Dockerfile", "lines": {"begin": 1, "end": 1}}
    fingerprints = [i["fingerprint"] for i in issues]
    assert len(set(fingerprints)) == len(fingerprints)
    assert issues[2]["location"]["path"] == WEIRD_PATH


def test_gitlab_fingerprint_ignores_line_numbers_not_content():
    before = json.loads(render("gitlab"))
    shifted = make_results()
    text = "# a comment added on top\n" + shifted[1].text
    lines = LineIndex(text)
    n = len("# a comment added on top\n")
    shifted[1] = FileResult(WEIRD_PATH, "dockerfile", text, lines, [
        Finding(f.code, f.name, f.severity, f.message, lines.range(f.range.start_offset + n, f.range.end_offset + n),
                f.file) for f in shifted[1].findings])
    after = json.loads(render("gitlab", shifted))
    assert [i["location"]["lines"]["begin"] for i in after[2:]] == [3, 4, 2]
    assert [i["fingerprint"] for i in after] == [i["fingerprint"] for i in before]
    changed = make_results()
    changed[1].text = changed[1].text.replace("FROM node:latest", "FROM  node:latest   ")  # whitespace only
    changed[1].lines = LineIndex(changed[1].text)
    assert json.loads(render("gitlab", changed))[3]["fingerprint"] == before[3]["fingerprint"]
    other = make_results()
    other[0].findings[0].code = "DL3006"
    assert json.loads(render("gitlab", other))[0]["fingerprint"] != before[0]["fingerprint"]


def test_gitlab_identical_lines_get_distinct_fingerprints():
    text = "RUN a\nRUN a\n"
    lines = LineIndex(text)
    result = FileResult("Dockerfile", "dockerfile", text, lines,
                        [Finding("DL1", "x", Severity.WARNING, "m", lines.range(0, 5), "Dockerfile"),
                         Finding("DL1", "x", Severity.WARNING, "m", lines.range(6, 11), "Dockerfile")])
    a, b = json.loads(render("gitlab", [result]))
    assert a["fingerprint"] != b["fingerprint"]


def test_codeclimate_stream():
    out = render("codeclimate")
    documents = out.split("\0")
    assert documents[-1] == ""
    issues = [json.loads(d) for d in documents[:-1]]
    assert len(issues) == 5 and all(i["type"] == "issue" for i in issues)
    weird = issues[2]
    assert weird["location"] == {"path": WEIRD_PATH, "positions": {"begin": {"line": 2, "column": 12},
                                                                   "end": {"line": 2, "column": 17}}}
    assert weird["categories"] == ["Bug Risk"] and weird["content"]["body"].startswith("Bad")
    assert [i["fingerprint"] for i in issues] == [i["fingerprint"] for i in json.loads(render("gitlab"))]


def test_a_finding_in_another_file_is_reported_there(tmp_path):
    """Compose findings may lie in a file the checked one includes: shown at that file, with
    columns counted in its text."""
    (tmp_path / "base.yaml").write_text('x: "😀"\nservices: {}\n', encoding="utf-8")
    other = LineIndex('x: "😀"\nservices: {}\n')
    main_text = "include: [base.yaml]\n"
    finding = Finding("DC999", "some-rule", Severity.WARNING, "in the included file", other.range(5, 6), "base.yaml")  # the closing quote
    results = [FileResult("compose.yaml", "compose", main_text, LineIndex(main_text), [finding])]
    assert render("text", results).startswith("base.yaml:1:6: DC999")  # code points
    assert render("github", results).startswith("::warning file=base.yaml,line=1,col=7,endLine=1,endColumn=8,")
    location = json.loads(render("sarif", results))["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "base.yaml" and location["region"]["startColumn"] == 7
    assert json.loads(render("json", results))[0]["file"] == "base.yaml"
    suite = ET.fromstring(render("junit", results).encode()).find("testsuite")
    assert suite.get("name") == "compose.yaml" and suite.find("testcase").get("file") == "base.yaml"
