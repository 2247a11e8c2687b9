-- dockerls for Neovim 0.7 and newer, without nvim-lspconfig.
--
--   require('dockerls_client').setup({})          -- in init.lua
--
-- Starts `dockerls serve` (stdio) with vim.lsp.start_client (vim.lsp.start is 0.8+) for buffers of
-- the filetypes `dockerfile` and `yaml.docker-compose` (set here for docker-compose*.yml and
-- compose*.yaml), and for devcontainer.json; one client per project root.  The client is named
-- `dockerls_py`: in nvim-lspconfig `dockerls` is dockerfile-language-server-nodejs.
--
-- Options (all optional):
--   cmd          the server command; default: <root>/.venv/bin/dockerls serve, else dockerls serve
--   settings     the `dockerls` settings section: { ignore = {...}, severity = {...}, features = {...} }
--   filetypes    default { 'dockerfile', 'yaml.docker-compose' } (devcontainer.json is matched by name)
--   root_markers default { '.git', '.devcontainer', '.dockerls.yaml', '.hadolint.yaml' }
--   on_attach    function(client, bufnr)
--   capabilities the client capabilities (default vim.lsp.protocol.make_client_capabilities())
--   progress     show the server's work-done progress in the message area (default true)
--   detect_compose  set `yaml.docker-compose` for compose file names (default true)
--
-- Commands: :DockerlsDevelop :DockerlsBuild :DockerlsRebuild :DockerlsDown :DockerlsLogs
-- (workspace/executeCommand dockerls.develop, ... with the project root's URI).

local M = {}

M.name = 'dockerls_py'

local defaults = {
  cmd = nil,
  settings = {},
  filetypes = { 'dockerfile', 'yaml.docker-compose' },
  root_markers = { '.git', '.devcontainer', '.dockerls.yaml', '.dockerls.yml', '.hadolint.yaml' },
  on_attach = nil,
  capabilities = nil,
  progress = true,
  detect_compose = true,
}

M.config = vim.deepcopy(defaults)

local clients = {} -- root dir -> client id

M.COMMANDS = {
  DockerlsDevelop = 'dockerls.develop',
  DockerlsBuild = 'dockerls.build',
  DockerlsRebuild = 'dockerls.rebuild',
  DockerlsDown = 'dockerls.down',
  DockerlsLogs = 'dockerls.logs',
}

local LANGUAGE_IDS = {
  dockerfile = 'dockerfile',
  ['yaml.docker-compose'] = 'dockercompose',
  ['docker-compose'] = 'dockercompose',
}

local function exists(path)
  return vim.loop.fs_stat(path) ~= nil
end

local function dirname(path)
  return vim.fn.fnamemodify(path, ':h')
end

--- The nearest folder above `path` with one of the root markers, else the file's folder.
function M.find_root(path)
  local dir = dirname(path)
  local current = dir
  while true do
    for _, marker in ipairs(M.config.root_markers) do
      if exists(current .. '/' .. marker) then
        return current
      end
    end
    local parent = dirname(current)
    if parent == current then
      return dir
    end
    current = parent
  end
end

--- The server command for a root: the option, else the root's .venv/bin/dockerls, else dockerls on PATH.
function M.command(root)
  if M.config.cmd then
    return M.config.cmd
  end
  local venv = root .. '/.venv/bin/dockerls'
  if vim.fn.executable(venv) == 1 then
    return { venv, 'serve' }
  end
  return { 'dockerls', 'serve' }
end

function M.is_devcontainer(path)
  return path:match('/%.devcontainer/devcontainer%.json$') ~= nil
    or path:match('/%.devcontainer/[^/]+/devcontainer%.json$') ~= nil
    or path:match('/%.devcontainer%.json$') ~= nil
end

local warned_missing = false

-- Neovim 0.11 made the client's request/notify methods (client:request); 0.7 has functions.
local METHODS = vim.fn.has('nvim-0.11') == 1

local function request(client, method, params, handler, bufnr)
  if METHODS then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

local function notify(client, method, params)
  if METHODS then
    return client:notify(method, params)
  end
  return client.notify(method, params)
end

local get_clients = vim.lsp.get_clients or vim.lsp.get_active_clients

local function progress_message(value)
  local parts = { 'dockerls' }
  local title = value.title or ''
  if title ~= '' then
    table.insert(parts, title)
  end
  if value.kind == 'end' then
    table.insert(parts, value.message or 'done')
  elseif value.message and value.message ~= '' then
    table.insert(parts, value.message)
  end
  local text = table.concat(parts, ': ')
  if value.kind ~= 'end' and value.percentage then
    text = string.format('%s (%d%%)', text, value.percentage)
  end
  return text
end

M._titles = {} -- progress token -> title (reports do not repeat it)

--- `$/progress` for this client: Neovim's own handler (client.messages, the LspProgressUpdate
--- event), then a line in the message area.
function M.progress_handler(err, result, ctx, config)
  local default = vim.lsp.handlers['$/progress']
  local ret = default and default(err, result, ctx, config)
  if M.config.progress and result and type(result.value) == 'table' and result.value.kind then
    local value = vim.deepcopy(result.value)
    local key = tostring(result.token)
    if value.kind == 'begin' then
      M._titles[key] = value.title
    else
      value.title = value.title or M._titles[key]
      if value.kind == 'end' then
        M._titles[key] = nil
      end
    end
    local text = progress_message(value)
    M.last_progress = text
    -- begin and end go to :messages, the reports in between only to the message line
    vim.api.nvim_echo({ { text } }, value.kind ~= 'report', {})
  end
  return ret
end

local function on_command_result(title)
  return function(err, result)
    if err then
      vim.notify(string.format('dockerls: %s failed: %s', title, err.message or vim.inspect(err)), vim.log.levels.ERROR)
    elseif type(result) == 'string' and result ~= '' then
      vim.notify(result, vim.log.levels.INFO)
    else
      vim.notify(string.format('dockerls: %s: done', title), vim.log.levels.INFO)
    end
  end
end

--- workspace/executeCommand for one of the develop-in-container commands.
function M.execute(command, bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local path = vim.api.nvim_buf_get_name(bufnr)
  local root = path ~= '' and M.find_root(path) or vim.loop.cwd()
  local id = clients[root]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client then
    for _, c in pairs(get_clients()) do
      if c.name == M.name then
        client, root = c, c.config.root_dir
        break
      end
    end
  end
  if not client then
    vim.notify('dockerls: no dockerls server is running (open a Dockerfile or compose file)', vim.log.levels.WARN)
    return
  end
  request(client, 'workspace/executeCommand', { command = command, arguments = { vim.uri_from_fname(root) } },
    on_command_result(command), bufnr)
end

function M.start(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local path = vim.api.nvim_buf_get_name(bufnr)
  if path == '' then
    return nil
  end
  local root = M.find_root(path)
  local id = clients[root]
  if id and vim.lsp.get_client_by_id(id) then
    vim.lsp.buf_attach_client(bufnr, id)
    return id
  end
  local cmd = M.command(root)
  if vim.fn.executable(cmd[1]) ~= 1 then
    if not warned_missing then
      warned_missing = true
      vim.notify(string.format('dockerls: %s was not found: install it (pipx install dockerls-tools) or set cmd in '
        .. "require('dockerls_client').setup{}", cmd[1]), vim.log.levels.WARN)
    end
    return nil
  end
  local settings = { dockerls = M.config.settings or {} }
  id = vim.lsp.start_client({
    name = M.name,
    cmd = cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    settings = settings, -- answers workspace/configuration
    init_options = settings, -- the server takes them from initializationOptions too: the first lint has them
    capabilities = M.config.capabilities or vim.lsp.protocol.make_client_capabilities(),
    handlers = { ['$/progress'] = M.progress_handler },
    get_language_id = function(_, filetype)
      return LANGUAGE_IDS[filetype] or filetype
    end,
    on_init = function(client)
      notify(client, 'workspace/didChangeConfiguration', { settings = settings })
      return true
    end,
    on_attach = M.config.on_attach,
    on_exit = function()
      if clients[root] == id then
        clients[root] = nil
      end
    end,
  })
  if id then
    clients[root] = id
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

function M.setup(opts)
  M.config = vim.tbl_deep_extend('force', vim.deepcopy(defaults), opts or {})
  local group = vim.api.nvim_create_augroup('dockerls_client', { clear = true })

  if M.config.detect_compose then
    vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
      group = group,
      pattern = { 'docker-compose*.yml', 'docker-compose*.yaml', 'compose*.yml', 'compose*.yaml' },
      callback = function(args)
        vim.bo[args.buf].filetype = 'yaml.docker-compose'
      end,
    })
    vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
      group = group,
      pattern = { 'Dockerfile.*', '*.Dockerfile', '*.dockerfile', 'Containerfile', 'Containerfile.*' },
      callback = function(args)
        if vim.bo[args.buf].filetype == '' then
          vim.bo[args.buf].filetype = 'dockerfile'
        end
      end,
    })
  end

  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = vim.list_extend(vim.deepcopy(M.config.filetypes), { 'json', 'jsonc' }),
    callback = function(args)
      local ft = vim.bo[args.buf].filetype
      if (ft == 'json' or ft == 'jsonc') and not M.is_devcontainer(vim.api.nvim_buf_get_name(args.buf)) then
        return
      end
      M.start(args.buf)
    end,
  })

  for name, command in pairs(M.COMMANDS) do
    vim.api.nvim_create_user_command(name, function()
      M.execute(command)
    end, { desc = 'dockerls: ' .. command })
  end

  -- buffers that were opened before setup
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) then
      local ft = vim.bo[buf].filetype
      if vim.tbl_contains(M.config.filetypes, ft) then
        M.start(buf)
      end
    end
  end
end

return M
