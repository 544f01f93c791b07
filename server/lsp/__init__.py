"""The language server: LSP in, engine calls, LSP out.

`run_server` is what `mlreview server` calls. pygls is imported only when the
server starts, so the CLI never pays for it; over stdio, not even then: the early
loop (early.py) answers the first messages while pygls loads.
"""

from __future__ import annotations


def run_server(transport: str = "stdio", host: str = "127.0.0.1", port: int = 2087) -> None:
    if transport == "stdio":
        from .early import serve_stdio

        serve_stdio()
        return
    from .server import start_tcp

    start_tcp(host, port)


def load_server(session, between=lambda: None) -> None:
    """Import the full server (pygls, lsprotocol) and ready it to take over the early loop's
    `session` (early.EarlySession): the early loop runs this in a thread, `between()` steps."""
    import importlib

    for module in ("attrs", "cattrs", "lsprotocol.types", "lsprotocol.converters", "pygls.lsp.server"):
        importlib.import_module(module)
        between()
    from .server import SERVER, prepare

    between()
    prepare(SERVER, session)


__all__ = ["run_server"]
