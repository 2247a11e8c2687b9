"""Dev container features in the editor: completion of feature ids, option names and values from
the cache, and hover on a cached feature (the server's cache is a folder of the test's)."""

from __future__ import annotations

import json
import os

import pytest
from lsprotocol import types

from dockerls.develop.plan.features import parse_ref
from dockerls.develop.plan.features_apply import REFERENCE_FILE, cache_folder
from tests.lsp.conftest import SPEC_WARNINGS_ARE_ERRORS, open_doc

pytestmark = [pytest.mark.asyncio(loop_scope="module"), SPEC_WARNINGS_ARE_ERRORS]

NODE = "ghcr.io/devcontainers/features/node:1"
DEFINITION = {"id": "node", "version": "1.6.0", "name": "Node.js (via nvm)", "description": "Installs Node.js.",
              "options": {"version": {"type": "string", "proposals": ["lts", "latest"], "default": "lts",
                                      "description": "Select or enter a Node.js version."}}}


@pytest.fixture(scope="module", autouse=True)
def feature_cache(tmp_path_factory):
    # module scope and autouse: set before the module's server starts (it inherits the environment)
    cache = tmp_path_factory.mktemp("cache")
    folder = cache_folder(parse_ref(NODE), {"XDG_CACHE_HOME": str(cache)})
    os.makedirs(folder)
    with open(os.path.join(folder, "devcontainer-feature.json"), "w") as fh:
        json.dump(DEFINITION, fh)
    with open(os.path.join(folder, REFERENCE_FILE), "w") as fh:
        fh.write(NODE + "\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(cache))
        yield


def _items(result) -> list[types.CompletionItem]:
    return result.items if isinstance(result, types.CompletionList) else result or []


async def test_feature_ids_options_and_values_are_completed(client):
    text = '{\n  "image": "debian",\n  "features": {\n    "\n  }\n}\n'
    doc = open_doc(client, text, name="devcontainer.json", language_id="jsonc", folder=".devcontainer")
    items = _items(await client.text_document_completion_async(types.CompletionParams(
        text_document=doc.ident, position=doc.pos('"\n  }', 1))))
    labels = [i.label for i in items]
    assert labels[0] == NODE and "ghcr.io/devcontainers/features/python" in labels
    assert items[0].kind == types.CompletionItemKind.Module and "Installs Node.js." in items[0].documentation.value
    doc.change(text.replace('    "\n', f'    "{NODE}": {{ "version": "" }}\n'))
    items = _items(await client.text_document_completion_async(types.CompletionParams(
        text_document=doc.ident, position=doc.pos('{ "', 3))))
    assert [i.label for i in items] == ["version"]
    items = _items(await client.text_document_completion_async(types.CompletionParams(
        text_document=doc.ident, position=doc.pos('""', 1))))
    assert [i.label for i in items] == ["lts", "latest"]


async def test_hover_on_a_cached_feature(client):
    text = '{\n  "image": "debian",\n  "features": {"%s": {}}\n}\n' % NODE
    doc = open_doc(client, text, name="devcontainer.json", language_id="jsonc", folder=".devcontainer")
    hover = await client.text_document_hover_async(types.HoverParams(text_document=doc.ident,
                                                                     position=doc.pos("node:1")))
    assert hover is not None and "**Node.js (via nvm)** 1.6.0" in hover.contents.value
    assert "`version`" in hover.contents.value
