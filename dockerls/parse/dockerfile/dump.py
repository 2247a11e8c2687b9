"""BuildKit's AST dump format, so the parser can be compared with BuildKit's own fixtures.

Each instruction becomes ``(keyword ["--flag" ...] "arg" ...)`` with Go-quoted strings, exactly as
``parser.Node.Dump()`` prints it.  Used by the conformance tests and ``dockerls parse --dump``.
"""

from __future__ import annotations

from dockerls.parse.dockerfile.model import Dockerfile, Instruction

_GO_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v",
               "\\": "\\\\", '"': '\\"'}


def go_quote(s: str) -> str:
    """Go's ``strconv.Quote``: printable characters kept, the rest escaped."""
    out = ['"']
    for ch in s:
        if ch in _GO_ESCAPES:
            out.append(_GO_ESCAPES[ch])
        elif ch.isprintable() or ch == " ":
            out.append(ch)
        elif ord(ch) < 0x100:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    out.append('"')
    return "".join(out)


def _args(ins: Instruction) -> list[str]:
    kw = ins.keyword
    if kw in ("ENV", "LABEL"):
        out = []
        for p in ins.pairs:
            out += [p.key if not p.legacy else p.key, p.raw_value or "", "" if p.legacy else "="]
        return out
    if kw == "ARG":
        return [w.raw for w in ins.words]
    if kw == "HEALTHCHECK":
        if not ins.words:
            return []
        head = ins.words[0].raw.upper()
        if ins.json is not None:
            return [head, *ins.json]
        rest = ins.args_text[len(ins.words[0].raw):].strip()
        return [head, rest] if rest else [head]
    if ins.json is not None:
        return list(ins.json)
    if kw in ("RUN", "CMD", "ENTRYPOINT", "SHELL", "MAINTAINER", "WORKDIR", "USER", "STOPSIGNAL"):
        return [ins.args_text] if ins.args_text else []
    return [w.raw for w in ins.words]


def dump_instruction(ins: Instruction) -> str:
    parts = [ins.keyword.lower()]
    if ins.flags:
        parts.append("[" + " ".join(go_quote(f.raw) for f in ins.flags) + "]")
    if ins.inner is not None:
        parts.append(dump_instruction(ins.inner))
    else:
        parts += [go_quote(a) for a in _args(ins)]
    return "(" + " ".join(parts) + ")"


def dump(df: Dockerfile) -> str:
    return "".join(dump_instruction(i) + "\n" for i in df.instructions)
