"""``lazy_types``: lsprotocol's forward references resolved class by class, when first needed.

lsprotocol's converter hooks first resolve the string annotations (``"Position"``,
``Optional["Range"]``) of every one of its ~550 classes (``attrs.resolve_types`` on each) before
the first message is structured.  :func:`converter` sets lsprotocol's flag that this pass is done
and instead resolves a class just before cattrs first generates its functions.

Private part relied on (tests/lsp/speedups/test_contracts.py): the module flag
``lsprotocol._hooks._resolved_forward_references``, which lsprotocol's hooks consult before that pass.
"""

from __future__ import annotations

from typing import Any, Callable

from dockerls.lsp.speedups import enabled


def factory() -> Callable[[], Any]:
    """The converter factory for pygls: :func:`converter`, or pygls' own when the patch is off."""
    if enabled("lazy_types"):
        return converter
    from pygls.protocol import default_converter

    return default_converter


def converter() -> Any:
    """pygls' converter, resolving each lsprotocol class's forward references when cattrs first
    needs the class, instead of all ~550 up front."""
    import attrs
    from lsprotocol import _hooks, types
    from pygls.protocol import default_converter

    _hooks._resolved_forward_references = True  # lsprotocol's flag: its eager pass is done
    conv = default_converter()
    resolved: set = set()

    def unresolved(cls) -> bool:
        return getattr(cls, "__module__", None) == types.__name__ and cls not in resolved and attrs.has(cls)

    def resolving(get_hook):
        def factory(cls):
            attrs.resolve_types(cls, types.ALL_TYPES_MAP, {})
            resolved.add(cls)
            return get_hook(cls, cache_result=False)  # now the next factory's: lsprotocol's own

        return factory

    conv.register_structure_hook_factory(unresolved, resolving(conv.get_structure_hook))
    conv.register_unstructure_hook_factory(unresolved, resolving(conv.get_unstructure_hook))
    return conv
