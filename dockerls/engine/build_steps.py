"""Which Dockerfile instruction a builder's step is, and what a failure says about it (pure).

- The classic builder numbers every top-level instruction, global ``ARG`` s included:
  ``Step 10/11 : COPY missing.txt /`` is the tenth instruction of the file.
- BuildKit names a vertex ``[stage-1 3/4] COPY missing.txt /`` (``[builder 2/3] ...`` for a named
  stage, a platform may come first).  Its count is per stage and only FROM and the instructions
  that make a build step (RUN, COPY, ADD, WORKDIR) have a number, so the stage's such instructions
  are counted; the keyword and text are checked, and the text is the fallback when the count
  does not agree.  ``[internal] load metadata for docker.io/library/x:1`` is the FROM naming ``x:1``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dockerls.parse.dockerfile import Dockerfile, Instruction, parse_dockerfile

_BUILDKIT_NAME = re.compile(r"^\[(?:([^\]]*?)\s)?(\d+)/(\d+)\] (\S+)\s*(.*)$", re.S)
_METADATA = re.compile(r"^\[internal\] load metadata for (\S+)$")
_STEP_KEYWORDS = ("RUN", "COPY", "ADD", "WORKDIR")
_EXIT_CODE = re.compile(r"(?:non-zero code|exit code):?\s*(\d+)")
SESSION_MOUNTS = ("secret", "ssh")
LOG_TAIL = 20


@dataclass
class FailedStep:
    """Where a build failed: the Dockerfile, the 1-based line, and what the builder said."""

    dockerfile: str
    line: int  # 1-based; 0 when no instruction could be named
    instruction: str  # "RUN make" (the instruction's first line)
    reason: str  # the builder's message
    exit_code: int | None = None
    log_tail: list[str] = field(default_factory=list)

    def headline(self) -> str:
        """``Dockerfile:6: RUN make failed (exit 2)`` — the CLI's line."""
        name = self.dockerfile.rsplit("/", 1)[-1]
        where = f"{name}:{self.line}: " if self.line else f"{name}: "
        what = _short(self.instruction) if self.instruction else "the build"
        code = f" (exit {self.exit_code})" if self.exit_code is not None else ""
        return f"{where}{what} failed{code}: {self.reason}"

    def to_json(self) -> dict:
        return {"file": self.dockerfile, "line": self.line, "instruction": self.instruction,
                "reason": self.reason, "exitCode": self.exit_code, "logTail": self.log_tail}


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def exit_code(message: str) -> int | None:
    match = _EXIT_CODE.search(message)
    return int(match.group(1)) if match else None


def read_dockerfile(path: str) -> Dockerfile | None:
    try:
        with open(path, "rb") as fh:
            return parse_dockerfile(fh.read(), path)
    except OSError:
        return None


def instruction_text(df: Dockerfile, ins: Instruction) -> str:
    first = df.text[ins.range.start_offset:ins.range.end_offset].split("\n", 1)[0]
    return first.rstrip("\\ \t").strip()


def classic_step(df: Dockerfile, number: int) -> Instruction | None:
    """The instruction of ``Step number/total``."""
    return df.instructions[number - 1] if 0 < number <= len(df.instructions) else None


def _stage(df: Dockerfile, name: str):
    if name.startswith("stage-") and name[6:].isdigit():
        index = int(name[6:])
        return df.stages[index] if index < len(df.stages) else None
    for stage in df.stages:
        if stage.name and stage.name.lower() == name.lower():
            return stage
    return None


def _same_text(ins: Instruction, keyword: str, rest: str) -> bool:
    """BuildKit names a step by its keyword, flags and arguments (ARG values expanded in some)."""
    if ins.keyword != keyword.upper():
        return False
    args = " ".join(ins.args_text.split())
    return not args or args[:20] in " ".join(rest.split()) or "$" in args


def buildkit_step(df: Dockerfile, vertex_name: str) -> Instruction | None:
    """The instruction a BuildKit vertex stands for, or None (``[internal] ...`` and the like)."""
    match = _BUILDKIT_NAME.match(vertex_name)
    if match is None:
        metadata = _METADATA.match(vertex_name)
        return _from_naming(df, metadata.group(1)) if metadata else None
    index, keyword, rest = int(match.group(2)), match.group(4), match.group(5)
    if match.group(1):  # "stage-1", "builder", "linux/amd64 builder"
        stage = _stage(df, match.group(1).split()[-1])
        stages = [stage] if stage is not None else []
    else:  # a one-stage build names no stage
        stages = list(reversed(df.stages))
    for stage in stages:
        numbered = [stage.from_instruction] + [i for i in stage.instructions[1:] if i.keyword in _STEP_KEYWORDS]
        if 0 < index <= len(numbered) and _same_text(numbered[index - 1], keyword, rest):
            return numbered[index - 1]
    for stage in stages:
        for ins in stage.instructions:
            if _same_text(ins, keyword, rest):
                return ins
    return None


def _from_naming(df: Dockerfile, reference: str) -> Instruction | None:
    """The FROM whose image BuildKit resolved as ``reference`` (it adds docker.io/library/)."""
    short = reference
    for prefix in ("docker.io/library/", "docker.io/"):
        if short.startswith(prefix):
            short = short[len(prefix):]
            break
    for stage in df.stages:
        image = stage.from_instruction.image
        if image is not None and image.raw in (reference, short, short.rsplit(":latest", 1)[0]):
            return stage.from_instruction
    return None


def session_mounts(df: Dockerfile) -> list[tuple[Instruction, str]]:
    """``RUN --mount=type=secret|ssh`` instructions: they need a BuildKit session (the client
    serves the secret or the agent), which a build through the Engine API's ``POST /build`` lacks."""
    found = []
    for ins in df.instructions:
        if ins.keyword != "RUN":
            continue
        for flag in ins.flags:
            if flag.name.lower() != "mount":
                continue
            for option in flag.options:
                if option.key == "type" and (option.value or "").lower() in SESSION_MOUNTS:
                    found.append((ins, (option.value or "").lower()))
    return found


def syntax_line(df: Dockerfile) -> tuple[int, str] | None:
    """The ``# syntax=`` directive's 1-based line and image, when there is one."""
    directive = df.directive("syntax")
    return (directive.range.start.line + 1, directive.value) if directive else None


def from_images(df: Dockerfile) -> list[tuple[Instruction, str]]:
    """The images the stages start from that must come from a registry or the image store:
    not ``scratch``, not an earlier stage, not a reference with variables (the builder expands
    those)."""
    names: set[str] = set()
    out = []
    for stage in df.stages:
        ins = stage.from_instruction
        image = ins.image
        if image is not None and not image.has_variables and image.raw.lower() != "scratch" \
                and image.raw.lower() not in names:
            out.append((ins, image.raw))
        if stage.name:
            names.add(stage.name.lower())
    return out


_INVALID_REFERENCE = re.compile(r"[A-Z]|[^A-Za-z0-9._/:@${}-]")


def failing_instruction(df: Dockerfile, message: str) -> Instruction | None:
    """When no step is named, what the builder's message points at: the frontend image of
    ``# syntax=`` (line 1, returned as None here: see :func:`syntax_line`), a ``--mount`` the
    classic builder cannot do, a FROM whose image is named or is not a valid reference."""
    lowered = message.lower()
    if "--mount option requires buildkit" in lowered:
        for ins in df.instructions:
            if ins.keyword == "RUN" and ins.flag("mount") is not None:
                return ins
    froms = [stage.from_instruction for stage in df.stages]
    for ins in froms:
        if ins.image is not None and ins.image.raw and ins.image.raw in message:
            return ins
    if "reference format" in lowered or "repository name" in lowered:
        for ins in froms:
            name = ins.image.raw.split("@")[0] if ins.image is not None else ""
            if ins.image is not None and not ins.image.has_variables and _INVALID_REFERENCE.search(name):
                return ins
    return None


def frontend_failed(df: Dockerfile, message: str) -> bool:
    """The ``# syntax=`` frontend image could not be had (BuildKit: "failed to solve with frontend
    gateway.v0", "resolve image config for docker.io/docker/dockerfile:1")."""
    found = syntax_line(df)
    if found is None:
        return False
    image = found[1].split("@")[0]
    return "gateway.v0" in message or (bool(image) and image in message)


def locate(df: Dockerfile | None, dockerfile: str, message: str, ins: Instruction | None = None,
           log: list[str] | None = None) -> FailedStep:
    """The FailedStep for a build that ended with ``message`` (``ins``: the step that was running)."""
    tail = (log or [])[-LOG_TAIL:]
    code = exit_code(message)
    if df is None:
        return FailedStep(dockerfile, 0, "", message, code, tail)
    if frontend_failed(df, message):
        line, image = syntax_line(df) or (1, "")
        reason = (f"cannot get the Dockerfile frontend {image} that `# syntax=` asks for "
                  f"(no registry reachable?): {message}")
        return FailedStep(dockerfile, line, f"# syntax={image}", reason, None, tail)
    if ins is None:
        ins = failing_instruction(df, message)
    if ins is None:
        return FailedStep(dockerfile, 0, "", message, code, tail)
    return FailedStep(dockerfile, ins.line + 1, instruction_text(df, ins), message, code, tail)
