"""Codes of the problems the parser itself reports (the file cannot be read as a Dockerfile).

Each code has a rule module in ``dockerls/rules/dockerfile/`` that turns the problem into a finding,
so that problems are documented, listed, configured and suppressed like any rule.
"""

BINARY_FILE = "DF001"
INVALID_UTF8 = "DF002"
NO_INSTRUCTIONS = "DF003"
SYNTAX = "DF004"
UNKNOWN_INSTRUCTION = "DF005"
UNTERMINATED_HEREDOC = "DF006"
REFUSED = "DF008"  # read, but BuildKit refuses it (dockerls/parse/dockerfile/validate.py)
