"""What the server writes to stderr, which VS Code's client shows as "[error]" lines.

Only real problems belong there. pygls warns on every `$/cancelRequest` for a
request it has already answered; clients send those routinely (VS Code cancels
the pull-diagnostics and code-action requests of every cell of an open notebook
when the server restarts, and requests it no longer needs while the user types).
Answering first and being told to cancel afterwards is the protocol working.
"""

from __future__ import annotations

import logging

PYGLS_RPC_LOGGER = "pygls.protocol.json_rpc"
FINISHED_CANCEL = "Cancel notification for unknown message id"


class FinishedRequestCancels(logging.Filter):
    """Demotes pygls's warning about cancelling a finished request to debug."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg.startswith(FINISHED_CANCEL):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)
        return True


def quiet_routine_protocol_warnings() -> None:
    logger = logging.getLogger(PYGLS_RPC_LOGGER)
    if not any(isinstance(f, FinishedRequestCancels) for f in logger.filters):
        logger.addFilter(FinishedRequestCancels())
