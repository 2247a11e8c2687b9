"""The agreement corpus (hadolint_cases.yaml): loading it and dockerls' verdict on each case.

A case is one small Dockerfile and one rule; the verdict is whether the rule reports anything on
it.  ``hadolint`` is what hadolint 2.15.1 says (the yaml's ``fires``/``passes``); the test compares
dockerls with it and bench/agreement.py --cases compares both with the installed hadolint.
A case is a string, or a mapping ``{text: ..., config: {...}}`` whose ``config`` is a
``.hadolint.yaml`` (both tools read it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CORPUS = Path(__file__).with_name("hadolint_cases.yaml")


@dataclass(frozen=True)
class Case:
    rule: str
    text: str
    hadolint: bool  # hadolint reports the rule on it
    config: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.rule}:{'fires' if self.hadolint else 'passes'}:{self.text!r}"


def load(path: Path = CORPUS) -> list[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for rule, groups in data.items():
        for key, verdict in (("fires", True), ("passes", False)):
            for item in groups.get(key) or []:
                text, config = (item["text"], item.get("config") or {}) if isinstance(item, dict) else (item, {})
                out.append(Case(rule, text if text.endswith("\n") else text + "\n", verdict, config))
    return out


def dockerls_verdict(case: Case) -> bool:
    """Whether dockerls reports ``case.rule`` on the case (the rule enabled, whatever its default)."""
    from dataclasses import replace

    from dockerls.check import lint_text
    from dockerls.config import from_hadolint_mapping

    config = from_hadolint_mapping(case.config or None, "<case>")
    config = replace(config, enabled=config.enabled | {case.rule.lower()})
    findings = lint_text(case.text, "dockerfile", config, None)[2]
    return any(f.code == case.rule for f in findings)
