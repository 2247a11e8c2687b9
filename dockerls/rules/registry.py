"""Finds every rule: each module under ``dockerls/rules/<kind>/`` defines one :class:`Rule`."""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from dockerls.rules.base import Rule

KINDS = ("dockerfile", "compose", "devcontainer", "run")  # "run": findings about the check itself


@lru_cache(maxsize=None)
def rules_of(kind: str) -> tuple[type[Rule], ...]:
    try:
        package = importlib.import_module(f"dockerls.rules.{kind}")
    except ModuleNotFoundError:
        return ()
    found: list[type[Rule]] = []
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, Rule) and value is not Rule
                    and value.__module__ == module.__name__ and getattr(value, "code", None)):
                found.append(value)
    return tuple(sorted(found, key=lambda r: r.code))


def all_rules() -> tuple[type[Rule], ...]:
    return tuple(r for kind in KINDS for r in rules_of(kind))


@lru_cache(maxsize=None)
def _by_name() -> dict[str, type[Rule]]:
    out: dict[str, type[Rule]] = {}
    for rule in all_rules():
        for name in rule.all_names():
            out.setdefault(name.lower(), rule)
    return out


def find_rule(name: str) -> type[Rule] | None:
    """A rule by code, kebab-case name or alias (BuildKit check name), case-insensitively."""
    return _by_name().get(name.strip().lower())
