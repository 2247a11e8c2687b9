"""textDocument/codeLens: a hook.  Other parts of dockerls (develop-in-container) add providers;
there are none yet, so documents show no lenses.

A provider is ``provider(server, doc) -> list[lsprotocol.types.CodeLens]``; a failing provider is
logged and skipped.
"""

from __future__ import annotations

import logging
from typing import Callable

from lsprotocol import types

from dockerls.lsp.handlers import document, guarded
from dockerls.lsp.handlers import register as feature

log = logging.getLogger("dockerls.lsp")

PROVIDERS: list[Callable] = []


def add_provider(provider: Callable) -> None:
    PROVIDERS.append(provider)


def register(server) -> None:
    @feature(server, types.TEXT_DOCUMENT_CODE_LENS, types.CodeLensOptions(resolve_provider=False))
    @guarded([])
    def code_lens(server, params: types.CodeLensParams):
        doc = document(server, params)
        if doc is None:
            return []
        lenses: list[types.CodeLens] = []
        for provider in PROVIDERS:
            try:
                lenses.extend(provider(server, doc) or [])
            except Exception:
                log.exception("code lens provider %r failed", provider)
        return lenses
