"""Compose names across linked files (dockerls.kinds.compose.linked): every reference form, the files
linked by include, extends.file and overlays (followed both ways), and the analysis's rename and
references over a workspace."""

from __future__ import annotations

import os

import pytest

from dockerls import kinds
from dockerls.finding import Edit
from dockerls.kinds.compose.linked import linked_files, occurrences, scan
from dockerls.services.workspace import Workspace

MAIN = """\
include:
  - path: db/compose.yaml
services:
  web:
    extends:
      file: common.yaml
      service: base
    depends_on:
      db:
        condition: service_started
    links: [db:database]
    volumes_from: [db]
    network_mode: service:db
    volumes:
      - data:/srv
      - type: volume
        source: data
        target: /other
    networks: [front]
  worker:
    depends_on: [db, web]
    extends: web
    networks:
      front:
        aliases: [w]
volumes:
  data: {}
networks:
  front: {}
"""
COMMON = "services:\n  base:\n    image: alpine\n"
DB = "services:\n  db:\n    image: postgres\n    volumes: [data:/var/lib/postgresql/data]\n"
OVERRIDE = "services:\n  db:\n    environment: [A=1]\n  web:\n    ports: ['80:80']\n"
ELSEWHERE = "services:\n  db:\n    image: mysql\n"  # another project: not linked


def _tree(tmp_path):
    files = {"compose.yaml": MAIN, "common.yaml": COMMON, "db/compose.yaml": DB, "compose.override.yaml": OVERRIDE,
             "other/compose.yaml": ELSEWHERE}
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return str(tmp_path)


def test_every_reference_form_is_scanned():
    found = scan(MAIN, "/w/compose.yaml")
    db = [MAIN[n.start : n.end] for n in found.names if n.name == "db"]
    assert db == ["db"] * 5  # depends_on long, links, volumes_from, network_mode, and worker's depends_on
    assert {(n.kind, n.name) for n in found.names if not n.declaration} == {
        ("services", "base"), ("services", "db"), ("services", "web"), ("volumes", "data"), ("networks", "front")}
    assert [MAIN[n.start : n.end] for n in found.names if n.name == "data"] == ["data", "data", "data"]
    assert sorted(found.links) == ["/w/common.yaml", "/w/db/compose.yaml"]


def test_linked_files_follow_include_extends_and_overlays_both_ways(tmp_path):
    root = _tree(tmp_path)
    workspace = Workspace([root])
    expected = {"compose.yaml", "common.yaml", "db/compose.yaml", "compose.override.yaml"}
    for start in expected:
        group = {os.path.relpath(s.path, root) for s in linked_files(workspace, os.path.join(root, start))}
        assert group == expected, start
    assert [os.path.relpath(s.path, root) for s in linked_files(workspace, os.path.join(root, "other/compose.yaml"))] \
        == ["other/compose.yaml"]


def test_occurrences_across_files(tmp_path):
    root = _tree(tmp_path)
    workspace = Workspace([root])
    found = occurrences(workspace, os.path.join(root, "db/compose.yaml"), DB.index("db:"))
    assert sorted((os.path.relpath(n.path, root), n.declaration) for n in found) == sorted(
        [("db/compose.yaml", True), ("compose.override.yaml", True)] + [("compose.yaml", False)] * 5)
    base = occurrences(workspace, os.path.join(root, "common.yaml"), COMMON.index("base"))
    assert [(os.path.basename(n.path), n.declaration) for n in base] == [("common.yaml", True), ("compose.yaml", False)]
    assert occurrences(workspace, os.path.join(root, "common.yaml"), COMMON.index("alpine")) == []


def test_rename_across_files_by_the_compose_analysis(tmp_path):
    root = _tree(tmp_path)
    workspace = Workspace([root])
    path = os.path.join(root, "compose.yaml")
    analysis = kinds.named("compose").analyse(MAIN, path)
    at = MAIN.index("[db, web]") + 1
    assert analysis.prepare_rename(at, workspace) == (at, at + 2, "db")
    edits = analysis.rename_files(at, "postgres", workspace)
    assert set(edits) == {None, os.path.join(root, "db/compose.yaml"), os.path.join(root, "compose.override.yaml")}
    assert _apply(MAIN, edits[None]).count("postgres") == 5
    assert _apply(DB, edits[os.path.join(root, "db/compose.yaml")]).startswith("services:\n  postgres:\n")
    with pytest.raises(ValueError):
        analysis.rename_files(at, "bad name", workspace)
    # without the workspace view, a name used in another file is refused (as before)
    with pytest.raises(ValueError):
        analysis.rename(at, "postgres")


def test_references_of_an_extended_service_from_its_own_file(tmp_path):
    root = _tree(tmp_path)
    workspace = Workspace([root])
    path = os.path.join(root, "common.yaml")
    analysis = kinds.named("compose").analyse(COMMON, path)
    found = analysis.references(COMMON.index("base"), False, workspace)
    assert [(loc.path, MAIN[loc.start : loc.end]) for loc in found] == [(os.path.join(root, "compose.yaml"), "base")]


def test_the_open_text_wins_over_the_file(tmp_path):
    root = _tree(tmp_path)
    path = os.path.join(root, "db/compose.yaml")
    edited = DB.replace("  db:", "  database:")
    workspace = Workspace([root], lambda: {path: edited})
    found = occurrences(workspace, path, edited.index("database"))
    assert [os.path.basename(n.path) for n in found] == ["compose.yaml"]  # nothing else names it yet


def test_files_outside_the_workspace_are_not_read(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "common.yaml").write_text(COMMON)
    root = tmp_path / "w"
    root.mkdir()
    (root / "compose.yaml").write_text("services:\n  web:\n    extends: {file: ../outside/common.yaml, service: base}\n")
    (root / "linked").symlink_to(outside)
    workspace = Workspace([str(root)])
    assert [os.path.basename(s.path) for s in linked_files(workspace, str(root / "compose.yaml"))] == ["compose.yaml"]
    assert workspace.text(str(root / "linked" / "common.yaml")) is None
    assert [os.path.relpath(p, root) for p in workspace.files()] == ["compose.yaml"]


def _apply(text: str, edits: list[Edit]) -> str:
    for e in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: e.start] + e.new_text + text[e.end :]
    return text


def test_references_of_a_dockerfile_stage_in_compose_build_targets(tmp_path):
    from dockerls.kinds.compose.linked import build_targets

    dockerfile = "FROM alpine AS build\nFROM build AS runtime\n"
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "Dockerfile").write_text(dockerfile)
    (tmp_path / "app" / "Other.Dockerfile").write_text(dockerfile)
    root_compose = ("services:\n  web:\n    build: {context: app, target: build}\n"
                    "  other:\n    build: {context: app, dockerfile: Other.Dockerfile, target: build}\n"
                    "  run:\n    build:\n      context: ./app\n      target: runtime\n")
    (tmp_path / "compose.yaml").write_text(root_compose)
    (tmp_path / "app" / "docker-compose.yml").write_text("services:\n  x:\n    build:\n      target: build\n")
    (tmp_path / "app" / "settings.yaml").write_text("services:\n  x:\n    build:\n      target: build\n")  # not Compose
    workspace = Workspace([str(tmp_path)])
    path = str(tmp_path / "app" / "Dockerfile")
    found = build_targets(workspace, path, "BUILD")
    assert sorted((os.path.relpath(p, tmp_path), s) for p, s, _ in found) == [
        ("app/docker-compose.yml", "services:\n  x:\n    build:\n      target: ".__len__()),
        ("compose.yaml", root_compose.index("target: build") + len("target: "))]
    analysis = kinds.named("dockerfile").analyse(dockerfile, path)
    at = dockerfile.index("AS build") + 4
    refs = analysis.references(at, True, workspace)
    assert [(r.path, dockerfile[r.start : r.end]) for r in refs[:2]] == [(None, "build"), (None, "build")]
    assert {os.path.relpath(r.path, tmp_path) for r in refs[2:]} == {"compose.yaml", "app/docker-compose.yml"}
    assert analysis.references(at, True) == refs[:2]  # without a workspace: this file only
    assert [r.path for r in analysis.references(dockerfile.index("alpine"), True, workspace)] == []


def test_renaming_a_stage_renames_the_build_targets_that_name_it(tmp_path):
    dockerfile = "FROM alpine AS build\nFROM build\n"
    (tmp_path / "Dockerfile").write_text(dockerfile)
    compose = "services:\n  web:\n    build: {context: ., target: build}\n"
    (tmp_path / "compose.yaml").write_text(compose)
    workspace = Workspace([str(tmp_path)])
    analysis = kinds.named("dockerfile").analyse(dockerfile, str(tmp_path / "Dockerfile"))
    edits = analysis.rename_files(dockerfile.index("build"), "compile", workspace)
    assert _apply(dockerfile, edits[None]) == "FROM alpine AS compile\nFROM compile\n"
    assert _apply(compose, edits[str(tmp_path / "compose.yaml")]).endswith("target: compile}\n")
    assert set(analysis.rename_files(dockerfile.index("build"), "compile")) == {None}


def test_the_analysed_text_is_the_one_searched_when_it_is_not_the_workspaces(tmp_path):
    root = _tree(tmp_path)
    path = os.path.join(root, "compose.yaml")
    edited = "\n\n" + MAIN  # not saved, not open: the analysis's own text still decides
    analysis = kinds.named("compose").analyse(edited, path)
    at = edited.index("[db, web]") + 1
    found = analysis.references(at, True, Workspace([root]))
    assert {edited[r.start : r.end] for r in found if r.path == path} == {"db"}
    assert len([r for r in found if r.path == path]) == 5
