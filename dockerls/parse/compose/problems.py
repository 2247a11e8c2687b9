"""What can be wrong with a Compose file before any rule looks at it, each with its rule code.

The rules ``dockerls/rules/compose/dc0xx_*.py`` report these, so they can be configured and
suppressed like any other rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from dockerls.text import Range

YAML_SYNTAX = "DC001"
BINARY_FILE = "DC002"
INVALID_UTF8 = "DC003"
DUPLICATE_KEY = "DC004"
TOO_LARGE = "DC005"  # too many nodes, or aliases that expand to too many
NESTING_TOO_DEEP = "DC006"
INVALID_INTERPOLATION = "DC007"
REQUIRED_VARIABLE = "DC008"
SCHEMA = "DC009"
EMPTY_FILE = "DC010"
BROKEN_REFERENCE = "DC011"  # include / extends that cannot be followed
IMPORT_CONFLICT = "DC012"  # an included resource clashes with one already defined


@dataclass(slots=True)
class Problem:
    code: str
    message: str
    range: Range
    file: str | None = None
