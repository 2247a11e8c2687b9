-- Headless Neovim driver for tests/editors/test_neovim.py:
--   nvim --headless -u nvim_init.lua FILE...
-- loads editor-clients/neovim ($DOCKERLS_CLIENT_DIR) with the server command $DOCKERLS_SERVER_CMD
-- (a JSON list), opens each FILE, waits for its diagnostics, feeds the progress handler a
-- begin/report/end sequence, and writes what it saw to $DOCKERLS_TEST_OUT (JSON).
vim.opt.runtimepath:prepend(os.getenv('DOCKERLS_CLIENT_DIR'))
vim.opt.swapfile = false
vim.cmd('filetype on')

local client = require('dockerls_client')
client.setup({ cmd = vim.fn.json_decode(os.getenv('DOCKERLS_SERVER_CMD')), settings = { ignore = { 'DL3059' } } })

local timeout = tonumber(os.getenv('DOCKERLS_TEST_TIMEOUT') or '20000')

local function code_of(d)
  if d.code ~= nil then
    return d.code
  end
  local lsp = d.user_data and d.user_data.lsp
  return lsp and lsp.code or vim.NIL
end

local function run()
  local out = { files = {}, version = vim.version() }
  for _, file in ipairs(vim.fn.argv()) do
    vim.cmd('edit ' .. vim.fn.fnameescape(file))
    local buf = vim.api.nvim_get_current_buf()
    local entry = { file = file, filetype = vim.bo[buf].filetype, attached = false, diagnostics = {} }
    local started = vim.loop.hrtime()
    vim.wait(timeout, function()
      return #vim.diagnostic.get(buf) > 0
    end, 50)
    entry.ms = math.floor((vim.loop.hrtime() - started) / 1e6)
    for _, c in pairs(vim.lsp.buf_get_clients(buf)) do
      if c.name == client.name then
        entry.attached = true
        entry.client = c.name
        entry.language_id = c.config.get_language_id(buf, vim.bo[buf].filetype)
      end
    end
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      table.insert(entry.diagnostics, { code = code_of(d), line = d.lnum, message = d.message })
    end
    table.insert(out.files, entry)
  end

  -- work-done progress, as the server would send it for dockerls.develop
  local id = next(vim.lsp.get_active_clients()) and vim.lsp.get_active_clients()[1].id
  local ctx = { client_id = id, method = '$/progress' }
  local seen = {}
  for _, value in ipairs({
    { kind = 'begin', title = 'Develop in Container', message = 'building', percentage = 0 },
    { kind = 'report', message = 'step 2/4', percentage = 50 },
    { kind = 'end', message = 'container up' },
  }) do
    client.progress_handler(nil, { token = 'test-token', value = value }, ctx, {})
    table.insert(seen, client.last_progress)
  end
  out.progress = seen
  out.messages = vim.fn.execute('messages')
  out.commands = vim.fn.exists(':DockerlsDevelop') == 2

  -- a develop-in-container command makes the round trip (done, or the server's error)
  local notified = {}
  local notify = vim.notify
  vim.notify = function(msg, level)
    table.insert(notified, msg)
  end
  vim.cmd('buffer ' .. vim.fn.bufnr(vim.fn.argv()[1]))
  vim.cmd('DockerlsLogs')
  vim.wait(timeout, function()
    return #notified > 0
  end, 50)
  vim.notify = notify
  out.command_reply = notified[1] or vim.NIL

  local fh = assert(io.open(os.getenv('DOCKERLS_TEST_OUT'), 'w'))
  fh:write(vim.fn.json_encode(out))
  fh:close()
  vim.cmd('qa!')
end

vim.api.nvim_create_autocmd('VimEnter', {
  nested = true, -- so that :edit in it runs the filetype and LSP autocommands
  callback = function()
    local ok, err = pcall(run)
    if not ok then
      local fh = io.open(os.getenv('DOCKERLS_TEST_OUT'), 'w')
      if fh then
        fh:write(vim.fn.json_encode({ error = tostring(err) }))
        fh:close()
      end
      vim.cmd('cquit 3')
    end
  end,
})
