"""What BuildKit refuses in instructions the parser read: the errors of BuildKit's instruction
parsing (``frontend/dockerfile/instructions/parse.go`` and its flag parser ``bflag.go``) and the
few its dispatch raises on literal values (``STOPSIGNAL``, ``EXPOSE``), each at its place.

Pure: a Dockerfile model in, :class:`~dockerls.parse.dockerfile.model.Problem` s out (code DF008,
reported by ``dockerls/rules/dockerfile/df008_buildkit_refuses.py``).  An instruction the parser
already found broken (a DF004 problem inside it) is left alone: one error, not two.  BuildKit stops
at the first error of an instruction; so does each check here.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Iterator

from dockerls.parse.dockerfile import problems as P
from dockerls.parse.dockerfile.model import Dockerfile, Flag, Instruction, Problem
from dockerls.text import Range, small_number

# The flags each instruction accepts (name -> kind: "string", "strings" (repeatable) or "bool").
# An instruction not listed takes none.  STOPSIGNAL and ARG never parse their flags, so BuildKit
# ignores whatever is written there; HEALTHCHECK NONE does not either.
_FLAGS: dict[str, dict[str, str]] = {
    "ADD": {"chown": "string", "chmod": "string", "link": "bool", "keep-git-dir": "bool",
            "checksum": "string", "exclude": "strings", "parents": "bool", "unpack": "bool"},
    "COPY": {"chown": "string", "from": "string", "chmod": "string", "link": "bool",
             "exclude": "strings", "parents": "bool"},
    "FROM": {"platform": "string"},
    "RUN": {"mount": "strings", "network": "string", "security": "string", "device": "strings"},
    "HEALTHCHECK": {"interval": "string", "timeout": "string", "start-period": "string",
                    "start-interval": "string", "retries": "string"},
}
_FLAGS_IGNORED = frozenset({"STOPSIGNAL", "ARG"})
_EXACTLY_ONE = frozenset({"WORKDIR", "USER", "MAINTAINER", "STOPSIGNAL"})
_STAGE_NAME = re.compile(r"[a-z][a-z0-9\-_.]*")
_HEREDOC = re.compile(r"<<-?\s*(['\"]?)[^<'\"\s]+\1")
_DURATION_PART = re.compile(r"([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)")
_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
# moby/sys/signal's names on Linux (without SIG), and the real-time ones.
_SIGNALS = frozenset(
    "ABRT ALRM BUS CHLD CLD CONT FPE HUP ILL INT IO IOT KILL PIPE POLL PROF PWR QUIT SEGV STKFLT "
    "STOP SYS TERM TRAP TSTP TTIN TTOU URG USR1 USR2 VTALRM WINCH XCPU XFSZ RTMIN RTMAX".split()
    + [f"RTMIN+{i}" for i in range(1, 16)] + [f"RTMAX-{i}" for i in range(1, 15)])
_PROTOCOLS = frozenset({"tcp", "udp", "sctp"})


_READS_WORDS = frozenset({"ADD", "COPY", "FROM", "HEALTHCHECK", "VOLUME", "STOPSIGNAL", "EXPOSE", *_EXACTLY_ONE})

def refusal(df: Dockerfile, ins: Instruction) -> Problem | None:
    """The error BuildKit gives for the top-level instruction ``ins`` (the first it meets), or None
    (ONBUILD's trigger is only parsed when a child image is built).  It depends on the instruction's
    own text only, so the language server re-checks just the stage being edited."""
    start, end = ins.range.start_offset, ins.range.end_offset
    if any(p.code == P.SYNTAX and start <= p.range.start_offset < end for p in df.problems):
        return None  # a syntax error there already says what is wrong
    found = next(_errors(df, ins), None)
    if found is None:
        return None
    message, rng = found
    return Problem(P.REFUSED, message, rng)


def _errors(df: Dockerfile, ins: Instruction) -> Iterator[tuple[str, Range]]:
    """BuildKit's errors for ``ins`` in the order BuildKit meets them (only the first counts)."""
    kw = ins.keyword
    whole = ins.args_range or ins.keyword_range
    # Splitting arguments into words costs: only for the instructions whose checks read them (not
    # RUN, the most frequent, whose refusals are all in its flags).
    words = ins.words if kw in _READS_WORDS else []
    if kw in ("ADD", "COPY") and len(words) < 2:
        yield (f"{kw} requires at least two arguments, but only one was provided. Destination could "
               "not be determined", whole)
    if kw == "FROM":
        yield from _from_errors(ins, whole)
    if kw in _EXACTLY_ONE and len(words) != 1:
        yield f"{kw} requires exactly one argument", whole
    if kw == "HEALTHCHECK" and words and words[0].value.upper() == "NONE":
        if len(words) > 1:
            yield "HEALTHCHECK NONE takes no arguments", whole
        return
    if kw not in _FLAGS_IGNORED:
        yield from _flag_errors(kw, ins.flags)
    if kw in ("ADD", "COPY") and len(words) >= 2 and _HEREDOC.fullmatch(words[-1].value):
        yield f"{kw} cannot accept a heredoc as a destination", words[-1].range
    if kw in ("ENV", "LABEL", "ARG"):
        yield from _blank_names(kw, ins)
    if kw == "VOLUME" and any(not w.value.strip() for w in words):
        yield "VOLUME specified can not be an empty string", whole
    if kw == "SHELL":
        if ins.is_json and not ins.json:
            yield "SHELL requires at least one argument", whole
        elif not ins.is_json:
            yield "SHELL requires the arguments to be in JSON form", whole
    if kw == "HEALTHCHECK":
        yield from _healthcheck_errors(ins, whole)
    if kw == "STOPSIGNAL" and len(words) == 1 and "$" not in words[0].value:
        if not _is_signal(words[0].value):
            yield f"Invalid signal: {words[0].value}", words[0].range
    if kw == "EXPOSE":
        for w in words:
            if "$" not in w.value:
                error = _port_error(w.value)
                if error:
                    yield error, w.range
                    return


def _from_errors(ins: Instruction, whole: Range) -> Iterator[tuple[str, Range]]:
    words = ins.words
    if len(words) == 3 and words[1].value.lower() == "as":
        if not _STAGE_NAME.fullmatch(words[2].value.lower()):
            yield (f'invalid name for build stage: "{words[2].value}", name can\'t start with a number '
                   "or contain symbols", words[2].range)
    elif len(words) != 1:
        yield "FROM requires either one or three arguments", whole


def _flag_errors(kw: str, flags: list[Flag]) -> Iterator[tuple[str, Range]]:
    """``bflag.go``'s ``Parse``: unknown, repeated, valueless and non-boolean flags."""
    known = _FLAGS.get(kw, {})
    used: set[str] = set()
    for flag in flags:
        name = flag.name
        kind = known.get(name)
        if kind is None:
            yield f"Unknown flag: {name}", flag.name_range
            return
        if name in used and kind != "strings":
            yield f"Duplicate flag specified: {name}", flag.range
            return
        used.add(name)
        if kind == "bool":
            if flag.value is not None and flag.value == "":
                yield f"Missing a value on flag: {name}", flag.range
                return
            if flag.value is not None and flag.value.lower() not in ("true", "false"):
                yield f"Expecting boolean value for flag {name}, not: {flag.value}", flag.value_range or flag.range
                return
        elif flag.value is None:
            yield f"Missing a value on flag: {name}", flag.range
            return


def _blank_names(kw: str, ins: Instruction) -> Iterator[tuple[str, Range]]:
    for pair in ins.pairs:
        if not pair.key:
            yield f"{kw} names can not be blank", pair.range
            return
    if kw == "ARG" and not ins.pairs:
        for w in ins.words:
            if w.value.startswith("="):
                yield "ARG names can not be blank", w.range
                return


def _healthcheck_errors(ins: Instruction, whole: Range) -> Iterator[tuple[str, Range]]:
    words = ins.words
    if not words:
        return
    typ = words[0].value.upper()
    if typ != "CMD":
        yield f'Unknown type "{typ}" in HEALTHCHECK (try CMD)', words[0].range
        return
    if len(words) < 2 and not ins.heredocs:
        yield "Missing command after HEALTHCHECK CMD", whole
        return
    for name in ("interval", "timeout", "start-period", "start-interval"):
        flag = _last(ins.flags, name)
        if flag is None or not flag.value:
            continue
        seconds = parse_duration(flag.value)
        rng = flag.value_range or flag.range
        if seconds is None:
            yield f'time: invalid duration "{flag.value}"', rng
            return
        if seconds != 0 and seconds < 1e-3:
            yield f'Interval "{name}" cannot be less than 1ms', rng
            return
    retries = _last(ins.flags, "retries")
    if retries is not None and retries.value:
        rng = retries.value_range or retries.range
        if not re.fullmatch(r"[+-]?[0-9]{1,19}", retries.value) or not -2**31 <= int(retries.value) < 2**31:
            yield f'strconv.ParseInt: parsing "{retries.value}": invalid syntax', rng
        elif int(retries.value) < 0:
            yield f"--retries cannot be negative ({int(retries.value)})", rng


def _last(flags: list[Flag], name: str) -> Flag | None:
    found = None
    for flag in flags:
        if flag.name == name:
            found = flag
    return found


def parse_duration(text: str) -> float | None:
    """Go's ``time.ParseDuration`` in seconds (``1m30s``, ``-1.5h``, ``0``), or None."""
    sign = -1.0 if text.startswith("-") else 1.0
    rest = text[1:] if text[:1] in "+-" else text
    if rest == "0":
        return 0.0
    if not rest:
        return None
    total, pos = 0.0, 0
    while pos < len(rest):
        m = _DURATION_PART.match(rest, pos)
        if m is None or m.group(1) in ("", "."):
            return None
        total += float(m.group(1)) * _UNIT_SECONDS[m.group(2)]
        pos = m.end()
    return sign * total


def _is_signal(value: str) -> bool:
    """moby/sys/signal's ``ParseSignal``: a number other than 0, or a known name (``SIG`` optional)."""
    if re.fullmatch(r"[+-]?[0-9]+", value):  # Go's Atoi: a number out of int64 range is no signal
        return len(value.lstrip("+-").lstrip("0")) <= 18 and int(value) != 0
    name = value.upper()
    return (name[3:] if name.startswith("SIG") else name) in _SIGNALS


def _port_error(spec: str) -> str | None:
    """docker/go-connections' ``ParsePortSpec`` error for one ``EXPOSE`` word, or None."""
    port, _, proto = spec.rpartition("/") if "/" in spec else (spec, "", "tcp")
    if proto.lower() not in _PROTOCOLS:
        return f"invalid proto: {proto}"
    parts = port.split(":")
    container = parts[-1]
    host = parts[-2] if len(parts) >= 2 else ""
    ip = ":".join(parts[:-2]).strip("[]") if len(parts) >= 3 else ""
    if ip and not _is_ip(ip):
        return f"invalid IP address: {ip}"
    if not container:
        return f"no port specified: {spec}<empty>"
    if not _is_port_range(container):
        return f"invalid containerPort: {container}"
    if host and not _is_port_range(host):
        return f"invalid hostPort: {host}"
    return None


def _is_port_range(text: str) -> bool:
    low, dash, high = text.partition("-")
    numbers = [low, high] if dash else [low]
    values = [small_number(n) for n in numbers]
    if not all(v is not None and v <= 65535 for v in values):
        return False
    return not dash or values[1] >= values[0]  # type: ignore[operator]  # both checked above


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
