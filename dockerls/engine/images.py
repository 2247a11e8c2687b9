"""The image a container runs: built from its BuildSpec, found locally, or pulled."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Callable

from dockerls.develop.plan.model import ContainerSpec
from dockerls.develop.progress import BuildStep, Phase, report_step
from dockerls.engine.connect import quick_api
from dockerls.engine.errors import EngineError, api_errors, explanation_of, status_of
from dockerls.engine.streams import CancelWatcher, capture_responses


@dataclass(frozen=True, slots=True)
class ImageConfig:
    """What develop reads of an image besides its id."""

    id: str
    user: str  # Config.User ("" when the image sets none)
    labels: dict[str, str] = field(default_factory=dict)


# Image id -> its config, from the inspections already made.  Sound to keep across runs: an image
# id is the digest of the image's configuration, so what it names never changes.
_CONFIGS: dict[str, ImageConfig] = {}
_CONFIGS_KEPT = 64


def _remember(attrs: dict) -> ImageConfig:
    config = attrs.get("Config") or {}
    image = ImageConfig(attrs["Id"], config.get("User") or "", dict(config.get("Labels") or {}))
    _CONFIGS[image.id] = image
    while len(_CONFIGS) > _CONFIGS_KEPT:
        del _CONFIGS[next(iter(_CONFIGS))]
    return image


def local_image(client, reference: str) -> ImageConfig | None:
    """The local image ``reference`` names (one inspection), or None."""
    try:
        return _remember(quick_api(client).inspect_image(reference))
    except api_errors() as err:
        if status_of(err) == 404:
            return None
        raise EngineError(f"cannot inspect the image {reference}: {explanation_of(err)}") from None


def local_image_id(client, reference: str) -> str | None:
    image = local_image(client, reference)
    return image.id if image else None


def image_config(client, image_id: str) -> ImageConfig:
    """The config of a local image by id: no round trip when it was inspected already."""
    known = _CONFIGS.get(image_id)
    if known is not None:
        return known
    try:
        return _remember(quick_api(client).inspect_image(image_id))
    except api_errors() as err:
        raise EngineError(f"cannot inspect the image {image_id}: {explanation_of(err)}") from None


def ensure_image(client, spec: ContainerSpec, phase: Phase, cancel: threading.Event | None = None,
                 no_cache: bool = False, on_base: Callable[[ImageConfig], None] | None = None) -> str:
    """The id of the image ``spec`` runs, building or pulling it when needed (and, with features,
    the extended image built on it).  ``on_base`` is given the image the container is made from
    before the features are installed on it (the image, the built Dockerfile, or the features'
    base), whose ``devcontainer.metadata`` label is merged into the plan."""
    if spec.features is None:
        image_id = _base_image(client, spec, phase, cancel, no_cache)
        if on_base is not None:
            on_base(image_config(client, image_id))
        return image_id
    from dockerls.engine.features import build_features_image

    middle = (phase.start + phase.end) // 2  # the base image, then the features on it
    base = image_config(client, _base_image(client, spec, Phase(phase.progress, phase.start, middle), cancel,
                                            no_cache))
    if on_base is not None:
        on_base(base)  # before the build: the extended image's label carries the base's entries
    return build_features_image(client, spec, spec.features.base, Phase(phase.progress, middle, phase.end), cancel,
                                no_cache, image_user=base.user or "root")


def _base_image(client, spec: ContainerSpec, phase: Phase, cancel: threading.Event | None, no_cache: bool) -> str:
    if spec.build is not None:
        from dockerls.engine.build import build_image

        return build_image(client, spec.build, phase, cancel, no_cache=no_cache).image_id
    reference = spec.features.base if spec.features else spec.image
    image_id = local_image_id(client, reference)
    if image_id is not None:
        phase.step(f"Using the image {reference}", 1)
        return image_id
    pull(client, reference, phase, cancel)
    image_id = local_image_id(client, reference)
    if image_id is None:
        raise EngineError(f"the image {reference} was pulled but cannot be found")
    return image_id


def pull(client, reference: str, phase: Phase, cancel: threading.Event | None = None) -> None:
    """Pull ``reference``, reporting the bytes downloaded over all its layers as they come."""
    from docker.errors import APIError

    repository, tag = _split(reference)
    phase.step(f"Pulling {reference}", 0)
    api = client.api
    layers: dict[str, tuple[int, int]] = {}  # layer id -> (downloaded, size)
    step = BuildStep(f"pull {reference}", f"Pulling {reference}", "running")
    report_step(phase.progress, step)
    with capture_responses(api) as responses, CancelWatcher(api, responses, cancel) as watcher:
        try:
            for chunk in api.pull(repository, tag=tag, stream=True, decode=True):
                watcher.check()
                if "error" in chunk:
                    step.state = "failed"
                    report_step(phase.progress, step)
                    raise EngineError(f"cannot pull {reference}: {chunk['error']}")
                status = chunk.get("status")
                if status and "id" not in chunk:  # per-layer lines are too many for a log
                    phase.progress.on_log(status)
                elif "id" in chunk and _layer_bytes(chunk, layers):
                    step.current = sum(c for c, _ in layers.values())
                    step.total = sum(t for _, t in layers.values())
                    report_step(phase.progress, step)
                    phase.step(f"Pulling {reference}: {_size(step.current)} / {_size(step.total)}",
                               step.current / step.total if step.total else None)
        except EngineError:  # an error chunk, or the cancel
            raise
        except APIError as err:
            raise EngineError(f"the image {reference} is not here and cannot be pulled: "
                              f"{err.explanation or err}") from None
        except Exception as err:  # urllib3's ProtocolError when a cancel cuts the stream
            watcher.check()
            raise EngineError(f"pulling {reference} was interrupted: {err}") from None
        watcher.check()
    step.state = "done"
    report_step(phase.progress, step)
    phase.step(f"Pulled {reference}" + (f" ({_size(step.total)})" if step.total else ""), 1)


def _layer_bytes(chunk: dict, layers: dict[str, tuple[int, int]]) -> bool:
    """Record a layer's download progress; True when the count moved."""
    layer, status = chunk["id"], chunk.get("status") or ""
    detail = chunk.get("progressDetail") or {}
    before = layers.get(layer)
    if status == "Downloading" and detail.get("total"):
        layers[layer] = (int(detail.get("current") or 0), int(detail["total"]))
    elif status in ("Download complete", "Pull complete", "Already exists") and layer in layers:
        layers[layer] = (layers[layer][1], layers[layer][1])
    return layers.get(layer) != before


def _size(count: int) -> str:
    return f"{count / 1e6:.1f} MB" if count >= 100_000 else f"{count / 1e3:.1f} kB"


def _split(reference: str) -> tuple[str, str | None]:
    if "@" in reference:
        return reference, None
    name, sep, tag = reference.rpartition(":")
    if sep and "/" not in tag:
        return name, tag
    return reference, "latest"
