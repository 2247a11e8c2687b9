"""The shell inside ``RUN``: parsed once, queried by every rule (see :mod:`dockerls.shell.parser`)."""

from functools import lru_cache

from dockerls.shell.parser import (
    MAX_NESTING, Command, Script, ShellWord, parse_shell, positional_words, split_words,
)

__all__ = [
    "MAX_NESTING", "Command", "Script", "ShellWord", "parse_shell", "parse_shell_cached", "positional_words", "split_words",
]


@lru_cache(maxsize=4096)
def parse_shell_cached(text: str) -> Script:
    """:func:`parse_shell`, remembered by text: the language server lints every version of a
    document, and most RUNs are unchanged between two.  Callers must not mutate the result."""
    return parse_shell(text)
