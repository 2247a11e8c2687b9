"""Lifecycle commands (``onCreateCommand`` ... ``postAttachCommand``, ``initializeCommand``).

A string runs through ``/bin/sh -c``; an array runs as it is (no shell); an object runs its named
commands in parallel, each a string or an array.  When each step runs (see
:data:`dockerls.develop.plan.model.CREATE_STEPS`): onCreate, updateContent and postCreate once after the
container is created, postStart after every start, postAttach on every develop (develop is the
attach); initializeCommand on the host, before anything,
and only when the caller allows host commands.  ``waitFor`` (default updateContentCommand): the
container is reported ready once that step has run; the later ones go on with progress.
"""

from __future__ import annotations

from dockerls.develop.plan.model import LIFECYCLE_STEPS, LifecycleCommand


class LifecycleError(ValueError):
    pass


def parse_lifecycle(step: str, value) -> LifecycleCommand | None:
    """The command of a step, or None when the value is empty."""
    if value is None or value == "" or value == [] or value == {}:
        return None
    if isinstance(value, dict):
        commands = {}
        for name, item in value.items():
            argv = _argv(step, item, f"{step}.{name}")
            if argv:
                commands[str(name)] = argv
        return LifecycleCommand(step, commands) if commands else None
    return LifecycleCommand(step, {"": _argv(step, value, step)})


def _argv(step: str, value, where: str) -> list[str]:
    if isinstance(value, str):
        return ["/bin/sh", "-c", value] if value.strip() else []
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise LifecycleError(f"{where} must be a string, an array of strings or an object of them")


WAIT_FOR_STEPS = ("initializeCommand", *LIFECYCLE_STEPS)  # waitFor's values, in the order they run
DEFAULT_WAIT_FOR = "updateContentCommand"


def steps_before_ready(wait_for: str, steps: list[LifecycleCommand]) -> int:
    """How many of ``steps`` (in order) run before the container is ready: those up to and with
    ``wait_for`` (the steps after it go on once develop has said it is ready)."""
    rank = WAIT_FOR_STEPS.index(wait_for) if wait_for in WAIT_FOR_STEPS else WAIT_FOR_STEPS.index(DEFAULT_WAIT_FOR)
    return sum(1 for c in steps if c.step in WAIT_FOR_STEPS and WAIT_FOR_STEPS.index(c.step) <= rank)


def describe(command: LifecycleCommand) -> str:
    """A one-line rendering for progress messages."""
    parts = []
    for name, argv in command.commands.items():
        text = argv[2] if argv[:2] == ["/bin/sh", "-c"] and len(argv) == 3 else " ".join(argv)
        parts.append(f"{name}: {text}" if name else text)
    return "; ".join(parts)
