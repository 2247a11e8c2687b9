"""The dockerls language server (pygls): one module per LSP feature, each a thin shell around the
pure functions of :mod:`dockerls.services`.  ``python -m dockerls.lsp.server`` or
``dockerls serve`` starts it on stdio.
"""
