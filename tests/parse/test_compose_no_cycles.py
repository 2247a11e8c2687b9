"""A Compose file's tree and what is made of it hold no reference cycle: each version an editor
parses is freed as soon as it is dropped, not when the cyclic collector next runs (with the
collector's older generations rarely reached, a server kept every keystroke's tree for a while)."""

from __future__ import annotations

import gc
from collections import Counter

import pytest

from dockerls import kinds
from dockerls.config import DEFAULT
from dockerls.lint.workspace_fs import WorkspaceFS
from dockerls.parse.compose.yaml_tree import parse_yaml

SERVICES = "".join(f"  s{i}:\n    image: nginx:1.{i}\n    ports:\n      - \"{8000 + i}:80\"\n"
                   f"    environment:\n      A: \"${{A_{i}:-x}}\"\n    depends_on:\n      - s0\n" for i in range(30))
TEXT = ("name: demo\nx-common: &common\n  restart: always\n  labels: [a, b]\nservices:\n" + SERVICES
        + "  web:\n    <<: *common\n    build:\n      context: .\n      target: prod\n    networks: [front]\n"
        + "volumes:\n  data: {}\nnetworks:\n  front: {}\n")


def _cyclic_garbage(make) -> Counter:
    """The objects only the cyclic collector could free after ``make()``'s result is dropped."""
    make()  # first use: caches and lazy imports are not garbage
    gc.collect()
    gc.disable()
    try:
        make()
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        found = Counter(type(o).__name__ for o in gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    return found


def test_parsing_a_compose_file_makes_no_cyclic_garbage():
    assert _cyclic_garbage(lambda: parse_yaml(TEXT, "/nowhere/compose.yaml")) == Counter()


def test_the_tree_keeps_working_while_its_document_is_kept():
    doc = parse_yaml(TEXT, "/nowhere/compose.yaml")
    web = doc.root.get("services").get("web")
    assert web.doc is doc and web.path == "/nowhere/compose.yaml"
    assert web.range.start.line == TEXT[:web.start].count("\n")


def test_a_node_outliving_its_document_says_so():
    root = parse_yaml(TEXT).root
    with pytest.raises(ReferenceError):
        assert root.doc is None


AT = TEXT.index("s0:") + 1
SERVICES_ASKED = {
    "lint": lambda a: a.lint(DEFAULT, 1),
    "hover": lambda a: a.hover(AT),
    "complete": lambda a: a.complete(TEXT.index("    image: nginx:1.3") + 4),
    "symbols": lambda a: a.symbols(),
    "folding": lambda a: a.folding(),
    "selection": lambda a: a.selection_ranges(AT),
    "definition": lambda a: a.definition(TEXT.index("- s0") + 3),
    "references": lambda a: a.references(AT),
    "highlights": lambda a: a.highlights(AT),
    "rename": lambda a: a.rename(AT, "first"),
    "format": lambda a: a.format("  "),
    "links": lambda a: a.links(),
    "semantic_tokens": lambda a: a.semantic_tokens(),
    "inlay_hints": lambda a: a.inlay_hints(),
}


@pytest.mark.parametrize("service", sorted(SERVICES_ASKED))
def test_analysing_and_asking_in_the_editor_makes_no_cyclic_garbage(tmp_path, service):
    """What the language server does on a keystroke in a Compose file: a new analysis, asked."""
    (tmp_path / "compose.yaml").write_text(TEXT, encoding="utf-8")
    path = str(tmp_path / "compose.yaml")
    fs = WorkspaceFS(root=str(tmp_path))
    kind = kinds.named("compose")

    def edit():
        SERVICES_ASKED[service](kind.analyse(TEXT, path, None, fs))

    assert _cyclic_garbage(edit) == Counter()
