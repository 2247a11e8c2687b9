"""End-to-end language server tests: a real ``dockerls`` server over stdio, driven by pytest-lsp
with the capabilities of real editors (VS Code 1.65: UTF-16 positions, pushed diagnostics;
Neovim 0.11: UTF-8 positions, pulled diagnostics).

One server per test module and editor profile (starting Python costs most of a second); each test
opens its own documents, in a temporary folder of its own.
"""

from __future__ import annotations

import asyncio
import itertools
import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from dockerls.text import LineIndex, Position

SERVER = [sys.executable, "-m", "dockerls.lsp.server"]
PROFILES = ["visual-studio-code", "neovim"]
SPEC_WARNINGS_ARE_ERRORS = pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning")
_counter = itertools.count()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), scope="module", params=PROFILES)
async def client(lsp_client: LanguageClient, request, tmp_path_factory):
    """A server initialised by a client with the capabilities of ``request.param``, in a workspace
    folder of its own."""
    workspace = tmp_path_factory.mktemp("workspace")
    (workspace / ".git").mkdir()  # the configuration search stops here
    capabilities = client_capabilities(request.param)
    lsp_client.registrations = []

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: types.RegistrationParams):
        lsp_client.registrations.extend(params.registrations)

    params = types.InitializeParams(capabilities=capabilities, root_uri=workspace.as_uri(),
                                    workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="w")])
    result = await lsp_client.initialize_session(params)
    lsp_client.position_encoding = str(getattr(result.capabilities.position_encoding, "value",
                                               result.capabilities.position_encoding or "utf-16"))
    lsp_client.workspace = workspace
    lsp_client.init_result = result
    lsp_client.profile = request.param
    yield
    await lsp_client.shutdown_session()


class Doc:
    """A document a test opened: its URI and text, and positions in the client's encoding."""

    def __init__(self, client: LanguageClient, uri: str, text: str, version: int = 1):
        self.client, self.uri, self.text, self.version = client, uri, text, version

    @property
    def lines(self) -> LineIndex:
        return LineIndex(self.text)

    def pos(self, needle: str, delta: int = 0, nth: int = 0) -> types.Position:
        """The client position of ``needle``'s ``nth`` occurrence (plus ``delta`` characters)."""
        at = -1
        for _ in range(nth + 1):
            at = self.text.index(needle, at + 1)
        p = self.lines.to_client(self.lines.position(at + delta), self.client.position_encoding)
        return types.Position(line=p.line, character=p.character)

    def offset(self, position: types.Position) -> int:
        lines = self.lines
        return lines.offset(lines.from_client(Position(position.line, position.character),
                                              self.client.position_encoding))

    def text_of(self, rng: types.Range) -> str:
        return self.text[self.offset(rng.start) : self.offset(rng.end)]

    def apply(self, edits: list[types.TextEdit]) -> str:
        out = self.text
        for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
            out = out[: self.offset(e.range.start)] + e.new_text + out[self.offset(e.range.end):]
        return out

    @property
    def ident(self) -> types.TextDocumentIdentifier:
        return types.TextDocumentIdentifier(uri=self.uri)

    def change(self, text: str) -> None:
        self.version += 1
        self.client.diagnostics.pop(self.uri, None)
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=self.uri, version=self.version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
        self.text = text


def open_doc(client: LanguageClient, text: str, name: str = "Dockerfile", language_id: str = "dockerfile",
             folder: str | None = None) -> Doc:
    """Open ``text`` as a new document ``<workspace>/<unique folder>/<name>``."""
    folder_path = client.workspace / (folder or f"d{next(_counter)}")
    folder_path.mkdir(parents=True, exist_ok=True)
    path = folder_path / name
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client.diagnostics.pop(uri, None)
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id=language_id, version=1, text=text)))
    return Doc(client, uri, text)


def pulls_diagnostics(client: LanguageClient) -> bool:
    return client.capabilities.text_document.diagnostic is not None


async def diagnostics(doc: Doc, timeout: float = 10.0) -> list[types.Diagnostic]:
    """The document's current diagnostics: pulled, or the next ones pushed for it."""
    client = doc.client
    if pulls_diagnostics(client):
        report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(text_document=doc.ident))
        return list(report.items)
    deadline = asyncio.get_running_loop().time() + timeout
    while doc.uri not in client.diagnostics:
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"no diagnostics for {doc.uri}")
        await asyncio.sleep(0.01)
    return list(client.diagnostics[doc.uri])


def codes(diags) -> list[str]:
    return sorted(str(d.code) for d in diags)


CLASSIC = """\
# The four classic problems.
LABEL org.opencontainers.image.title="example"
FROM python:latest AS base

RUN apt-get update && apt-get install -y --no-install-recommends gcc
RUN apt-get purge -y gcc && rm -rf /var/lib/apt/lists/*

CMD ["python", "-m", "http.server"]
CMD ["python", "app.py"]
"""
