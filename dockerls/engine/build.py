"""Building an image: BuildKit when the engine has it, the classic builder otherwise.

Before the build, from the Dockerfile itself:
- ``RUN --mount=type=secret|ssh`` needs a BuildKit session that a build through ``POST /build``
  does not have (the engine answers "no active sessions"): that is a failure at the instruction,
  said plainly, before anything runs;
- a ``FROM`` image that is not in the image store is pulled first, with byte progress, so that a
  registry that cannot be reached is a failure at that FROM line (:mod:`.images`).

The build itself is :mod:`.build_buildkit` (``version=2``, progress from BuildKit's trace) or
:mod:`.build_classic` (``Step N/M`` lines).  ``DOCKER_BUILDKIT=0`` asks for the classic builder,
as it does for ``docker build``; an engine that refuses a BuildKit build gets the classic one.
Either way a failure is a :class:`~dockerls.engine.errors.BuildFailed` whose ``step`` names the
Dockerfile line (:mod:`.build_steps`).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field

from dockerls.develop.plan.model import BuildSpec
from dockerls.develop.progress import NullProgress, Phase
from dockerls.engine.build_steps import FailedStep, from_images, instruction_text, read_dockerfile, session_mounts
from dockerls.engine.errors import BuildFailed
from dockerls.engine.streams import check_cancel

BUILDKIT_MIN_API = (1, 39)  # the engine API that builds with version=2 (Docker 18.09)


@dataclass
class BuildOutcome:
    image_id: str
    builder: str = "classic"  # or "buildkit"
    steps: int = 0
    cached_steps: int = 0
    log: list[str] = field(default_factory=list)
    step_containers: list[str] = field(default_factory=list)  # classic: "---> Running in <id>"


class BuildKitRefused(Exception):
    """The engine does not build with BuildKit (an old or Windows engine): use the classic builder."""


def dockerfile_argument(spec: BuildSpec) -> str:
    """docker-py wants the Dockerfile relative to the context, or an absolute path outside it
    (which it then sends along with the context)."""
    relative = os.path.relpath(spec.dockerfile, spec.context)
    return spec.dockerfile if relative.startswith("..") else relative


def complete_image_id(api, spec: BuildSpec, outcome: BuildOutcome) -> None:
    """The built image's full id on ``outcome`` (a build stream may print only the short one)."""
    if outcome.image_id.startswith("sha256:"):
        return
    from docker.errors import DockerException

    try:
        outcome.image_id = api.inspect_image(spec.tag)["Id"]
    except DockerException as err:
        raise BuildFailed(f"the build of {spec.tag} ended without an image: {err}", outcome.log) from None


def wants_buildkit(api) -> bool:
    """BuildKit unless ``DOCKER_BUILDKIT=0`` or the engine's API is older than BuildKit."""
    if os.environ.get("DOCKER_BUILDKIT", "").strip().lower() in ("0", "false", "no"):
        return False
    try:
        major, minor = (int(part) for part in str(api.api_version).split(".")[:2])
    except (AttributeError, ValueError):
        return True
    return (major, minor) >= BUILDKIT_MIN_API


def build_image(client, spec: BuildSpec, phase: Phase | None = None, cancel: threading.Event | None = None,
                no_cache: bool = False, builder: str | None = None) -> BuildOutcome:
    """Build ``spec``; ``builder`` ("buildkit" or "classic") overrides the choice."""
    phase = phase or Phase(NullProgress(), 0, 100)
    df = read_dockerfile(spec.dockerfile)
    if df is not None:
        _refuse_session_mounts(spec, df)
        _pull_missing_bases(client, spec, df, phase, cancel)
    use_buildkit = wants_buildkit(client.api) if builder is None else builder == "buildkit"
    if use_buildkit:
        from dockerls.engine.build_buildkit import build_with_buildkit

        try:
            return build_with_buildkit(client, spec, df, phase, cancel, no_cache)
        except BuildKitRefused as err:
            phase.progress.on_log(f"BuildKit is not available ({err}): using the classic builder")
    from dockerls.engine.build_classic import build_classic

    return build_classic(client, spec, df, phase, cancel, no_cache)


def _refuse_session_mounts(spec: BuildSpec, df) -> None:
    found = session_mounts(df)
    if not found:
        return
    ins, kind = found[0]
    what = "a build secret" if kind == "secret" else "the SSH agent"
    reason = (f"RUN --mount=type={kind} needs {what} served by a BuildKit session, which a build through "
              f"the Docker Engine API does not have; build this Dockerfile with `docker buildx build "
              f"--{kind} ...`, or drop the mount")
    step = FailedStep(spec.dockerfile, ins.line + 1, instruction_text(df, ins), reason)
    raise BuildFailed(step.headline(), step=step)


def _pull_missing_bases(client, spec: BuildSpec, df, phase: Phase, cancel: threading.Event | None) -> None:
    from dockerls.engine.errors import Cancelled, EngineError
    from dockerls.engine.images import local_image_id, pull

    for ins, reference in from_images(df):
        check_cancel(cancel)
        try:
            if local_image_id(client, reference) is not None:
                continue
            pull(client, reference, Phase(phase.progress, phase.start, phase.start), cancel)
        except (BuildFailed, Cancelled):
            raise
        except EngineError as err:
            step = FailedStep(spec.dockerfile, ins.line + 1, instruction_text(df, ins), str(err))
            raise BuildFailed(step.headline(), step=step) from None
