"""Which documents are ours (by languageId and file name), and incremental changes applied in
each position encoding."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from dockerls import kinds
from dockerls.lsp.documents import Document, classify


@pytest.mark.parametrize("uri, language_id, kind", [
    ("file:///p/Dockerfile", "dockerfile", "dockerfile"),
    ("file:///p/Dockerfile.prod", "plaintext", "dockerfile"),
    ("file:///p/app.Dockerfile", "", "dockerfile"),
    ("file:///p/Containerfile", "", "dockerfile"),
    ("untitled:Untitled-1", "dockerfile", "dockerfile"),
    ("file:///p/anything.txt", "dockerfile-ts", "dockerfile"),
    ("file:///p/compose.yaml", "yaml", "compose"),
    ("file:///p/docker-compose.override.yml", "yaml", "compose"),
    ("file:///p/stack.yml", "dockercompose", "compose"),
    ("file:///p/settings.yaml", "yaml", None),
    ("file:///p/.devcontainer/devcontainer.json", "jsonc", "devcontainer"),
    ("file:///p/.devcontainer.json", "json", "devcontainer"),
    ("file:///p/package.json", "json", None),
    ("file:///p/Dockerfile.md", "markdown", None),
    ("file:///p/my%20dir/Dockerfile", None, "dockerfile"),
])
def test_classify(uri, language_id, kind):
    found = classify(uri, language_id)
    assert (found.name if found is not None else None) == kind


def _change(start, end, text):
    pos = lambda p: SimpleNamespace(line=p[0], character=p[1])  # noqa: E731
    return SimpleNamespace(range=SimpleNamespace(start=pos(start), end=pos(end)), text=text)


@pytest.mark.parametrize("encoding, column", [("utf-16", 13), ("utf-8", 15), ("utf-32", 12)])
def test_incremental_change_after_an_emoji(encoding, column):
    doc = Document("file:///p/Dockerfile", "dockerfile", 1, 'LABEL a="🐳" b=1\n', kinds.named("dockerfile"))
    doc.apply_change(_change((0, column), (0, column + 1), "x"), encoding)
    assert doc.text == 'LABEL a="🐳" x=1\n'


def test_changes_past_the_end_are_clamped_and_reset_the_analysis():
    doc = Document("file:///p/Dockerfile", "dockerfile", 1, "FROM a\n", kinds.named("dockerfile"))
    assert doc.analysis.model is not None
    doc.apply_change(_change((9, 9), (12, 0), "RUN b\n"), "utf-16")
    assert doc.text == "FROM a\nRUN b\n"
    assert [i.keyword for i in doc.analysis.model.instructions] == ["FROM", "RUN"]
    doc.apply_change(SimpleNamespace(text="FROM c\n"), "utf-16")
    assert doc.analysis.model.instructions[0].args_text == "c"


def test_a_document_reads_only_within_its_workspace_folder(tmp_path):
    """The deepest workspace folder holding the document is its root; outside any, its own folder."""
    from dockerls.lsp.documents import Documents

    (tmp_path / "ws" / "inner" / "app").mkdir(parents=True)
    (tmp_path / "loose").mkdir()
    docs = Documents()
    docs.set_roots([str(tmp_path / "ws"), str(tmp_path / "ws" / "inner")])
    app = docs.open((tmp_path / "ws" / "inner" / "app" / "Dockerfile").as_uri(), "dockerfile", 1, "FROM x\n")
    top = docs.open((tmp_path / "ws" / "Dockerfile").as_uri(), "dockerfile", 1, "FROM x\n")
    loose = docs.open((tmp_path / "loose" / "compose.yaml").as_uri(), "dockercompose", 1, "services: {}\n")
    assert app.fs.root == str((tmp_path / "ws" / "inner").resolve())
    assert top.fs.root == str((tmp_path / "ws").resolve())
    assert loose.fs.root == str((tmp_path / "loose").resolve())
    assert loose.analysis.fs is loose.fs and not loose.fs.inside(tmp_path / "ws")
    untitled = docs.open("untitled:Untitled-1", "dockerfile", 1, "FROM x\n")
    assert not untitled.fs.inside(tmp_path)
