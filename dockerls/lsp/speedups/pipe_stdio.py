"""``pipe_stdio``: stdio without a thread hop per read.

pygls reads stdin through a thread pool (one hand-off per header line and per body); when stdin
is a pipe (as editors start servers) dockerls reads it with asyncio instead, which takes a few
hundred microseconds off every message.  Anything else (a file, Windows) goes through pygls.

Private part relied on (tests/lsp/speedups/test_contracts.py): pygls' ``shutdown()`` stops the
message loop by setting ``JsonRPCServer._stop_event``; the loop itself is pygls' public
``pygls.io_.run_async`` with its ``StdoutWriter``, reading frames through :mod:`dockerls.lsp.framing`
(as the plain path does).
"""

from __future__ import annotations

import asyncio
import logging
import os
import stat
import sys
import threading

from pygls.io_ import StdoutWriter, run_async

from dockerls.lsp import framing
from dockerls.lsp.speedups import enabled

log = logging.getLogger(__name__)

def _is_pipe(fd: int) -> bool:
    try:
        mode = os.fstat(fd).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or stat.S_ISCHR(mode)


def usable() -> bool:
    """Whether stdin can be served this way (else pygls' ``start_io`` serves it)."""
    return enabled("pipe_stdio") and os.name != "nt" and _is_pipe(sys.stdin.fileno())


def serve_stdio(server) -> int:
    """Serve until the client says ``exit`` or goes away; the exit code LSP asks for."""
    stdin = sys.stdin.buffer
    server._stop_event = stop = threading.Event()  # what pygls' shutdown() sets
    server.protocol.set_writer(StdoutWriter(sys.stdout.buffer))

    async def run() -> None:
        loop = asyncio.get_running_loop()
        stream = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stream), stdin)
        await run_async(stop_event=stop, reader=framing.FramedPipe(stream), protocol=server.protocol,
                        logger=framing.loop_logger(), error_handler=server.report_server_error)

    code = 0
    try:
        asyncio.run(run())
    except BrokenPipeError:
        log.error("the client closed the connection")
    except KeyboardInterrupt:
        pass
    except SystemExit as done:  # the ``exit`` notification: 0 after ``shutdown``, else 1
        code = done.code if isinstance(done.code, int) else 0
    finally:
        server.shutdown()
    return code
