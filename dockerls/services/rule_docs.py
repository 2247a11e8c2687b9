"""Where a rule's documentation lives, and its text for hovers."""

from __future__ import annotations

RULE_DOCS_URL = "https://dockerls.dev/rules/{code}"


def rule_docs_url(code: str) -> str:
    return RULE_DOCS_URL.format(code=code)


def rule_markdown(name: str) -> str | None:
    """A rule's documentation (found by code, name or BuildKit check name) as Markdown."""
    from dockerls.rules.registry import find_rule  # the registry imports every rule: only when asked

    rule = find_rule(name)
    if rule is None:
        return None
    buildkit = f", BuildKit check `{rule.buildkit_check}`" if rule.buildkit_check else ""
    header = f"**{rule.code}** `{rule.name}` ({rule.severity}{buildkit})"
    return f"{header}\n\n{rule.doc()}\n\n[{rule.code} documentation]({rule_docs_url(rule.code)})"
