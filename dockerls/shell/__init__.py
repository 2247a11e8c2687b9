"""The shell inside ``RUN``: parsed once, queried by every rule.

:mod:`~dockerls.shell.model` holds the AST, :mod:`~dockerls.shell.lexer` reads words,
:mod:`~dockerls.shell.parser` reads commands (its docstring states the semantics) and
:mod:`~dockerls.shell.remap` maps ``sh -c`` strings back to the text as written.
"""

from functools import lru_cache

from dockerls.shell.lexer import MAX_NESTING
from dockerls.shell.model import Command, Script, ShellWord, positional_words
from dockerls.shell.parser import parse_shell, split_words

__all__ = [
    "MAX_NESTING", "Command", "Script", "ShellWord", "parse_shell", "parse_shell_cached", "positional_words", "split_words",
]


@lru_cache(maxsize=4096)
def parse_shell_cached(text: str) -> Script:
    """:func:`parse_shell`, remembered by text: the language server lints every version of a
    document, and most RUNs are unchanged between two.  Callers must not mutate the result."""
    return parse_shell(text)
