-- Neovim 0.11 or later, in init.lua: policycite for Markdown and LaTeX buffers.
vim.lsp.config("policycite", {
  cmd = { "policycite", "lsp" },
  filetypes = { "markdown", "tex" },
  root_markers = { "references", "policycite.toml", ".git" },
})
vim.lsp.enable("policycite")
