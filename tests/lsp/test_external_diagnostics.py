"""ShellCheck's findings in the editor (dockerls.lsp.external_diagnostics): published after the fast
diagnostics, for the version they were computed on, never for an older text."""

from __future__ import annotations

import asyncio

import pytest

from dockerls.lint.shellcheck import find_shellcheck
from tests.lsp.conftest import SPEC_WARNINGS_ARE_ERRORS, diagnostics, open_doc, pulls_diagnostics

pytestmark = [pytest.mark.asyncio(loop_scope="module"), SPEC_WARNINGS_ARE_ERRORS,
              pytest.mark.skipif(find_shellcheck() is None, reason="no shellcheck program")]


async def _publishes_until(client, uri, pred, timeout=10.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        current = client.diagnostics.get(uri)
        if current is not None and pred(current):
            return list(current)
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"diagnostics of {uri}: {current}")
        await asyncio.sleep(0.01)


def _sc(diags):
    return [d for d in diags if str(d.code).startswith("SC")]


async def test_shellcheck_comes_after_the_fast_diagnostics(client):
    if pulls_diagnostics(client):
        pytest.skip("pushed diagnostics only")
    doc = open_doc(client, "FROM debian:12\nRUN cd /tmp; ls\n")
    first = await diagnostics(doc)
    assert not _sc(first) and "DL3003" in {str(d.code) for d in first}
    later = await _publishes_until(client, doc.uri, _sc)
    [sc] = _sc(later)
    assert (str(sc.code), doc.text_of(sc.range)) == ("SC2164", "cd /tmp")
    assert "DL3003" in {str(d.code) for d in later}  # merged with the fast ones


async def test_an_edit_discards_shellcheck_of_the_older_text(client):
    if pulls_diagnostics(client):
        pytest.skip("pushed diagnostics only")
    doc = open_doc(client, "FROM debian:12\nRUN cd /tmp; ls\n")
    await diagnostics(doc)
    doc.change("FROM debian:12\n\n\nRUN echo hi\nRUN cd /b; ls\n")  # before ShellCheck is done
    seen = []
    deadline = asyncio.get_running_loop().time() + 3
    while asyncio.get_running_loop().time() < deadline:
        current = client.diagnostics.get(doc.uri)
        if current is not None and (not seen or current is not seen[-1]):
            seen.append(current)
        await asyncio.sleep(0.01)
    for published in seen:
        for d in _sc(published):  # only the new text's finding, at its place in the new text
            assert (str(d.code), d.range.start.line, doc.text_of(d.range)) == ("SC2164", 4, "cd /b")
    assert any(_sc(p) for p in seen)


async def test_external_tools_wait_until_no_document_waits_for_its_fast_diagnostics():
    """An editor opening thousands of documents: every document's diagnostics before any ShellCheck."""
    from collections import OrderedDict
    from types import SimpleNamespace

    from dockerls.lsp.diagnostics import queue_drained

    server = SimpleNamespace(lint_queue=OrderedDict(a=1), lint_drained=asyncio.Event())
    waiting = asyncio.ensure_future(queue_drained(server))
    await asyncio.sleep(0.01)
    assert not waiting.done()
    server.lint_queue.clear()
    server.lint_drained.set()
    await asyncio.wait_for(waiting, 1)
    await asyncio.wait_for(queue_drained(server), 1)  # nothing queued: at once


async def test_documents_opened_at_once_all_get_shellcheck_after_their_fast_diagnostics(client):
    """Runs waiting while other documents wait for their fast diagnostics are served later, all of them."""
    if pulls_diagnostics(client):
        pytest.skip("pushed diagnostics only")
    docs = [open_doc(client, f"# {i}\nFROM debian:12\nRUN cd /tmp; ls\n") for i in range(40)]
    for doc in docs:
        later = await _publishes_until(client, doc.uri, _sc, timeout=60)
        assert [str(d.code) for d in _sc(later)] == ["SC2164"]
