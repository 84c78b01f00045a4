;; Emacs 29 or later, in init.el: M-x eglot in a Markdown or LaTeX buffer starts policycite.
(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               '((markdown-mode gfm-mode latex-mode LaTeX-mode) . ("policycite" "lsp"))))
