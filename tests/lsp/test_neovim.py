"""dockerls in a real editor: headless Neovim (Debian's 0.7: ``apt-get install neovim``) starts
``python -m dockerls serve`` for a Dockerfile with the four classic problems, waits for the
diagnostics and asks for a hover and the code actions; a small Lua script writes what Neovim got
to a JSON file that this test reads."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

NVIM = shutil.which("nvim")
pytestmark = pytest.mark.skipif(NVIM is None, reason="Neovim is not installed (apt-get install -y neovim)")

CLASSIC = """\
# The four classic problems.
LABEL org.opencontainers.image.title="example"
FROM python:latest

RUN apt-get update && apt-get install -y --no-install-recommends gcc
RUN apt-get purge -y gcc && rm -rf /var/lib/apt/lists/*

CMD ["python", "-m", "http.server"]
CMD ["python", "app.py"]
"""

LUA = r"""
local out = {}
local function finish()
  vim.fn.writefile({vim.fn.json_encode(out)}, OUTPUT)
  vim.cmd('qa!')
end
local ok, err = pcall(function()
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = 'dockerfile'
  local client_id = vim.lsp.start_client({
    name = 'dockerls', cmd = SERVER, root_dir = vim.fn.getcwd(),
  })
  vim.lsp.buf_attach_client(bufnr, client_id)
  vim.wait(20000, function() return #vim.diagnostic.get(bufnr) >= 4 end, 50)
  out.diagnostics = {}
  local cleanup
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = (d.user_data or {}).lsp or {}
    local code = lsp.code or d.code
    table.insert(out.diagnostics, {code = code, line = d.lnum, col = d.col, message = d.message})
    if code == 'DF100' then
      for _, full in ipairs(vim.lsp.diagnostic.get_line_diagnostics(bufnr, d.lnum)) do
        if full.code == 'DF100' then cleanup = full end  -- what :lua vim.lsp.buf.code_action() sends
      end
    end
  end
  local client = vim.lsp.get_client_by_id(client_id)
  local hover = client.request_sync('textDocument/hover', {
    textDocument = {uri = vim.uri_from_bufnr(bufnr)}, position = {line = 2, character = 1},
  }, 10000, bufnr)
  out.hover = hover and hover.result and hover.result.contents and hover.result.contents.value or vim.NIL
  if cleanup then
    local actions = client.request_sync('textDocument/codeAction', {
      textDocument = {uri = vim.uri_from_bufnr(bufnr)}, range = cleanup.range,
      context = {diagnostics = {cleanup}},
    }, 10000, bufnr)
    out.actions = {}
    for _, a in ipairs((actions and actions.result) or {}) do table.insert(out.actions, a.title) end
  end
end)
if not ok then out.error = tostring(err) end
finish()
"""


def _server_command() -> list[str]:
    """``python -m dockerls serve`` once the CLI has the subcommand; the module until then."""
    probe = subprocess.run([sys.executable, "-m", "dockerls", "serve", "--help"], capture_output=True, timeout=60)
    if probe.returncode == 0:
        return [sys.executable, "-m", "dockerls", "serve"]
    return [sys.executable, "-m", "dockerls.lsp.server"]


def test_neovim_gets_diagnostics_hover_and_code_actions(tmp_path: Path):
    (tmp_path / ".git").mkdir()
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(CLASSIC)
    output = tmp_path / "out.json"
    script = tmp_path / "init.lua"
    server = "{" + ", ".join(json.dumps(part) for part in _server_command()) + "}"
    script.write_text(f"OUTPUT = {json.dumps(str(output))}\nSERVER = {server}\n{LUA}")
    subprocess.run([NVIM, "--headless", "--clean", "-n", "-c", f"luafile {script}", str(dockerfile)],
                   cwd=tmp_path, timeout=90, capture_output=True, check=False)
    result = json.loads(output.read_text())
    assert "error" not in result, result.get("error")
    found = {d["code"] for d in result["diagnostics"]}
    assert {"DL3061", "DL4003", "DL3007", "DF100"} <= found
    assert "FROM" in result["hover"]
    assert "Move the cleanup into the RUN that installs" in result["actions"]
    assert "Ignore DF100 for this instruction" in result["actions"]
