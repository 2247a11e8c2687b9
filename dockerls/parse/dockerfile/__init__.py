"""The Dockerfile model and its parser."""

from dockerls.parse.dockerfile.model import (  # noqa: F401
    Comment,
    Directive,
    Dockerfile,
    Flag,
    Heredoc,
    ImageRef,
    Instruction,
    KeyValue,
    Problem,
    Stage,
    Word,
)
from dockerls.parse.dockerfile.parser import INSTRUCTIONS, parse_dockerfile  # noqa: F401
