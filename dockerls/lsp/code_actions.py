"""textDocument/codeAction: quick fixes, ignore pragmas, and ``source.fixAll.dockerls``.

* every fix a diagnostic carries in its ``data`` (no lint needed), preferred when it is safe;
* "Ignore CODE for this instruction" (adds the code to the ``# dockerls ignore=`` pragma above the
  instruction, or inserts one) and "... for this file" (the ``# dockerls global ignore=`` pragma);
* ``source.fixAll.dockerls``: every safe fix, applied one at a time and re-checked
  (:func:`dockerls.lint.fixes.fix_text`), as one edit.
"""

from __future__ import annotations

from lsprotocol import types

from dockerls.finding import SAFE
from dockerls.lsp import convert
from dockerls.lsp.diagnostics import SOURCE
from dockerls.lsp.handlers import analysed, guarded
from dockerls.lsp.handlers import register as feature

FIX_ALL = "source.fixAll.dockerls"


def _wanted(only: list[str] | None, kind: str) -> bool:
    if not only:
        return True
    return any(kind == k or kind.startswith(k + ".") for k in only)


def register(server) -> None:
    @feature(server, types.TEXT_DOCUMENT_CODE_ACTION,
             types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL],
                                     resolve_provider=False))
    @guarded(None, "codeActions")
    def code_action(server, params: types.CodeActionParams):
        opened = analysed(server, params)
        if opened is None:
            return None
        doc, analysis = opened
        only = [str(getattr(k, "value", k)) for k in params.context.only] if params.context.only else None
        actions: list[types.CodeAction] = []
        if _wanted(only, types.CodeActionKind.QuickFix.value):
            for diag in params.context.diagnostics:
                if diag.code and _is_ours(diag):
                    actions.extend(_quick_fixes(server, doc, analysis, diag))
        if only and any(FIX_ALL == k or FIX_ALL.startswith(k + ".") for k in only):
            action = _fix_all(server, doc, analysis)
            if action is not None:
                actions.append(action)
        return actions


def _is_ours(diag: types.Diagnostic) -> bool:
    """Our source, or (clients that drop ``source`` when they hand diagnostics back) our ``data``."""
    if diag.source is not None:
        return diag.source == SOURCE
    return isinstance(diag.data, dict) and "name" in diag.data


def _workspace_edit(doc, edits: list[types.TextEdit]) -> types.WorkspaceEdit:
    return types.WorkspaceEdit(changes={doc.uri: edits})


def _quick_fixes(server, doc, analysis, diag: types.Diagnostic) -> list[types.CodeAction]:
    out = []
    data = diag.data if isinstance(diag.data, dict) else {}
    fix = data.get("fix")
    if isinstance(fix, dict) and fix.get("edits"):
        edits = [types.TextEdit(range=types.Range(
            start=types.Position(**e["range"]["start"]), end=types.Position(**e["range"]["end"])),
            new_text=e["newText"]) for e in fix["edits"]]
        out.append(types.CodeAction(title=fix.get("title") or f"Fix {diag.code}", kind=types.CodeActionKind.QuickFix,
                                    diagnostics=[diag], edit=_workspace_edit(doc, edits),
                                    is_preferred=bool(fix.get("safe"))))
    offset = doc.offset_at(diag.range.start.line, diag.range.start.character, server.encoding)
    for title, edit in analysis.ignore_edits(offset, str(diag.code)):
        out.append(types.CodeAction(title=title, kind=types.CodeActionKind.QuickFix, diagnostics=[diag],
                                    edit=_workspace_edit(doc, [convert.text_edit(doc.lines, edit, server.encoding)])))
    return out


def _fix_all(server, doc, analysis) -> types.CodeAction | None:
    config, key = server.config_for(doc)
    findings = doc.findings(config, key)
    if not any(f.fix is not None and f.fix.applicability == SAFE for f in findings):
        return None
    fixed = analysis.fix_all(config)
    if fixed is None:
        return None
    whole = convert.range_(doc.lines, 0, len(doc.text), server.encoding)
    return types.CodeAction(title="Fix all safe dockerls problems", kind=FIX_ALL,
                            edit=_workspace_edit(doc, [types.TextEdit(range=whole, new_text=fixed)]))
