"""``updateRemoteUserUID``: the image whose remote user has the host user's UID/GID (see
:mod:`dockerls.develop.plan.uid_update`), built on the main container's image.  It is tagged
``<container name>-uid`` and labelled with the folder (``down --rmi local`` removes it) and with
what it was made from, so an unchanged one is reused without a build."""

from __future__ import annotations

import os
import tempfile
import threading

from dockerls.develop.plan.model import LABEL_IMAGE_OF, DevelopPlan
from dockerls.develop.plan.uid_update import SCRIPT_NAME, UPDATE_SCRIPT, uid_dockerfile, uid_tag, user_to_update
from dockerls.develop.progress import Phase
from dockerls.engine.connect import quick_api
from dockerls.engine.errors import EngineError, api_errors, explanation_of, status_of

LABEL_UID_UPDATE = "dockerls.uid_update"  # on the image: <base image id>/<user>/<uid>:<gid>


def update_uid(client, plan: DevelopPlan, image_id: str, phase: Phase, cancel: threading.Event | None = None,
               no_cache: bool = False) -> str:
    """The id of the image the main container runs: ``image_id``, or the updated image on it (then
    the main container's spec names it, so that the container is created from it)."""
    update = plan.uid_update
    if update is None:
        return image_id
    api = quick_api(client)  # inspections only: docker-py is loaded when a build is due
    image_user = (_inspect(api, image_id) or {}).get("Config", {}).get("User") or None
    user = user_to_update(update, image_user)
    if user is None:
        return image_id
    spec = plan.main_container
    key = f"{image_id}/{user}/{update.uid}:{update.gid}"
    tag = uid_tag(spec.name)
    existing = _inspect(api, tag)
    if existing is not None and not no_cache and (existing["Config"].get("Labels") or {}).get(LABEL_UID_UPDATE) == key:
        phase.step(f"Image {tag} is up to date ({user} has UID:GID {update.uid}:{update.gid})", 1)
        spec.image = tag
        return existing["Id"]
    from dockerls.develop.plan.model import BuildSpec
    from dockerls.engine.build import build_image

    base = spec.image  # the built, extended or given image's reference
    phase.step(f"Giving {user} the UID:GID {update.uid}:{update.gid} of the local user ({tag})", 0)
    with tempfile.TemporaryDirectory(prefix="dockerls-uid-") as folder:
        for name, text in (("Dockerfile", uid_dockerfile(base, user, update, image_user)),
                           (SCRIPT_NAME, UPDATE_SCRIPT)):
            with open(os.path.join(folder, name), "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        build = BuildSpec(context=folder, dockerfile=os.path.join(folder, "Dockerfile"), tag=tag,
                          labels={LABEL_IMAGE_OF: plan.folder, LABEL_UID_UPDATE: key})
        image = build_image(client, build, phase, cancel, no_cache=no_cache).image_id
    spec.image = tag
    return image


def _inspect(api, reference: str) -> dict | None:
    try:
        return api.inspect_image(reference)
    except api_errors() as err:
        if status_of(err) == 404:
            return None
        raise EngineError(f"cannot inspect the image {reference}: {explanation_of(err)}") from None
