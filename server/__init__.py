"""mlreview: a senior ML reviewer in every editor (language server and CLI)."""

__version__ = "0.1.0"
