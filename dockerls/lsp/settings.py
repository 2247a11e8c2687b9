"""The ``dockerls`` settings section an editor sends (``workspace/configuration``), and how it
combines with the configuration files.

    {
      "ignore": ["DL3008"],                    # codes, names or BuildKit check names
      "enable": ["DL3057"],                    # rules that are off by default
      "severity": {"DL3007": "error", "DL3059": "off"},
      "features": {"diagnostics": true, "hover": true, "completion": true, "formatting": true,
                   "semanticTokens": true, "documentLinks": true, "codeActions": true},
      "debounceMs": 0                          # wait this long after a change before linting
    }

Settings win over a configuration file: their ignores add to its ignores and their severities
override its severities.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from dockerls.config import Config, ConfigError, from_dockerls_mapping

SECTION = "dockerls"
SOURCE = "settings 'dockerls'"
FEATURES = ("diagnostics", "hover", "completion", "signatureHelp", "formatting", "semanticTokens",
            "documentLinks", "codeActions", "symbols", "navigation")
_RULE_KEYS = ("ignore", "enable", "severity")
DEFAULT_DEBOUNCE_MS = 0


@dataclass(frozen=True)
class Settings:
    rules: Config | None = None  # the rule keys of the settings, as a Config
    features: dict[str, bool] = field(default_factory=dict)
    debounce_ms: float = DEFAULT_DEBOUNCE_MS
    generation: int = 0  # bumped on every change: part of the findings cache key

    def enabled(self, feature: str) -> bool:
        return self.features.get(feature, True)

    def apply(self, config: Config) -> Config:
        """``config`` (from files) with these settings laid over it."""
        if self.rules is None:
            return config
        severity = {**config.severity, **self.rules.severity}
        return replace(config, ignored=config.ignored | self.rules.ignored,
                       enabled=config.enabled | self.rules.enabled, severity=severity)


def parse_settings(data: Any, generation: int) -> Settings:
    """Settings from the client's JSON; raises ConfigError naming the key that is wrong."""
    if data is None:
        return Settings(generation=generation)
    if not isinstance(data, dict):
        raise ConfigError(SOURCE, None, f"expected an object, got {data!r}")
    rules = {k: data[k] for k in _RULE_KEYS if k in data and data[k] is not None}
    config = from_dockerls_mapping(rules, SOURCE) if rules else None
    features = data.get("features") or {}
    if not isinstance(features, dict) or not all(isinstance(v, bool) for v in features.values()):
        raise ConfigError(SOURCE, "features", f"expected an object of true/false, got {features!r}")
    unknown = sorted(set(features) - set(FEATURES))
    if unknown:
        raise ConfigError(SOURCE, f"features.{unknown[0]}", f"unknown feature (known: {', '.join(FEATURES)})")
    debounce = data.get("debounceMs", DEFAULT_DEBOUNCE_MS)
    if not isinstance(debounce, (int, float)) or isinstance(debounce, bool) or not 0 <= debounce <= 10_000:
        raise ConfigError(SOURCE, "debounceMs", f"expected milliseconds between 0 and 10000, got {debounce!r}")
    return Settings(config, dict(features), float(debounce), generation)
