"""The shell inside ``RUN``: parsed once, queried by every rule (see :mod:`dockerls.shell.parser`)."""

from dockerls.shell.parser import (
    MAX_NESTING, Command, Script, ShellWord, parse_shell, positional_words, split_words,
)

__all__ = ["MAX_NESTING", "Command", "Script", "ShellWord", "parse_shell", "positional_words", "split_words"]
