"""LSP's base protocol read so that a client's framing mistake costs one message, not the connection.

A message is headers (``Content-Length: N``, maybe ``Content-Type``), an empty line, then N bytes
of JSON.  pygls' reader only knows that exact form: after ``Content-Length: abc`` (or a length a
few bytes off, a lowercase header name, LF-only line ends) it glues the body to the next header and
never answers again.  :class:`Framer` reads leniently instead (header names in any case, LF or
CRLF) and, after a mistake, recovers at the next valid ``Content-Length`` header:

* a length that is not a number (``abc``, ``-5``, ``0``): the client gets a parse error; the body
  that follows is read up to the next header and, when it is one JSON message, handled (dropping a
  ``didChange`` would leave the document out of step with the editor's);
* a length too long: the JSON message ends before the body does; the rest is the next header;
* a length too short: the cut body gets a parse error, and the message, completed by the bytes up
  to the next header, is handled after all.

pygls' message loop is kept (it is public: ``pygls.io_.run_async``, and ``start_io`` takes the
stream to read): :class:`FramedInput` and :class:`FramedPipe` hand it clean frames.  A framing
error travels to the loop as a body that is not JSON (:func:`error_body`), so that pygls'
own error handler answers it on the loop's thread (:func:`framing_error` recognises it).
"""

from __future__ import annotations

import json
import logging
import re
from typing import BinaryIO

log = logging.getLogger("dockerls.lsp.framing")

_HEADER = re.compile(rb"([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]*:[ \t]*(.*?)[ \t]*")
# A valid header glued to the end of other bytes (a body whose length was wrong).
_GLUED = re.compile(rb"(?i)content-length[ \t]*:[ \t]*[0-9]+[ \t]*\r?\n\Z")
_MARK = "!dockerls framing: "  # "!": never JSON, and no NUL (json would guess UTF-16)
_KEEP_SKIPPED = 16 << 20  # bytes of a mis-framed message kept for recovering it
_READ = 1 << 16


def error_body(message: str) -> bytes:
    """A body that stands for a framing error: not JSON, so the loop hands it to the error handler."""
    return (_MARK + message).encode()


def framing_error(error: Exception) -> str | None:
    """The framing error an exception of the message loop stands for (else None)."""
    doc = getattr(error, "doc", None)
    if isinstance(error, json.JSONDecodeError) and isinstance(doc, str) and doc.startswith(_MARK):
        return doc[len(_MARK):]
    return None


def _is_message(data: bytes) -> bool:
    try:
        value = json.loads(data)
    except ValueError:
        return False
    return isinstance(value, dict) and "jsonrpc" in value


class Framer:
    """Bytes in (:meth:`feed`), message bodies out (:meth:`next_body`), without I/O."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self._in_headers = False
        self._length: int | None = None  # the header block's valid Content-Length
        self._bad: bytes | None = None  # its invalid one
        self._body_length: int | None = None  # reading a body of this many bytes
        self._skipped = bytearray()  # bytes between a framing mistake and the next valid header
        self._cut: bytes = b""  # a body that was too short, to complete with what follows
        self._out: list[bytes] = []  # bodies ready, in order

    def feed(self, data: bytes) -> None:
        self.buffer += data

    def next_body(self) -> bytes | None:
        """The next body (maybe :func:`error_body`), or None until more bytes come."""
        buf = self.buffer
        while True:
            if self._out:
                return self._out.pop(0)
            if self._body_length is not None:
                if len(buf) < self._body_length:
                    return None
                body = bytes(buf[:self._body_length])
                del buf[:self._body_length]
                self._body_length = None
                return self._checked(body)
            nl = buf.find(b"\n")
            if nl < 0:
                if len(buf) > _READ * 16:  # no line end in sight: garbage
                    self._skip(bytes(buf[:-64]))
                    del buf[:-64]
                return None
            line = bytes(buf[:nl + 1])
            del buf[:nl + 1]
            content = line.rstrip(b"\r\n")
            if not content.strip():
                if self._in_headers:
                    self._end_headers()
                continue  # a stray empty line between messages
            header = _HEADER.fullmatch(content)
            if header is not None:
                self._in_headers = True
                if header.group(1).lower() == b"content-length":
                    value = header.group(2)
                    if value.isdigit() and int(value) > 0:
                        self._length, self._bad = int(value), None
                    else:
                        self._bad = value
                continue
            glued = _GLUED.search(line)
            if glued is not None and glued.start() > 0:
                buf[0:0] = line[glued.start():]
                line = line[:glued.start()]
            self._skip(line)

    def _end_headers(self) -> None:
        self._in_headers = False
        length, bad = self._length, self._bad
        self._length = self._bad = None
        recovered = self._recovered()
        if recovered is not None:
            self._out.append(recovered)
        if length is not None:
            self._body_length = length
            return
        why = f"Content-Length {bad.decode(errors='replace')!r} is not a length" if bad is not None \
            else "no Content-Length header"
        log.warning("bad message framing: %s; reading on from the next header", why)
        self._out.append(error_body(f"bad message framing: {why}; skipped to the next message"))

    def _recovered(self) -> bytes | None:
        """At a valid header after a mistake: the mis-framed message, when its bytes make one."""
        skipped, cut = bytes(self._skipped), self._cut
        self._skipped.clear()
        self._cut = b""
        if not skipped.strip():
            return None
        for candidate in (cut + skipped.rstrip(b"\r\n"), skipped.strip()):
            if candidate and _is_message(candidate):
                log.warning("recovered a message sent with a wrong Content-Length")
                return candidate
        log.warning("skipped %d bytes that are not a message", len(skipped))
        return None

    def _skip(self, data: bytes) -> None:
        self._skipped += data
        if len(self._skipped) > _KEEP_SKIPPED:
            del self._skipped[:-_KEEP_SKIPPED]
            self._cut = b""

    def _checked(self, body: bytes) -> bytes:
        """``body``, or the JSON message it starts with when the length was too long."""
        if body.rstrip()[-1:] in (b"}", b"]"):
            return body  # the usual case, cheaply
        try:
            text = body.decode()
            _, end = json.JSONDecoder().raw_decode(text)
        except ValueError:  # cut short (or not JSON): pygls answers a parse error; keep it to complete
            self._cut = body
            return body
        used = len(text[:end].encode())
        log.warning("Content-Length was %d bytes too long", len(body) - used)
        self.buffer[0:0] = body[used:]
        return body[:used]

    def at_end(self) -> None:
        if self._body_length is not None or self.buffer.strip():
            log.warning("the client closed the connection in the middle of a message")


class _Frames:
    """What pygls' message loop reads: ``Content-Length: N``, an empty line, then the body."""

    def __init__(self) -> None:
        self.framer = Framer()
        self._lines: list[bytes] = []
        self._body = b""

    def _frame(self, body: bytes) -> bytes:
        self._body = body
        self._lines = [b"\r\n"]
        return b"Content-Length: %d\r\n" % len(body)

    def _take(self, n: int) -> bytes:
        body, self._body = self._body[:n], self._body[n:]
        return body


class FramedInput(_Frames):
    """A blocking stream (``start_io``'s ``stdin``) read through a :class:`Framer`."""

    def __init__(self, stream: BinaryIO):
        super().__init__()
        self.stream = stream

    def readline(self) -> bytes:
        if self._lines:
            return self._lines.pop()
        while (body := self.framer.next_body()) is None:
            read1 = getattr(self.stream, "read1", None)
            data = read1(_READ) if read1 is not None else self.stream.readline()
            if not data:
                self.framer.at_end()
                return b""
            self.framer.feed(data)
        return self._frame(body)

    def read(self, n: int) -> bytes:
        return self._take(n)


class FramedPipe(_Frames):
    """An ``asyncio.StreamReader`` read through a :class:`Framer` (pygls' async reader interface)."""

    def __init__(self, stream) -> None:
        super().__init__()
        self.stream = stream

    async def readline(self) -> bytes:
        if self._lines:
            return self._lines.pop()
        while (body := self.framer.next_body()) is None:
            data = await self.stream.read(_READ)
            if not data:
                self.framer.at_end()
                return b""
            self.framer.feed(data)
        return self._frame(body)

    async def readexactly(self, n: int) -> bytes:
        return self._take(n)


class _NoTraceback(logging.Filter):
    """The message loop logs a message it cannot handle with a traceback; the server's error
    handler says what went wrong in one line instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        return True


def loop_logger(name: str = "dockerls.lsp.loop") -> logging.Logger:
    """The logger for pygls' message loop (``pygls.server`` is the one ``start_io`` uses)."""
    logger = logging.getLogger(name)
    if not any(isinstance(f, _NoTraceback) for f in logger.filters):
        logger.addFilter(_NoTraceback())
    return logger
