"""Hovers and completion documentation for clients that ask for plain text (:mod:`dockerls.lsp.markup`)."""

from __future__ import annotations

from dockerls.lsp.markup import plain_text
from tests.lsp.test_robustness import RawClient


def test_plain_text_drops_markdown_syntax():
    markdown = "## FROM\n**Sets** the `base image` ([docs](https://docs.docker.com/)).\n```Dockerfile\nFROM a\n```\n"
    assert plain_text(markdown) == "FROM\nSets the base image (docs (https://docs.docker.com/)).\nFROM a"
    assert plain_text("a_b_c and 2 * 3 * 4") == "a_b_c and 2 * 3 * 4"


def test_a_client_that_asks_for_plain_text_gets_no_raw_markdown():
    raw = RawClient()
    try:
        raw.call("initialize", {"processId": None, "rootUri": None, "capabilities": {
            "textDocument": {"hover": {"contentFormat": ["plaintext"]}}}})
        raw.notify("initialized", {})
        uri = "file:///tmp/plain/Dockerfile"
        raw.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1,
                                                             "text": "FROM alpine:3.20 AS base\nCOPY --from=base /a /b\n"}})
        for line, character in ((0, 1), (1, 3), (1, 13)):
            hover = raw.call("textDocument/hover", {"textDocument": {"uri": uri},
                                                    "position": {"line": line, "character": character}})["result"]
            assert hover["contents"]["kind"] == "plaintext"
            assert not any(mark in hover["contents"]["value"] for mark in ("`", "**", "```", "](")), hover
    finally:
        raw.stop()
