"""Open documents: their text, what kind of file each is, and the analysis every feature shares.

A document is parsed at most once per version (lazily, by the first feature that asks) and
linted at most once per version and configuration; hover, completion, symbols... all read the
same cached model.  A Dockerfile's new version is worked out from the last one where they agree:
the parser takes over the instructions before the first changed line, and the stage rules run
only on the stages that changed (:mod:`dockerls.lint.incremental`).  Incremental changes are applied here, with positions converted from the
client's encoding by :class:`dockerls.text.LineIndex`, so pygls keeps no second copy of the text.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlparse

from dockerls.text import Encoding, LineIndex, Position

# The kinds of dockerls.discover (not imported here: it compiles ignore-file patterns on import,
# which start-up does not need).
DOCKERFILE, COMPOSE, DEVCONTAINER = "dockerfile", "compose", "devcontainer"

log = logging.getLogger(__name__)

# Bigger documents are kept but not analysed: a Dockerfile of megabytes is a file opened by mistake.
MAX_ANALYSED_CHARS = 1_000_000

_LANGUAGE_KINDS = {
    "dockerfile": DOCKERFILE, "dockerfile-ts": DOCKERFILE, "containerfile": DOCKERFILE,
    "dockercompose": COMPOSE, "docker-compose": COMPOSE, "yaml.docker-compose": COMPOSE, "compose": COMPOSE,
}


def uri_to_path(uri: str) -> str | None:
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if os.name == "nt" and path.startswith("/") and len(path) > 2 and path[2] == ":":
        path = path[1:]
    return path


def classify(uri: str, language_id: str | None) -> str | None:
    """``dockerfile``, ``compose``, ``devcontainer`` or None, from the languageId and the file name."""
    from dockerls.discover import kind_of

    name = urlparse(uri).path.rsplit("/", 1)[-1]
    path = uri_to_path(uri) or unquote(urlparse(uri).path) or name
    by_name = kind_of(path) if name else None
    lid = (language_id or "").lower()
    if lid in _LANGUAGE_KINDS:
        return _LANGUAGE_KINDS[lid]
    if lid in ("yaml", "yml"):
        return COMPOSE if by_name == COMPOSE else None
    if lid in ("json", "jsonc"):
        return DEVCONTAINER if by_name == DEVCONTAINER else None
    return by_name


@dataclass
class Document:
    uri: str
    language_id: str
    version: int
    text: str
    kind: str | None
    path: str | None = None
    _lines: LineIndex | None = field(default=None, repr=False)
    _model: Any = field(default=None, repr=False)
    _index: Any = field(default=None, repr=False)
    _findings: dict[Any, list] = field(default_factory=dict, repr=False)
    # Kept across versions: the last Dockerfile parse (the next one takes over its unchanged
    # instructions) and the stage rules' findings of the last lint (dockerls.lint.incremental).
    _previous_model: Any = field(default=None, repr=False)
    _stage_memo: Any = field(default=None, repr=False)

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines

    @property
    def too_big(self) -> bool:
        return len(self.text) > MAX_ANALYSED_CHARS

    def model(self):
        """The parsed document (a Dockerfile model, or the compose model), or None when not analysed."""
        if self._model is None and not self.too_big:
            if self.kind == DOCKERFILE:
                from dockerls.parse.dockerfile import parse_dockerfile

                self._model = parse_dockerfile(self.text, self.path, previous=self._previous_model)
                self._previous_model = None
                self._lines = self._model.lines  # the same index: one per version
            elif self.kind == COMPOSE:
                from dockerls.lsp import compose_support

                self._model = compose_support.parse(self)
        return self._model

    def index(self):
        """The Dockerfile name index (variables, stages, heredocs), built on first use."""
        if self._index is None and self.kind == DOCKERFILE and self.model() is not None:
            from dockerls.services.dockerfile_index import build_index

            self._index = build_index(self.model())
        return self._index

    def findings(self, config, key: Any) -> list:
        """Findings under ``config``; ``key`` identifies the configuration for the cache."""
        cached = self._findings.get(key)
        if cached is not None:
            return cached
        model = self.model()
        if self.kind == DEVCONTAINER:
            from dockerls.lint.devcontainer_runner import lint_devcontainer_text

            found: list = lint_devcontainer_text(self.text, config, self.path)[2]
        elif model is None:
            found = []
        elif self.kind == DOCKERFILE:
            from dockerls.lint.incremental import StageMemo
            from dockerls.lint.runner import lint_dockerfile

            if self._stage_memo is None:
                self._stage_memo = StageMemo()
            found = lint_dockerfile(model, config, self.path, memo=self._stage_memo, memo_key=key)
        elif self.kind == COMPOSE:
            from dockerls.lsp import compose_support

            found = compose_support.lint(self, config)
        else:
            found = []
        self._findings = {key: found}
        return found

    def offset_at(self, line: int, character: int, encoding: Encoding) -> int:
        lines = self.lines
        return lines.offset(lines.from_client(Position(line, character), encoding))

    def apply_change(self, change: Any, encoding: Encoding) -> None:
        """Apply one ``TextDocumentContentChangeEvent`` (full text, or a range and its new text)."""
        rng = getattr(change, "range", None)
        if rng is None:
            self._set_text(change.text)
            return
        start = self.offset_at(rng.start.line, rng.start.character, encoding)
        end = self.offset_at(rng.end.line, rng.end.character, encoding)
        if end < start:
            start, end = end, start
        self._set_text(self.text[:start] + change.text + self.text[end:])

    def _set_text(self, text: str) -> None:
        if self.kind == DOCKERFILE and self._model is not None:
            self._previous_model = self._model
        self.text = text
        self._lines = self._model = self._index = None
        self._findings = {}


class Documents:
    """The open documents by URI."""

    def __init__(self) -> None:
        self._docs: dict[str, Document] = {}

    def open(self, uri: str, language_id: str, version: int, text: str) -> Document:
        doc = Document(uri, language_id, version, text, classify(uri, language_id), uri_to_path(uri))
        self._docs[uri] = doc
        if doc.too_big:
            log.warning("%s has %d characters: not analysed (the limit is %d)", uri, len(text), MAX_ANALYSED_CHARS)
        return doc

    def get(self, uri: str, quiet: bool = False) -> Document | None:
        doc = self._docs.get(uri)
        if doc is None and not quiet:
            log.warning("request for a document that is not open: %s", uri)
        return doc

    def close(self, uri: str) -> Document | None:
        return self._docs.pop(uri, None)

    def __iter__(self):
        return iter(list(self._docs.values()))
