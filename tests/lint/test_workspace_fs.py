"""The one object checks look at files through (dockerls.lint.workspace_fs): what it answers, what
the recording one notes, the refusing one of stage rules, and that rules use nothing else."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

import dockerls
from dockerls.check import check_file
from dockerls.config import Config
from dockerls.lint.workspace_fs import (
    CONTENT, KIND, LISTING, NO_FS, RecordingFS, StageRuleReadsFiles, WorkspaceFS, signature, variable_state,
)


def test_plain_answers(tmp_path):
    fs = WorkspaceFS({})
    (tmp_path / "a.txt").write_text("héllo\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    assert fs.is_file(tmp_path / "a.txt") and not fs.is_dir(tmp_path / "a.txt")
    assert fs.is_dir(tmp_path / "sub") and fs.exists(str(tmp_path / "sub"))
    assert not fs.exists(tmp_path / "missing") and fs.stat(tmp_path / "missing") is None
    assert fs.read_text(tmp_path / "a.txt") == "héllo\n"
    assert fs.list_dir(tmp_path) == ["a.txt", "sub"] and fs.list_dir(tmp_path / "missing") == []
    with pytest.raises(OSError):
        fs.read_bytes(tmp_path / "missing")
    with pytest.raises(OSError):
        fs.read_bytes(tmp_path / "sub")
    with pytest.raises(OSError):
        fs.read_bytes(tmp_path / "a.txt", limit=3)


def test_recording_notes_the_strongest_question_and_the_variables(tmp_path):
    (tmp_path / "a").write_text("x")
    fs = RecordingFS({"TAG": "1", "OTHER": "2"}, own=(str(tmp_path / "checked"),))
    fs.exists(tmp_path / "a")
    fs.read_text(tmp_path / "a")
    fs.exists(tmp_path / "a")  # a weaker question later keeps the stronger one
    fs.list_dir(tmp_path)
    fs.is_file(tmp_path / "checked")  # the checked file: its digest covers it
    assert fs.asked == {str(tmp_path / "a"): CONTENT, str(tmp_path): LISTING}
    assert fs.environ.get("TAG") == "1" and fs.environ.get("UNSET") is None and "X" not in fs.environ
    assert fs.variables == {"TAG", "UNSET", "X"} and not fs.whole_environment
    assert bool(fs.environ) and not fs.whole_environment
    dict(fs.environ)
    assert fs.whole_environment


def test_signature_follows_what_was_asked(tmp_path):
    f = tmp_path / "f"
    assert signature(str(f), KIND) is None
    f.write_text("one")
    kind, content = signature(str(f), KIND), signature(str(f), CONTENT)
    os.utime(f, ns=(1, 1))
    f.write_text("three")
    assert signature(str(f), KIND) == kind == "f" and signature(str(f), CONTENT) != content
    assert signature(str(tmp_path), KIND) == "d" and signature(str(tmp_path), LISTING)[0] == "d"
    assert variable_state({"A": "1"}, "A") != variable_state({"A": "2"}, "A") and variable_state({}, "A") is None


def test_no_fs_refuses_everything(tmp_path):
    for ask in (NO_FS.exists, NO_FS.is_file, NO_FS.read_text, NO_FS.list_dir, NO_FS.real_path):
        with pytest.raises(StageRuleReadsFiles):
            ask(tmp_path)
    with pytest.raises(StageRuleReadsFiles):
        NO_FS.environ.get("HOME")


def test_a_check_records_what_its_rules_looked_at(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "package.json").write_text("{}\n")
    (tmp_path / "compose.yaml").write_text('services:\n  web:\n    image: "nginx:${TAG}"\n    build: .\n')
    (tmp_path / ".env").write_text("A=1\n")
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n")
    fs = RecordingFS({}, own=(str(dockerfile),))
    check_file(str(dockerfile), "dockerfile", dockerfile.read_bytes(), Config(), fs=fs)
    assert fs.asked[str(tmp_path / "package.json")] == CONTENT
    assert fs.asked[str(tmp_path / ".dockerignore")] == KIND
    assert str(dockerfile) not in fs.asked and not fs.variables
    compose = tmp_path / "compose.yaml"
    fs = RecordingFS({}, own=(str(compose),))
    check_file(str(compose), "compose", compose.read_bytes(), Config(), fs=fs)
    assert fs.asked[str(tmp_path / ".env")] == CONTENT and fs.asked[str(tmp_path / "compose.override.yaml")] == KIND
    assert "TAG" in fs.variables and not fs.whole_environment


# -- rules look at files only through their context --------------------------------------------------

_PATH_METHODS = {"is_file", "is_dir", "exists", "read_text", "read_bytes", "iterdir", "glob", "rglob", "stat",
                 "open", "resolve", "lstat", "is_symlink"}
_OS_CALLS = {"open", "listdir", "scandir", "stat", "lstat", "walk", "access", "readlink"}
_OS_PATH_CALLS = {"exists", "isfile", "isdir", "islink", "getsize", "getmtime", "realpath", "lexists"}


def _direct_file_access(tree: ast.AST) -> list[str]:
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        if isinstance(f, ast.Name) and f.id == "open":
            out.append(f"open() at line {node.lineno}")
        elif isinstance(f, ast.Attribute):
            owner = ast.unparse(f.value)
            if owner == "os" and f.attr in _OS_CALLS or owner == "os.path" and f.attr in _OS_PATH_CALLS:
                out.append(f"{owner}.{f.attr}() at line {node.lineno}")
            elif f.attr in _PATH_METHODS and not owner.endswith("fs") and not node.args:
                out.append(f"{owner}.{f.attr}() at line {node.lineno}")
    return out


def test_rules_look_at_files_only_through_their_context():
    """Anything else would escape the result cache's record (and the stage rules' guard)."""
    package = Path(dockerls.__file__).parent
    modules = [*sorted((package / "rules").rglob("*.py")), package / "parse" / "compose" / "project.py",
               package / "lint" / "compose_runner.py", package / "lint" / "devcontainer_runner.py"]
    found = {str(m.relative_to(package)): hits for m in modules
             if (hits := _direct_file_access(ast.parse(m.read_text(encoding="utf-8"))))}
    assert found == {}
