"""textDocument/completion."""

from __future__ import annotations

from lsprotocol import types

from dockerls.lsp import convert, markup
from dockerls.lsp.handlers import analysed, guarded, offset_of
from dockerls.lsp.handlers import register as feature

# Shared by every kind; " " opens compose keys as one indents (the Dockerfile kind ignores it).
TRIGGERS = ["$", "{", "-", "=", ",", ":", " "]
KINDS = {
    "keyword": types.CompletionItemKind.Keyword,
    "flag": types.CompletionItemKind.Property,
    "value": types.CompletionItemKind.Value,
    "variable": types.CompletionItemKind.Variable,
    "stage": types.CompletionItemKind.Reference,
    "directive": types.CompletionItemKind.Keyword,
    "rule": types.CompletionItemKind.Constant,
    "snippet": types.CompletionItemKind.Snippet,
    "property": types.CompletionItemKind.Property,
    "service": types.CompletionItemKind.Module,
    "module": types.CompletionItemKind.Module,
    "enum": types.CompletionItemKind.EnumMember,
}


def register(server) -> None:
    @feature(server, types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=TRIGGERS))
    @guarded(None, "completion")
    def completion(server, params: types.CompletionParams):
        opened = analysed(server, params)
        if opened is None:
            return None
        doc, analysis = opened
        snippets = bool(server.capability("text_document.completion.completion_item.snippet_support"))
        context = params.context
        trigger = context.trigger_character \
            if context is not None and context.trigger_kind == types.CompletionTriggerKind.TriggerCharacter else None
        found = analysis.complete(offset_of(server, doc, params.position), snippets, trigger)
        formats = server.capability("text_document.completion.completion_item.documentation_format") or []
        items = [_item(server, doc, c, formats) for c in found]
        return types.CompletionList(is_incomplete=False, items=items)


def _item(server, doc, c, formats) -> types.CompletionItem:
    insert = c.insert_text if c.insert_text is not None else c.label
    edit = None
    if c.replace is not None:
        edit = types.TextEdit(range=convert.range_(doc.lines, c.replace[0], c.replace[1], server.encoding),
                              new_text=insert)
    documentation: types.MarkupContent | str | None = None
    if c.documentation:
        if types.MarkupKind.Markdown in formats:
            documentation = types.MarkupContent(kind=types.MarkupKind.Markdown, value=c.documentation)
        else:
            documentation = markup.plain_text(c.documentation)
    return types.CompletionItem(
        label=c.label,
        kind=KINDS.get(c.kind, types.CompletionItemKind.Text),
        detail=c.detail or None,
        documentation=documentation,
        sort_text=c.sort_text,
        filter_text=c.label,
        insert_text=None if edit else insert,
        text_edit=edit,
        insert_text_format=types.InsertTextFormat.Snippet if c.snippet else types.InsertTextFormat.PlainText,
    )
