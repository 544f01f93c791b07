"""The analysis core: source -> chunks -> module model -> rules -> findings.

Nothing in this package knows about LSP or the terminal.
"""
