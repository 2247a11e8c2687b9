"""The workspace view of the cross-file services: which files it finds (bounded, skipping ignored
folders and links out of the tree), open texts over files, caching by modification time, and the
workspace symbols."""

from __future__ import annotations

import os

from dockerls.services import workspace as W
from dockerls.services.workspace import Workspace, matches

DOCKERFILE = "FROM alpine AS build\nRUN true\nFROM build AS runtime\nFROM scratch\n"
COMPOSE = "services:\n  web:\n    image: nginx\nvolumes:\n  data: {}\nnetworks:\n  front: {}\nsecrets:\n  s: {file: x}\n"


def _tree(tmp_path):
    for name, text in {"app/Dockerfile": DOCKERFILE, "compose.yaml": COMPOSE, "README.md": "# x\n",
                       ".git/compose.yaml": COMPOSE, "node_modules/x/Dockerfile": DOCKERFILE,
                       ".devcontainer/devcontainer.json": "{}\n"}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return str(tmp_path)


def test_files_of_known_kinds_skipping_ignored_folders(tmp_path):
    root = _tree(tmp_path)
    found = sorted(os.path.relpath(p, root) for p in Workspace([root]).files())
    assert found == [".devcontainer/devcontainer.json", "app/Dockerfile", "compose.yaml"]


def test_the_walk_is_bounded(tmp_path, monkeypatch):
    root = _tree(tmp_path)
    monkeypatch.setattr(W, "MAX_ENTRIES", 2)
    assert len(Workspace([root]).files()) <= 2


def test_links_out_of_the_tree_are_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "Dockerfile").write_text(DOCKERFILE)
    root = tmp_path / "w"
    root.mkdir()
    (root / "elsewhere").symlink_to(outside)
    (root / "Dockerfile").symlink_to(outside / "Dockerfile")
    workspace = Workspace([str(root)])
    assert workspace.files() == []
    assert workspace.text(str(root / "Dockerfile")) is None
    assert workspace.text(str(outside / "Dockerfile")) is None  # not in a workspace folder


def test_open_texts_win_and_files_are_read_again_when_changed(tmp_path):
    root = _tree(tmp_path)
    path = os.path.join(root, "compose.yaml")
    opened: dict[str, str] = {}
    workspace = Workspace([root], lambda: opened)
    assert [s.name for s in workspace.symbols_of(path)] == ["web", "data", "front"]
    with open(path, "w") as fh:
        fh.write("services:\n  api:\n    image: x\n")
    os.utime(path, ns=(1, 1))  # a new modification time even on a coarse clock
    assert [s.name for s in workspace.symbols_of(path)] == ["api"]
    opened[path] = "services:\n  edited: {}\n"
    assert [s.name for s in workspace.symbols_of(path)] == ["edited"]


def test_workspace_symbols_are_stages_services_volumes_and_networks(tmp_path):
    root = _tree(tmp_path)
    found = [(os.path.relpath(p, root), s.name, s.kind) for p, s in Workspace([root]).symbols("")]
    assert sorted(found) == [("app/Dockerfile", "build", "class"), ("app/Dockerfile", "runtime", "class"),
                             ("compose.yaml", "data", "object"), ("compose.yaml", "front", "interface"),
                             ("compose.yaml", "web", "class")]
    assert [s.name for _, s in Workspace([root]).symbols("rtm")] == ["runtime"]


def test_matching_is_in_order_and_ignores_case():
    assert matches("", "x") and matches("BLD", "build") and not matches("dlb", "build")
