-- Headless Neovim (0.7+) as a real LSP client: open a file, start a language server,
-- wait for its diagnostics, ask for code actions on one diagnostic, apply the preferred
-- quick fix through Neovim's own LSP machinery, wait for the re-published diagnostics,
-- stop the server and write everything as JSON.
--
--   NVIM_LSP_HARNESS=config.json nvim --headless -n -i NONE -u lsp_quickfix.lua file.py
--
-- config.json: {
--   "cmd": ["python", "-m", "mlreview", "server"],   server command (stdio)
--   "init_options": {"debounce": 0},                 initializationOptions (optional)
--   "root_dir": "/tmp/x",                            workspace root
--   "source": "mlreview", "code": "ML101",           the diagnostic to fix
--   "result": "/tmp/x/result.json",                  where the JSON result goes
--   "timeout_ms": 20000,                             per wait
--   "log_level": "debug"                             vim.lsp log level (optional)
-- }
-- Neovim 0.7 has no vim.lsp.start: start_client + buf_attach_client are used on purpose,
-- and only APIs present in 0.7 (vim.fn.json_*, resolved_capabilities) are relied upon.

-- The python ftplugin probes the python3 provider (a child process, seconds on a busy
-- machine) when the .py buffer opens; the LSP client never needs remote plugins.
vim.g.loaded_python3_provider = 0
vim.g.loaded_node_provider = 0
vim.g.loaded_ruby_provider = 0
vim.g.loaded_perl_provider = 0

local config = vim.fn.json_decode(vim.fn.readfile(os.getenv("NVIM_LSP_HARNESS")))
local timeout = config.timeout_ms or 20000
local lsp = vim.lsp
if config.log_level then
  lsp.set_log_level(config.log_level)
end

local state = {
  publishes = {}, -- every publishDiagnostics for our buffer, in arrival order
  errors = {}, -- on_error callbacks from the client
  exit = nil, -- {code, signal} once the server process ended
  capabilities = nil, -- the server's raw initialize result capabilities
  server_info = nil,
}

local version = vim.version()
local result = {
  ok = false,
  steps = {},
  log_path = lsp.get_log_path(),
  nvim = string.format("%d.%d.%d", version.major, version.minor, version.patch),
}

local started_at = vim.loop.hrtime()

-- Each step with the milliseconds since the harness started, to see where time goes.
local function step(name)
  table.insert(result.steps, string.format("%s @%d ms", name, (vim.loop.hrtime() - started_at) / 1e6))
end

local function write_result()
  result.publishes = state.publishes
  result.client_errors = state.errors
  result.server_exit = state.exit
  result.server_info = state.server_info
  local ok, encoded = pcall(vim.fn.json_encode, result)
  if not ok then
    encoded = vim.fn.json_encode({ ok = false, error = "cannot encode result: " .. tostring(encoded) })
  end
  local file = assert(io.open(config.result, "w"))
  file:write(encoded)
  file:close()
end

-- Fails loudly: the message names what we were waiting for and what the server did.
local function wait_for(what, predicate)
  local done = vim.wait(timeout, function()
    return predicate() or (state.exit ~= nil and what ~= "server exit")
  end, 20)
  if state.exit ~= nil and what ~= "server exit" and not predicate() then
    error(string.format("server exited (code %s, signal %s) while waiting for %s",
      tostring(state.exit.code), tostring(state.exit.signal), what))
  end
  if not done then
    error(string.format("timed out after %d ms waiting for %s", timeout, what))
  end
end

local function find_target(diagnostics)
  for _, diagnostic in ipairs(diagnostics or {}) do
    if diagnostic.source == config.source and tostring(diagnostic.code) == config.code then
      return diagnostic
    end
  end
end

local function last_publish()
  return state.publishes[#state.publishes]
end

-- Requests go through buf_request_sync, as a plugin would; one client, so one response.
local function request(bufnr, method, params)
  local responses, err = lsp.buf_request_sync(bufnr, method, params, timeout)
  if not responses then
    error(string.format("%s: no response (%s)", method, tostring(err)))
  end
  for _, response in pairs(responses) do
    if response.err then
      error(string.format("%s failed: %s", method, vim.inspect(response.err)))
    end
    return response.result
  end
  error(method .. ": empty response table")
end

local function pick_preferred_quickfix(actions)
  local candidates = {}
  for _, action in ipairs(actions or {}) do
    -- A bare Command has `command` as a string and no kind: never a quick fix here.
    local kind = action.kind or ""
    if kind == "quickfix" or vim.startswith(kind, "quickfix.") then
      table.insert(candidates, action)
      if action.isPreferred then
        return action
      end
    end
  end
  error("no preferred quickfix among: " .. vim.inspect(candidates))
end

local function supports_resolve(client)
  local provider = client.resolved_capabilities.code_action
  return type(provider) == "table" and provider.resolveProvider == true
end

local function run()
  local bufnr = vim.api.nvim_get_current_buf()
  local uri = vim.uri_from_bufnr(bufnr)
  result.uri = uri

  local client_id = lsp.start_client({
    name = "harness-" .. config.source,
    cmd = config.cmd,
    root_dir = config.root_dir,
    init_options = config.init_options,
    handlers = {
      ["textDocument/publishDiagnostics"] = function(err, params, ctx, handler_config)
        if params and params.uri == uri then
          table.insert(state.publishes, {
            version = params.version,
            changedtick = lsp.util.buf_versions[bufnr],
            diagnostics = params.diagnostics,
          })
        end
        return lsp.diagnostic.on_publish_diagnostics(err, params, ctx, handler_config)
      end,
    },
    on_init = function(_, initialize_result)
      state.capabilities = initialize_result.capabilities
      state.server_info = initialize_result.serverInfo
    end,
    on_error = function(code, err)
      table.insert(state.errors, { code = code, err = tostring(err) })
    end,
    on_exit = function(code, signal)
      state.exit = { code = code, signal = signal }
    end,
  })
  if not client_id then
    error("vim.lsp.start_client returned nil for " .. vim.inspect(config.cmd))
  end
  lsp.buf_attach_client(bufnr, client_id)
  step("started")

  wait_for("initialize", function()
    local client = lsp.get_client_by_id(client_id)
    return client ~= nil and client.initialized
  end)
  local client = lsp.get_client_by_id(client_id)
  result.offset_encoding = client.offset_encoding
  result.supports_resolve = supports_resolve(client)
  step("initialized")

  wait_for(config.source .. " diagnostic " .. config.code, function()
    return last_publish() ~= nil and find_target(last_publish().diagnostics) ~= nil
  end)
  result.diagnostics_before = last_publish().diagnostics
  local target = find_target(result.diagnostics_before)
  result.target = target
  step("diagnostics")

  -- What 0.7's own vim.lsp.buf.code_action() sends: the line's diagnostics rebuilt from
  -- vim.diagnostic (which keeps only {code, data} of the LSP fields in user_data.lsp).
  local line = target.range.start.line
  local context_diagnostics = {}
  for _, diagnostic in ipairs(lsp.diagnostic.get_line_diagnostics(bufnr, line, {}, client_id)) do
    if diagnostic.source == config.source and tostring(diagnostic.code) == config.code then
      table.insert(context_diagnostics, diagnostic)
    end
  end
  if #context_diagnostics == 0 then
    error("vim.diagnostic lost the target diagnostic on line " .. line)
  end
  result.context_diagnostics = context_diagnostics

  local actions = request(bufnr, "textDocument/codeAction", {
    textDocument = { uri = uri },
    range = target.range,
    context = { diagnostics = context_diagnostics },
  })
  result.actions = actions
  local action = pick_preferred_quickfix(actions)
  step("code actions")

  if not action.edit and supports_resolve(client) then
    action = request(bufnr, "codeAction/resolve", action)
    result.resolved = true
    step("resolved")
  end
  result.chosen = action
  if not action.edit then
    error("the preferred quickfix has no edit (resolved: " .. tostring(result.resolved) .. ")")
  end

  local publishes_before_edit = #state.publishes
  lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or "utf-16")
  local edited_version = lsp.util.buf_versions[bufnr]
  result.edited_version = edited_version
  step("applied")

  -- A publish that answers the edit: newer than the last one and, when the server
  -- versions its diagnostics, for the buffer version Neovim sent after the edit.
  wait_for("diagnostics after the edit", function()
    local latest = last_publish()
    return #state.publishes > publishes_before_edit
      and (latest.version == nil or latest.version == edited_version)
  end)
  result.diagnostics_after = last_publish().diagnostics
  result.text = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n") .. "\n"
  step("diagnostics after")

  -- shutdown, then exit. Neovim 0.7 gives a server 500 ms (flags.exit_timeout) on :qa
  -- before it kills it, so how long the exit takes is worth recording.
  local stop_requested = vim.loop.hrtime()
  lsp.stop_client(client_id)
  wait_for("server exit", function()
    return state.exit ~= nil
  end)
  result.exit_ms = math.floor((vim.loop.hrtime() - stop_requested) / 1e6)
  step("stopped")
  result.ok = true
end

vim.api.nvim_create_autocmd("VimEnter", {
  once = true,
  callback = function()
    local ok, err = xpcall(run, debug.traceback)
    if not ok then
      result.error = tostring(err)
    end
    write_result()
    vim.cmd(result.ok and "qa!" or "cq!")
  end,
})
