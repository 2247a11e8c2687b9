"""The image a container runs: built from its BuildSpec, found locally, or pulled."""

from __future__ import annotations

import threading

from docker.errors import APIError, ImageNotFound

from dockerls.develop.plan.model import ContainerSpec
from dockerls.develop.progress import Phase
from dockerls.engine.errors import EngineError
from dockerls.engine.streams import CancelWatcher, capture_responses


def local_image_id(client, reference: str) -> str | None:
    try:
        return client.api.inspect_image(reference)["Id"]
    except ImageNotFound:
        return None
    except APIError as err:
        if err.status_code == 404:
            return None
        raise EngineError(f"cannot inspect the image {reference}: {err.explanation or err}") from None


def ensure_image(client, spec: ContainerSpec, phase: Phase, cancel: threading.Event | None = None,
                 no_cache: bool = False) -> str:
    """The id of the image ``spec`` runs, building or pulling it when needed."""
    if spec.build is not None:
        from dockerls.engine.build import build_image

        return build_image(client, spec.build, phase, cancel, no_cache=no_cache).image_id
    image_id = local_image_id(client, spec.image)
    if image_id is not None:
        phase.step(f"Using the image {spec.image}", 1)
        return image_id
    pull(client, spec.image, phase, cancel)
    image_id = local_image_id(client, spec.image)
    if image_id is None:
        raise EngineError(f"the image {spec.image} was pulled but cannot be found")
    return image_id


def pull(client, reference: str, phase: Phase, cancel: threading.Event | None = None) -> None:
    repository, tag = _split(reference)
    phase.step(f"Pulling {reference}", 0)
    api = client.api
    with capture_responses(api) as responses, CancelWatcher(api, responses, cancel) as watcher:
        try:
            for chunk in api.pull(repository, tag=tag, stream=True, decode=True):
                watcher.check()
                if "error" in chunk:
                    raise EngineError(f"cannot pull {reference}: {chunk['error']}")
                status = chunk.get("status")
                if status and "id" not in chunk:  # per-layer lines are too many for a log
                    phase.progress.on_log(status)
        except EngineError:  # an error chunk, or the cancel
            raise
        except APIError as err:
            raise EngineError(f"the image {reference} is not here and cannot be pulled: "
                              f"{err.explanation or err}") from None
        except Exception as err:  # urllib3's ProtocolError when a cancel cuts the stream
            watcher.check()
            raise EngineError(f"pulling {reference} was interrupted: {err}") from None
        watcher.check()
    phase.step(f"Pulled {reference}", 1)


def _split(reference: str) -> tuple[str, str | None]:
    if "@" in reference:
        return reference, None
    name, sep, tag = reference.rpartition(":")
    if sep and "/" not in tag:
        return name, tag
    return reference, "latest"
