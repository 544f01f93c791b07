"""The language server: LSP in, engine calls, LSP out.

`run_server` is what `mlreview server` calls. pygls is imported only when the
server starts, so the CLI never pays for it.
"""

from __future__ import annotations


def run_server(transport: str = "stdio", host: str = "127.0.0.1", port: int = 2087) -> None:
    from .server import start

    start(transport, host, port)


__all__ = ["run_server"]
