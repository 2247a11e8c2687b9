"""BuildKit's progress as the Engine API streams it: ``moby.buildkit.trace`` aux messages.

Each message's ``aux`` is base64 of a protobuf ``StatusResponse`` from BuildKit's control API
(``api/services/control/control.proto``).  Only the fields below are read, so a small decoder of
the protobuf wire format (varints and length-delimited fields) does it, instead of a dependency on
``protobuf`` plus generated code for the whole control API:

    StatusResponse { repeated Vertex vertexes = 1; repeated VertexStatus statuses = 2;
                     repeated VertexLog logs = 3; }
    Vertex         { string digest = 1; repeated string inputs = 2; string name = 3; bool cached = 4;
                     Timestamp started = 5; Timestamp completed = 6; string error = 7; }
    VertexStatus   { string ID = 1; string vertex = 2; string name = 3; int64 current = 4;
                     int64 total = 5; Timestamp timestamp = 6; Timestamp started = 7;
                     Timestamp completed = 8; }
    VertexLog      { string vertex = 1; Timestamp timestamp = 2; int64 stream = 3; bytes msg = 4; }
    Timestamp      { int64 seconds = 1; int32 nanos = 2; }

Unknown fields (newer BuildKit: warnings, progress groups) are skipped by their wire type, so a
newer engine's messages still decode.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Iterator

TRACE_ID = "moby.buildkit.trace"


class TraceError(ValueError):
    """Not a StatusResponse we can read."""


@dataclass
class Vertex:
    digest: str
    name: str = ""
    inputs: list[str] = field(default_factory=list)
    cached: bool = False
    started: float | None = None
    completed: float | None = None
    error: str = ""


@dataclass
class VertexStatus:
    id: str
    vertex: str
    name: str = ""
    current: int = 0
    total: int = 0
    completed: float | None = None


@dataclass
class VertexLog:
    vertex: str
    stream: int = 1
    data: bytes = b""


@dataclass
class StatusResponse:
    vertexes: list[Vertex] = field(default_factory=list)
    statuses: list[VertexStatus] = field(default_factory=list)
    logs: list[VertexLog] = field(default_factory=list)


# -- the wire format -------------------------------------------------------------------------------


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= len(data):
            raise TraceError("truncated varint")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise TraceError("varint too long")


def fields(data: bytes) -> Iterator[tuple[int, int | bytes]]:
    """``(field number, value)`` pairs: an int for varints (and fixed widths), bytes for
    length-delimited fields (strings, bytes, nested messages)."""
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(data, pos)
            yield number, value
        elif wire == 2:
            length, pos = _varint(data, pos)
            if pos + length > len(data):
                raise TraceError("truncated field")
            yield number, data[pos:pos + length]
            pos += length
        elif wire in (1, 5):  # fixed64 / fixed32: not used by these messages, skipped
            width = 8 if wire == 1 else 4
            yield number, int.from_bytes(data[pos:pos + width], "little")
            pos += width
        else:
            raise TraceError(f"unsupported wire type {wire}")


def _text(value: int | bytes) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else ""


def _timestamp(value: int | bytes) -> float | None:
    if not isinstance(value, bytes):
        return None
    seconds = nanos = 0
    for number, v in fields(value):
        if number == 1 and isinstance(v, int):
            seconds = v
        elif number == 2 and isinstance(v, int):
            nanos = v
    return seconds + nanos / 1e9


def _signed(value: int | bytes) -> int:
    if not isinstance(value, int):
        return 0
    return value - (1 << 64) if value >= 1 << 63 else value


def _vertex(data: bytes) -> Vertex:
    vertex = Vertex("")
    for number, value in fields(data):
        if number == 1:
            vertex.digest = _text(value)
        elif number == 2:
            vertex.inputs.append(_text(value))
        elif number == 3:
            vertex.name = _text(value)
        elif number == 4:
            vertex.cached = bool(value)
        elif number == 5:
            vertex.started = _timestamp(value)
        elif number == 6:
            vertex.completed = _timestamp(value)
        elif number == 7:
            vertex.error = _text(value)
    return vertex


def _status(data: bytes) -> VertexStatus:
    status = VertexStatus("", "")
    for number, value in fields(data):
        if number == 1:
            status.id = _text(value)
        elif number == 2:
            status.vertex = _text(value)
        elif number == 3:
            status.name = _text(value)
        elif number == 4:
            status.current = _signed(value)
        elif number == 5:
            status.total = _signed(value)
        elif number == 8:
            status.completed = _timestamp(value)
    return status


def _log(data: bytes) -> VertexLog:
    entry = VertexLog("")
    for number, value in fields(data):
        if number == 1:
            entry.vertex = _text(value)
        elif number == 3:
            entry.stream = _signed(value)
        elif number == 4 and isinstance(value, bytes):
            entry.data = value
    return entry


def decode_status(data: bytes) -> StatusResponse:
    response = StatusResponse()
    for number, value in fields(data):
        if not isinstance(value, bytes):
            continue
        if number == 1:
            response.vertexes.append(_vertex(value))
        elif number == 2:
            response.statuses.append(_status(value))
        elif number == 3:
            response.logs.append(_log(value))
    return response


def decode_aux(aux: object) -> StatusResponse:
    """A ``moby.buildkit.trace`` chunk's ``aux`` (base64 text) decoded."""
    if not isinstance(aux, str):
        raise TraceError("the trace is not base64 text")
    try:
        raw = base64.b64decode(aux, validate=False)
    except ValueError as err:
        raise TraceError(f"the trace is not base64: {err}") from None
    return decode_status(raw)
