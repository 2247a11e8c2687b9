"""Signature help: the syntax forms of the instruction being written, with the current parameter."""

from __future__ import annotations

from dockerls.parse.dockerfile.model import Dockerfile
from dockerls.services import dockerfile_docs as docs
from dockerls.services.results import Signature, SignatureHelp


def signature_help(df: Dockerfile, offset: int) -> SignatureHelp | None:
    line = df.lines.position(offset).line
    ins = df.instruction_at_line(line)
    if ins is None or offset < ins.keyword_range.end_offset:
        return None
    if ins.inner is not None and offset > ins.inner.keyword_range.end_offset:
        ins = ins.inner
    if any(h.body_range.start_offset <= offset for h in ins.heredocs):
        return None
    doc = docs.INSTRUCTIONS.get(ins.keyword)
    if doc is None:
        return None
    signatures = tuple(_signature(form, doc.summary) for form in doc.forms)
    before = df.text[ins.keyword_range.end_offset : offset]
    active_sig = 0
    if len(doc.forms) > 1 and before.lstrip().startswith("[") and "[" in " ".join(doc.forms[1]):
        active_sig = 1
    words = before.split()
    flags = sum(1 for w in words if w.startswith("--"))
    args = len(words) - flags - (0 if before[-1:].isspace() or not words else 1)
    params = signatures[active_sig].parameters
    typing_flag = bool(words) and words[-1].startswith("--") and not before[-1:].isspace()
    flag_params = [i for i, p in enumerate(doc.forms[active_sig][1:]) if p.startswith("[--")]
    if typing_flag and flag_params:
        active = flag_params[0]
    else:
        positional = [i for i, p in enumerate(doc.forms[active_sig][1:]) if not p.startswith("[--")]
        active = positional[min(args, len(positional) - 1)] if positional else 0
    return SignatureHelp(signatures, active_sig, min(active, max(len(params) - 1, 0)))


def _signature(form: tuple[str, ...], summary: str) -> Signature:
    label = " ".join(form)
    params = []
    pos = len(form[0]) + 1
    for part in form[1:]:
        params.append((pos, pos + len(part)))
        pos += len(part) + 1
    return Signature(label, tuple(params), summary)
