"""Language services: pure functions from a parsed document and an offset to answers (hover text,
completions, symbols, locations, edits...).  No pygls and no I/O here: the language server in
:mod:`dockerls.lsp` turns these answers into LSP messages, and other tools may call them directly.

Offsets are code-point offsets into the document text, as everywhere in the model; converting to
an editor's columns is the caller's business (:class:`dockerls.text.LineIndex`).
"""
