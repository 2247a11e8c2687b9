"""Completion for a Dockerfile position: what fits is read from the text before the cursor on its
line, and the model supplies the names (stages, variables) and the instruction being continued.
"""

from __future__ import annotations

import re

from dockerls.parse.dockerfile.model import Dockerfile, Instruction
from dockerls.parse.dockerfile.scope import variables_at
from dockerls.parse.dockerfile.variables import PREDEFINED_ARGS
from dockerls.services import dockerfile_docs as docs
from dockerls.services import pragmas
from dockerls.services.results import Completion

_ONBUILD_FORBIDDEN = frozenset({"ONBUILD", "FROM", "MAINTAINER"})
_DIRECTIVE_PREFIX = re.compile(r"\s*#\s*([a-zA-Z]*)$")
_PRAGMA_START = re.compile(r"\s*#\s*([a-zA-Z]*)$")
_CHECK_SKIP = re.compile(r"\s*#\s*check\s*=.*skip\s*=\s*(?:[A-Za-z0-9]*,)*([A-Za-z0-9]*)$", re.IGNORECASE)


def complete(df: Dockerfile, offset: int, snippets: bool = True) -> list[Completion]:
    pos = df.lines.position(offset)
    line_start = df.lines.line_starts[pos.line]
    prefix = df.text[line_start:offset]
    ins = df.instruction_at_line(pos.line)
    if prefix.lstrip().startswith("#"):
        return _comment(df, pos.line, prefix, offset)
    if ins is not None and any(h.body_range.start_offset <= offset <= h.body_range.end_offset for h in ins.heredocs):
        return _variables(df, ins, prefix, offset)
    continued = ins is not None and ins.range.start.line < pos.line
    word = prefix.lstrip(" \t")
    if not continued and not re.search(r"\s", word):
        return _keywords(df, offset - len(word), offset, snippets, first=_before_first_instruction(df, pos.line))
    if ins is None:
        # a line the model has not attached to an instruction (e.g. only whitespace typed so far)
        return []
    return _arguments(df, ins, prefix, offset, snippets, continued)


def _before_first_instruction(df: Dockerfile, line: int) -> bool:
    return not df.instructions or df.instructions[0].range.start.line >= line


def _keywords(df: Dockerfile, start: int, end: int, snippets: bool, first: bool = False,
              exclude: frozenset[str] = frozenset()) -> list[Completion]:
    out = []
    for keyword, doc in docs.INSTRUCTIONS.items():
        if keyword in exclude:
            continue
        rank = "0" if first and keyword in ("FROM", "ARG") else ("2" if keyword == "MAINTAINER" else "1")
        if snippets:
            out.append(Completion(keyword, "keyword", doc.summary, docs.instruction_markdown(keyword),
                                  f"{keyword} {doc.snippet}", True, (start, end), rank + keyword))
        else:
            out.append(Completion(keyword, "keyword", doc.summary, docs.instruction_markdown(keyword),
                                  f"{keyword} ", False, (start, end), rank + keyword))
    return out


def _comment(df: Dockerfile, line: int, prefix: str, offset: int) -> list[Completion]:
    out: list[Completion] = []
    in_directive_zone = line <= len(df.directives)  # directives are the unbroken run of first lines
    m = _DIRECTIVE_PREFIX.match(prefix)
    if m and in_directive_zone:
        start = offset - len(m.group(1))
        for name, d in docs.DIRECTIVES.items():
            out.append(Completion(f"{name}=", "directive", d.summary, docs.directive_markdown(name), f"{name}=",
                                  False, (start, offset), "0" + name))
    m = _PRAGMA_START.match(prefix)
    if m:
        start = offset - len(m.group(1))
        for text, detail in (("dockerls ignore=", "ignore rules for the next instruction"),
                             ("dockerls global ignore=", "ignore rules for the whole file")):
            out.append(Completion(text, "snippet", detail, None, text, False, (start, offset), "1" + text))
        return out
    pragma = pragmas.parse_pragma(prefix)
    if pragma is not None:
        typed = prefix[max(prefix.rfind(","), prefix.rfind("="), prefix.rfind(" ")) + 1:]
        return _rule_codes(offset - len(typed), offset, {c.lower() for c, _, _ in pragma.codes} - {typed.lower()})
    m = _CHECK_SKIP.match(prefix)
    if m and line < len(df.directives) + 1:
        typed = m.group(1)
        return _rule_codes(offset - len(typed), offset, set(), buildkit=True)
    return out


def _rule_codes(start: int, end: int, taken: set[str], buildkit: bool = False) -> list[Completion]:
    from dockerls.rules.registry import all_rules

    out = []
    for rule in all_rules():
        label = rule.buildkit_check if buildkit else rule.code
        if not label or label.lower() in taken:
            continue
        out.append(Completion(label, "rule", f"{rule.name} ({rule.severity})", None, label, False, (start, end)))
    return out


def _arguments(df: Dockerfile, ins: Instruction, prefix: str, offset: int, snippets: bool,
               continued: bool) -> list[Completion]:
    target = ins
    if ins.inner is not None and offset >= ins.inner.keyword_range.start_offset:
        target = ins.inner
    elif ins.keyword == "ONBUILD":
        words = prefix.split()
        if len(words) == 1 or (len(words) == 2 and not prefix[-1:].isspace()):
            typed = "" if prefix[-1:].isspace() else words[-1]
            return _keywords(df, offset - len(typed), offset, snippets, exclude=_ONBUILD_FORBIDDEN)
    token = re.split(r"[ \t]", prefix)[-1]
    if "$" in token:
        return _variables(df, target, prefix, offset)
    if token.startswith("--"):
        return _flags(df, target, token, offset)
    words_before = prefix.split()
    if not continued and prefix[-1:] not in (" ", "\t"):
        words_before = words_before[:-1]
    args_before = [w for w in words_before[1:] if not w.startswith("--")]
    if target is not ins:
        args_before = args_before[1:]
    start = offset - len(token)
    if target.keyword == "FROM" and not continued:
        if not args_before:
            flags = [] if any(w.startswith("--") for w in words_before) else _flags(df, target, token, offset)
            return _stages(df, target, start, offset, also_scratch=True) + flags
        if len(args_before) == 1:
            return [Completion("AS", "keyword", "name this stage", None, "AS ", False, (start, offset))]
    if target.keyword == "HEALTHCHECK" and not args_before:
        return [Completion("CMD", "keyword", "the check's command", None, "CMD ", False, (start, offset)),
                Completion("NONE", "keyword", "turn off the base image's check", None, "NONE", False,
                           (start, offset))]
    return []


def _flags(df: Dockerfile, ins: Instruction, token: str, offset: int) -> list[Completion]:
    doc = docs.INSTRUCTIONS.get(ins.keyword)
    if doc is None:
        return []
    eq = token.find("=")
    if eq == -1:
        start = offset - len(token)
        return [Completion(f"--{f.name}", "flag", f.summary.split(".")[0], docs.flag_markdown(ins.keyword, f.name),
                           f"--{f.name}=" if f.takes_value else f"--{f.name}", False, (start, offset))
                for f in doc.flags]
    name = token[2:eq].lower()
    value = token[eq + 1:]
    if name == "from":
        return _stages(df, ins, offset - len(value), offset)
    if name == "mount":
        return _mount(df, ins, value, offset)
    flag = doc.flag(name)
    if flag is None:
        return []
    return [Completion(v, "value", f"--{flag.name}", None, v, False, (offset - len(value), offset))
            for v in flag.values]


def _mount(df: Dockerfile, ins: Instruction, value: str, offset: int) -> list[Completion]:
    options = value.split(",")
    current = options[-1]
    typ = next((o.partition("=")[2] for o in options[:-1] if o.startswith("type=")), "bind")
    key, eq, typed = current.partition("=")
    if not eq:
        keys = ["type"] + [k for k in docs.MOUNT_TYPES.get(typ, ()) if not any(o.startswith(k + "=") for o in options)]
        return [Completion(f"{k}=", "value", f"mount option ({typ})", None, f"{k}=", False,
                           (offset - len(current), offset)) for k in keys]
    if key == "type":
        return [Completion(t, "value", "mount type", None, t, False, (offset - len(typed), offset))
                for t in docs.MOUNT_TYPES]
    if key == "from":
        return _stages(df, ins, offset - len(typed), offset)
    if key == "sharing":
        return [Completion(v, "value", "cache sharing", None, v, False, (offset - len(typed), offset))
                for v in ("shared", "private", "locked")]
    return []


def _stages(df: Dockerfile, ins: Instruction, start: int, end: int, also_scratch: bool = False) -> list[Completion]:
    current = ins.stage_index if ins.stage_index >= 0 else len(df.stages)
    if ins.keyword == "FROM":
        current = ins.stage_index
    out = [Completion(s.name, "stage", f"build stage {s.index} (line {s.from_instruction.line + 1})",
                      f"```Dockerfile\n{df.lines.line_text(s.from_instruction.line).strip()}\n```", s.name, False,
                      (start, end), "0" + s.name)
           for s in df.stages[:max(current, 0)] if s.name]
    if also_scratch:
        out.append(Completion("scratch", "value", "an empty image", None, "scratch", False, (start, end), "1scratch"))
    return out


def _variables(df: Dockerfile, ins: Instruction, prefix: str, offset: int) -> list[Completion]:
    dollar = prefix.rfind("$")
    if dollar == -1:
        return []
    braced = prefix.startswith("${", dollar)
    typed = prefix[dollar + (2 if braced else 1):]
    if not re.fullmatch(r"[A-Za-z0-9_]*", typed):
        return []
    after = df.text[offset : offset + 1]
    close = "}" if braced and after != "}" else ""
    scope = variables_at(df, ins)
    out = []
    for name, var in scope.items():
        detail = f"{var.kind.replace('-', ' ').upper()} = {var.value}" if var.value is not None else var.kind.upper()
        out.append(Completion(name, "variable", detail, None, name + close, False, (offset - len(typed), offset),
                              "0" + name))
    for name in sorted(PREDEFINED_ARGS - scope.keys()):
        out.append(Completion(name, "variable", "predefined build argument", None, name + close, False,
                              (offset - len(typed), offset), "1" + name))
    return out
