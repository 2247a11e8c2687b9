"""textDocument/signatureHelp: the syntax of the instruction being written."""

from __future__ import annotations

from lsprotocol import types

from dockerls.lsp.handlers import analysed, guarded, offset_of
from dockerls.lsp.handlers import register as feature


def register(server) -> None:
    @feature(server, types.TEXT_DOCUMENT_SIGNATURE_HELP,
             types.SignatureHelpOptions(trigger_characters=[" "], retrigger_characters=[" ", "="]))
    @guarded(None, "signatureHelp")
    def signature_help(server, params: types.SignatureHelpParams):
        opened = analysed(server, params)
        if opened is None:
            return None
        doc, analysis = opened
        found = analysis.signature_help(offset_of(server, doc, params.position))
        if found is None:
            return None
        offsets = server.capability(
            "text_document.signature_help.signature_information.parameter_information.label_offset_support")
        signatures = []
        for sig in found.signatures:
            params_ = [types.ParameterInformation(label=(s, e) if offsets else sig.label[s:e])
                       for s, e in sig.parameters]
            signatures.append(types.SignatureInformation(label=sig.label, documentation=sig.documentation,
                                                         parameters=params_))
        return types.SignatureHelp(signatures=signatures, active_signature=found.active_signature,
                                   active_parameter=found.active_parameter)
