"""The registry of file kinds: classification, every kind answering the editor services through
the same interface, the compose analysis loaded once per version, and no per-kind branch left in
the language server's feature modules."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from dockerls import kinds
from dockerls.config import DEFAULT
from dockerls.kinds import Analysis, FileKind
from dockerls.lsp.documents import Document
from dockerls.services import results

ROOT = Path(__file__).resolve().parents[2]

DOCKERFILE = "FROM python:3.12 AS build\nARG V=1\nRUN echo $V\nFROM build\n"
COMPOSE = """\
services:
  web:
    image: nginx:latest
    depends_on: [db]
  db:
    image: postgres:16
"""
DEVCONTAINER = '{"name": "x", "image": "mcr.microsoft.com/devcontainers/base:ubuntu"}\n'


def test_the_registry_names_each_kind_once():
    assert [k.name for k in kinds.KINDS] == ["compose", "devcontainer", "dockerfile"]
    for kind in kinds.KINDS:
        assert isinstance(kind, FileKind)
        assert kinds.named(kind.name) is kind
    with pytest.raises(KeyError):
        kinds.named("bake")


@pytest.mark.parametrize("path, language_id, expected", [
    ("/p/Dockerfile", None, "dockerfile"),
    ("/p/Dockerfile.prod", "plaintext", "dockerfile"),
    ("/p/notes.txt", "dockerfile", "dockerfile"),
    ("/p/compose.yaml", "yaml", "compose"),
    ("/p/stack.yml", "dockercompose", "compose"),
    ("/p/settings.yaml", "yaml", None),
    ("/p/compose.yaml", "json", None),
    ("/p/.devcontainer/devcontainer.json", "jsonc", "devcontainer"),
    ("/p/package.json", "json", None),
    (None, "dockerfile", "dockerfile"),
    (None, "yaml", None),
])
def test_classify(path, language_id, expected):
    found = kinds.classify(path, language_id)
    assert (found.name if found is not None else None) == expected


def test_for_path_agrees_with_discover():
    from dockerls.discover import kind_of

    for name in ("Dockerfile", "api.Dockerfile", "compose.yml", "docker-compose.override.yaml",
                 ".devcontainer.json", "README.md", "Dockerfile.md"):
        found = kinds.for_path(name)
        assert (found.name if found is not None else None) == kind_of(name)


# -- one interface for every kind -----------------------------------------------------------------

SERVICES = [
    ("hover", (0,)), ("complete", (0,)), ("signature_help", (0,)), ("symbols", ()), ("folding", ()),
    ("selection_ranges", (0,)), ("definition", (0,)), ("references", (0, True)), ("highlights", (0,)),
    ("prepare_rename", (0,)), ("rename", (0, "x")), ("format", ("    ",)), ("links", ()),
    ("semantic_tokens", ()), ("ignore_edits", (0, "DL3006")),
]


@pytest.mark.parametrize("name, text", [("dockerfile", DOCKERFILE), ("compose", COMPOSE),
                                        ("devcontainer", DEVCONTAINER)])
def test_every_kind_answers_every_service(tmp_path, name, text):
    path = str(tmp_path / {"dockerfile": "Dockerfile", "compose": "compose.yaml",
                           "devcontainer": ".devcontainer.json"}[name])
    analysis = kinds.named(name).analyse(text, path)
    assert isinstance(analysis, Analysis)
    for service, args in SERVICES:
        getattr(analysis, service)(*args)  # answers (maybe nothing), never raises
    assert isinstance(analysis.lint(DEFAULT, None), list)
    text_, lines, findings = kinds.named(name).lint_text(text, DEFAULT, path)
    assert text_ == text and lines.line_count >= 1 and isinstance(findings, list)


def test_the_services_answer_offset_based_results(tmp_path):
    path = str(tmp_path / "Dockerfile")
    dockerfile = kinds.named("dockerfile").analyse(DOCKERFILE, path)
    use = DOCKERFILE.index("$V") + 1
    assert isinstance(dockerfile.hover(0), results.Hover)
    assert dockerfile.definition(use) == [results.Location(None, DOCKERFILE.index("V=1"),
                                                           DOCKERFILE.index("V=1") + 1)]
    assert all(isinstance(s, results.Symbol) for s in dockerfile.symbols())

    path = str(tmp_path / "compose.yaml")
    compose = kinds.named("compose").analyse(COMPOSE, path)
    ref = COMPOSE.index("[db]") + 1
    decl = COMPOSE.index("  db:") + 2
    assert compose.definition(ref) == [results.Location(path, decl, decl + 2)]
    assert {(r.start, r.end) for r in compose.references(ref)} == {(decl, decl + 2), (ref, ref + 2)}
    assert isinstance(compose.hover(ref), results.Hover)
    assert [s.name for s in compose.symbols()] == ["services"]
    assert all(isinstance(c, results.Completion) for c in compose.complete(COMPOSE.index("nginx")))
    assert [(e.start, e.new_text) for e in compose.rename(ref, "database")] == [(ref, "database"),
                                                                               (decl, "database")]


def test_a_dockerfile_analysis_builds_on_the_previous_version():
    kind = kinds.named("dockerfile")
    first = kind.analyse(DOCKERFILE, None)
    first.lint(DEFAULT, "key")
    second = kind.analyse(DOCKERFILE + "RUN true\n", None, previous=first)
    assert second.memo is first.memo  # the incremental lint's memo goes on
    assert second.model.instructions[0] is first.model.instructions[0]  # taken over, not parsed again


def test_a_document_hands_its_last_analysis_to_the_next_version():
    doc = Document("file:///p/Dockerfile", "dockerfile", 1, DOCKERFILE, kinds.named("dockerfile"), "/p/Dockerfile")
    first = doc.analysis
    doc.findings(DEFAULT, "key")
    doc.apply_change(type("Change", (), {"text": DOCKERFILE + "RUN true\n", "range": None})(), "utf-16")
    second = doc.analysis
    assert second is not first and second.memo is first.memo
    assert second.model.instructions[0] is first.model.instructions[0]
    assert doc.lines is second.lines  # one line index per version


# -- the compose analysis is cached per version ----------------------------------------------------

def test_the_compose_project_is_loaded_once_per_version(tmp_path, monkeypatch):
    import dockerls.services.compose as services

    loads = []
    load = services.project_of
    monkeypatch.setattr(services, "project_of", lambda *a, **k: loads.append(1) or load(*a, **k))
    path = tmp_path / "compose.yaml"
    doc = Document(path.as_uri(), "dockercompose", 1, COMPOSE, kinds.named("compose"), str(path))
    ref = COMPOSE.index("[db]") + 1
    analysis = doc.analysis
    assert analysis is doc.analysis
    analysis.hover(ref)
    analysis.definition(ref)
    analysis.references(ref)
    analysis.highlights(ref)
    analysis.prepare_rename(ref)
    assert len(loads) == 1
    doc.apply_change(type("Change", (), {"text": COMPOSE + "# more\n", "range": None})(), "utf-16")
    assert doc.analysis is not analysis
    doc.analysis.hover(ref)
    assert len(loads) == 2


# -- no per-kind branches in the language server ---------------------------------------------------

KIND_NAMES = re.compile(r"""\b(DOCKERFILE|COMPOSE|DEVCONTAINER)\b|\bkind\s*[!=]=\s*["']|["'](dockerfile|compose|devcontainer)["']""")


@pytest.mark.parametrize("module", sorted(p.name for p in (ROOT / "dockerls" / "lsp").glob("*.py")))
def test_no_lsp_module_branches_on_the_kind(module):
    text = (ROOT / "dockerls" / "lsp" / module).read_text()
    code = "\n".join(line.split("#", 1)[0] for line in text.splitlines())
    assert not KIND_NAMES.search(code), f"dockerls/lsp/{module} names a kind of file: ask dockerls.kinds"


def test_importing_the_registry_stays_light():
    code = ("import sys; import dockerls.kinds; "
            "print(sorted(m for m in sys.modules if m.startswith(('dockerls.parse', 'dockerls.services', "
            "'dockerls.lint', 'dockerls.discover', 'dockerls.ignorefile', 'jsonschema', 'yaml'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    # The workspace filesystem every kind's lint takes (standard library only) is the one exception.
    assert out.strip() == "['dockerls.lint', 'dockerls.lint.workspace_fs']"
