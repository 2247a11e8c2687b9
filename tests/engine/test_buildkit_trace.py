"""The hand decoder of BuildKit's StatusResponse (no engine needed)."""

import base64

import pytest

from dockerls.engine.buildkit_trace import TraceError, decode_aux, decode_status


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _field(number: int, value) -> bytes:
    if isinstance(value, int):
        return _varint(number << 3) + _varint(value)
    return _varint(number << 3 | 2) + _varint(len(value)) + value


def _timestamp(seconds: int, nanos: int) -> bytes:
    return _field(1, seconds) + _field(2, nanos)


def test_vertexes_statuses_and_logs():
    vertex = (_field(1, b"sha256:aa") + _field(2, b"sha256:in") + _field(3, b"[stage-0 2/3] RUN make")
              + _field(4, 1) + _field(5, _timestamp(100, 500_000_000)) + _field(6, _timestamp(102, 0))
              + _field(7, b"exit code: 2") + _field(8, b"\x0a\x01x"))  # 8: a newer field, skipped
    status = _field(1, b"layer1") + _field(2, b"sha256:aa") + _field(4, 1500) + _field(5, 3000)
    log = _field(1, b"sha256:aa") + _field(2, _timestamp(101, 0)) + _field(3, 2) + _field(4, b"oops\n")
    message = _field(1, vertex) + _field(2, status) + _field(3, log) + _field(4, b"warning")
    decoded = decode_aux(base64.b64encode(message).decode())
    [v] = decoded.vertexes
    assert (v.digest, v.inputs, v.name, v.cached, v.error) == (
        "sha256:aa", ["sha256:in"], "[stage-0 2/3] RUN make", True, "exit code: 2")
    assert v.completed - v.started == pytest.approx(1.5)
    [s] = decoded.statuses
    assert (s.id, s.vertex, s.current, s.total) == ("layer1", "sha256:aa", 1500, 3000)
    [entry] = decoded.logs
    assert (entry.vertex, entry.stream, entry.data) == ("sha256:aa", 2, b"oops\n")


def test_truncated_message_is_an_error():
    with pytest.raises(TraceError):
        decode_status(_field(1, b"0123456789")[:-3])
    with pytest.raises(TraceError):
        decode_aux(12)
