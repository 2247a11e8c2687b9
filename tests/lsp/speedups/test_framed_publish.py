"""framed_publish's side table: the text it sends is always what rendering every finding afresh
gives, and findings the incremental lint moved are not rendered again."""

from __future__ import annotations

import json

from dockerls import kinds
from dockerls.config import DEFAULT
from dockerls.lsp import diagnostics
from dockerls.lsp.documents import Document
from dockerls.lsp.speedups import framed_publish

STAGE = """FROM ubuntu:latest AS {name}
RUN apt-get update && apt-get install -y curl
RUN cd /tmp && echo "héllo 😀"
MAINTAINER someone
"""
TEXT = "".join(STAGE.format(name=n) for n in ("one", "two", "three"))


def _publish(doc: Document, memo_from: Document | None, counted: list) -> str:
    if memo_from is not None:  # as Document.apply_change hands the last analysis (and its stage memo) on
        doc._previous = memo_from.analysis
    findings = doc.findings(DEFAULT, 1)

    def render(f):
        counted.append(f)
        return diagnostics.to_json(doc, f, "utf-16", True)

    return framed_publish.diagnostics_text(doc, findings, ("utf-16", True), render)


def _fresh(doc: Document) -> list:
    return [diagnostics.to_json(doc, f, "utf-16", True) for f in doc.findings(DEFAULT, 1)]


def test_moved_findings_are_reused_and_every_text_is_exact(monkeypatch):
    keyed: list = []
    content_key = framed_publish._content_key
    monkeypatch.setattr(framed_publish, "_content_key", lambda *args: keyed.append(args[-1]) or content_key(*args))
    uri = "file:///w/Dockerfile"
    framed_publish.forget(uri)
    rendered: list = []
    first = Document(uri, "dockerfile", 1, TEXT, kinds.named("dockerfile"))
    assert json.loads(_publish(first, None, rendered)) == _fresh(first)
    assert len(rendered) == len(first.findings(DEFAULT, 1)) > 6

    # A character typed in the first stage: the later stages' findings move (new objects, same lines).
    rendered.clear()
    keyed.clear()
    second = Document(uri, "dockerfile", 2, TEXT.replace("curl", "curlx", 1), kinds.named("dockerfile"))
    second._previous = first.analysis
    moved = [f for f in second.findings(DEFAULT, 1) if f.moved_from is not None]
    assert json.loads(_publish(second, None, rendered)) == _fresh(second)
    first_stage_end = second.text.index("FROM", 1)
    assert rendered and all(f.range.start_offset < first_stage_end for f in rendered)
    # The moved ones are found by the finding they were moved from, without working out their content.
    assert moved and not any(k is m for k in keyed for m in moved)

    # A line added in the first stage moves the later stages down a line: rendered again, exactly.
    rendered.clear()
    third = Document(uri, "dockerfile", 3, TEXT.replace("curl\n", "curl\nRUN true\n", 1), kinds.named("dockerfile"))
    assert json.loads(_publish(third, second, rendered)) == _fresh(third)
    framed_publish.forget(uri)


def test_a_changed_setting_renders_again():
    uri = "file:///w/other.Dockerfile"
    framed_publish.forget(uri)
    doc = Document(uri, "dockerfile", 1, TEXT, kinds.named("dockerfile"))
    findings = doc.findings(DEFAULT, 1)
    framed_publish.diagnostics_text(doc, findings, ("utf-16", True), lambda f: {"a": 1})
    text = framed_publish.diagnostics_text(doc, findings, ("utf-8", True), lambda f: {"b": 2})
    assert json.loads(text) == [{"b": 2}] * len(findings)
    framed_publish.forget(uri)


def test_only_the_documents_published_last_keep_their_texts():
    uris = [f"file:///w/many/{i}/Dockerfile" for i in range(framed_publish.KEEP_DOCUMENTS + 8)]
    for uri in uris:
        doc = Document(uri, "dockerfile", 1, TEXT, kinds.named("dockerfile"))
        framed_publish.diagnostics_text(doc, doc.findings(DEFAULT, 1), ("utf-16", True), lambda f: {})
    kept = [uri for uri in uris if uri in framed_publish._documents]
    assert kept == uris[-framed_publish.KEEP_DOCUMENTS:]
    for uri in uris:
        framed_publish.forget(uri)
