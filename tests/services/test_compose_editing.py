"""Compose links (image pages, include) and ignore pragmas as code actions."""

from __future__ import annotations

from dockerls import kinds
from dockerls.config import DEFAULT


def test_links_to_image_pages_included_files_and_the_dockerfile(tmp_path):
    (tmp_path / "other.yaml").write_text("services:\n  x:\n    image: busybox\n")
    (tmp_path / "Dockerfile").write_text("FROM alpine\n")
    text = ("include:\n  - other.yaml\n  - path: [other.yaml]\nservices:\n  web:\n    image: ghcr.io/acme/web:1.2\n"
            "    build: .\n  db:\n    image: ${DB_IMAGE:-postgres}:16\n  own:\n    image: registry.example/x\n")
    analysis = kinds.named("compose").analyse(text, str(tmp_path / "compose.yaml"))
    found = [(text[link.start : link.end], link.target) for link in analysis.links()]
    assert found == [
        ("other.yaml", (tmp_path / "other.yaml").as_uri()),
        ("other.yaml", (tmp_path / "other.yaml").as_uri()),
        ("ghcr.io/acme/web:1.2", "https://github.com/users/acme/packages/container/package/web"),
        (".", (tmp_path / "Dockerfile").as_uri()),
        ("${DB_IMAGE:-postgres}:16", "https://hub.docker.com/_/postgres"),
    ]


TEXT = "services:\n  web:\n    image: nginx:1\n    depends_on: [cache]\n"


def _apply(text, edit):
    return text[: edit.start] + edit.new_text + text[edit.end :]


def test_ignore_actions_silence_the_rule_for_the_entry_or_the_file():
    analysis = kinds.named("compose").analyse(TEXT, None)
    finding = next(f for f in analysis.lint(DEFAULT, None) if f.code == "DC103")
    actions = analysis.ignore_edits(analysis.lines.offset(finding.range.start), "DC103")
    assert [title for title, _ in actions] == ["Ignore DC103 for this entry", "Ignore DC103 for this file"]
    entry = _apply(TEXT, actions[0][1])
    assert entry == "services:\n  web:\n    image: nginx:1\n    # dockerls ignore=DC103\n    depends_on: [cache]\n"
    assert _apply(TEXT, actions[1][1]) == "# dockerls global ignore=DC103\n" + TEXT
    for fixed in (entry, _apply(TEXT, actions[1][1])):
        assert "DC103" not in [f.code for f in kinds.named("compose").analyse(fixed, None).lint(DEFAULT, None)]


def test_an_ignore_pragma_above_gets_the_code_added():
    text = TEXT.replace("    depends_on", "    # dockerls ignore=DC101\n    depends_on").replace(
        "services:", "# dockerls global ignore=DC116\nservices:")
    analysis = kinds.named("compose").analyse(text, None)
    actions = analysis.ignore_edits(text.index("cache"), "DC103")
    assert "# dockerls ignore=DC101,DC103\n" in _apply(text, actions[0][1])
    assert _apply(text, actions[1][1]).startswith("# dockerls global ignore=DC116,DC103\n")


def test_build_target_goes_to_the_dockerfile_stage(tmp_path):
    (tmp_path / "app.Dockerfile").write_text("FROM python:3.12 AS build\nFROM python:3.12-slim AS runtime\n")
    text = "services:\n  web:\n    build:\n      context: .\n      dockerfile: app.Dockerfile\n      target: runtime\n"
    analysis = kinds.named("compose").analyse(text, str(tmp_path / "compose.yaml"))
    found = analysis.definition(text.index("runtime") + 2)
    dockerfile = (tmp_path / "app.Dockerfile").read_text()
    assert [(loc.path, dockerfile[loc.start : loc.end]) for loc in found] == [
        (str(tmp_path / "app.Dockerfile"), "runtime")]
    assert found[0].start == dockerfile.index("runtime")
