"""Settings that lie over or under a configuration file, as hadolint layers them: its ``HADOLINT_*``
environment variables under the file, the command line over it.

hadolint 2.15 merges them so: lists (ignored rules, severity overrides, trusted registries, the
label schema) add up from every layer; a switch or value (no-fail, the failure threshold, the
format, strict labels...) comes from the command line, else the file, else the environment.  A
rule named in several severity overrides gets the most severe one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Mapping

from dockerls.config import HADOLINT_FORMATS, Config, hadolint_threshold
from dockerls.finding import Severity

_TRUE = ("1", "y", "on", "true", "yes")  # hadolint's truthy values; anything else set is false
_SCALARS = ("failure_threshold", "no_fail", "strict_labels", "disable_ignore_pragma", "output_format", "no_color")


@dataclass(frozen=True)
class Layer:
    """What a layer sets; None: nothing (the layers below decide)."""

    ignored: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)  # lower-cased code -> severity
    trusted_registries: tuple[str, ...] = ()
    label_schema: Mapping[str, str] = field(default_factory=dict)
    failure_threshold: Severity | None = None
    no_fail: bool | None = None
    strict_labels: bool | None = None
    disable_ignore_pragma: bool | None = None
    output_format: str | None = None
    no_color: bool | None = None

    @property
    def empty(self) -> bool:
        return self == Layer()


def severity_overrides(pairs) -> dict[str, Severity]:
    """``(severity name, code)`` pairs as a mapping; a code named twice gets the more severe."""
    out: dict[str, Severity] = {}
    for level, code in pairs:
        sev = Severity.parse(level)
        key = code.strip().lower()
        if key:
            out[key] = max(sev, out.get(key, sev))
    return out


def label_pairs(items) -> dict[str, str]:
    """``name:type`` items (hadolint's ``--require-label``, ``HADOLINT_REQUIRE_LABELS``)."""
    out = {}
    for item in items:
        name, _, kind = item.partition(":")
        if name.strip():
            out[name.strip()] = kind.strip() or "text"
    return out


def from_environment(environ: Mapping[str, str] | None = None) -> Layer:
    """hadolint's variables: ``HADOLINT_NOFAIL``, ``NO_COLOR``, ``HADOLINT_FORMAT``,
    ``HADOLINT_OVERRIDE_{ERROR,WARNING,INFO,STYLE}``, ``HADOLINT_IGNORE``,
    ``HADOLINT_TRUSTED_REGISTRIES``, ``HADOLINT_REQUIRE_LABELS``,
    ``HADOLINT_STRICT_LABELS``, ``HADOLINT_DISABLE_IGNORE_PRAGMA``, ``HADOLINT_FAILURE_THRESHOLD``
    (lists comma-separated; a value hadolint cannot read is left out, as hadolint leaves it)."""
    env = os.environ if environ is None else environ

    def switch(name: str) -> bool | None:
        value = env.get(name)
        return None if value is None else value.strip().lower() in _TRUE

    def items(name: str) -> list[str]:
        return [v.strip() for v in env.get(name, "").split(",") if v.strip()]

    fmt = env.get("HADOLINT_FORMAT", "").strip().lower()
    threshold = env.get("HADOLINT_FAILURE_THRESHOLD")
    pairs = [(level, code) for level in ("error", "warning", "info", "style")
             for code in items(f"HADOLINT_OVERRIDE_{level.upper()}")]
    return Layer(
        ignored=tuple(items("HADOLINT_IGNORE")),
        severity=severity_overrides(pairs),
        trusted_registries=tuple(items("HADOLINT_TRUSTED_REGISTRIES")),
        label_schema=label_pairs(items("HADOLINT_REQUIRE_LABELS")),
        failure_threshold=hadolint_threshold(threshold) if threshold else None,
        no_fail=switch("HADOLINT_NOFAIL"),
        strict_labels=switch("HADOLINT_STRICT_LABELS"),
        disable_ignore_pragma=switch("HADOLINT_DISABLE_IGNORE_PRAGMA"),
        output_format=fmt if fmt in HADOLINT_FORMATS else None,
        no_color=True if "NO_COLOR" in env else None,
    )


def apply(config: Config, below: Layer, above: Layer) -> Config:
    """``config`` (a file's, or the default) with ``below`` under it and ``above`` over it."""
    if below.empty and above.empty:
        return config
    severity = dict(config.severity)
    for layer in (below, above):
        for code, sev in layer.severity.items():
            current = severity.get(code)
            severity[code] = max(sev, current) if current is not None else sev
    changes: dict = {
        "ignored": config.ignored | {c.lower() for c in (*below.ignored, *above.ignored)},
        "severity": severity,
        "trusted_registries": tuple(dict.fromkeys((*config.trusted_registries, *below.trusted_registries,
                                                   *above.trusted_registries))),
        "label_schema": {**below.label_schema, **config.label_schema, **above.label_schema},
    }
    for name in _SCALARS:
        mine, over, under = getattr(config, name), getattr(above, name), getattr(below, name)
        if over is not None:
            changes[name] = over
        elif name not in config.explicit and under is not None:
            changes[name] = under
        else:
            changes[name] = mine
    return replace(config, **changes)
