"""Building the extended image of a plan's features: the base image with each feature installed.

The build folder is written afresh for each build (a temporary folder): the builtin variables
(``_CONTAINER_USER``, ``_REMOTE_USER``), then one folder per feature in install order, named
``<id>_<n>`` as the Dev Containers CLI names them, holding the feature's files, its option
variables (``devcontainer-features.env``) and the script that runs its ``install.sh``.  The
Dockerfile (:func:`dockerls.develop.plan.features_apply.dockerfile_text`) is built like any other,
BuildKit when the engine has it, so each feature's install is a step of the build's progress.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading

from dockerls.develop.plan.features_apply import builtin_env, dockerfile_text
from dockerls.develop.plan.model import LABEL_IMAGE_OF, LABEL_LOCAL_FOLDER, BuildSpec, ContainerSpec
from dockerls.develop.progress import Phase
from dockerls.engine.errors import EngineError


def build_features_image(client, spec: ContainerSpec, base: str, phase: Phase, cancel: threading.Event | None = None,
                         no_cache: bool = False, image_user: str | None = None) -> str:
    """The id of ``spec.features``' image, built on ``base`` (a local image reference) whose user is
    ``image_user`` (inspected when not given)."""
    from dockerls.engine.build import build_image

    build = spec.features
    assert build is not None
    if image_user is None:
        try:
            image_user = client.api.inspect_image(base)["Config"].get("User") or "root"
        except Exception as err:  # docker's errors: the base was just built or pulled, so this is rare
            raise EngineError(f"cannot inspect the image {base}: {err}") from None
    container_user = build.container_user or image_user
    remote_user = build.remote_user or container_user
    names = ", ".join(f.definition.get("name") or f.definition.id for f in build.features)
    phase.step(f"Installing the features {names} on {base}", 0)
    with tempfile.TemporaryDirectory(prefix="dockerls-features-") as folder:
        with open(os.path.join(folder, "devcontainer-features.builtin.env"), "w", encoding="utf-8") as fh:
            fh.write(builtin_env(container_user, remote_user))
        for feature in build.features:
            target = os.path.join(folder, feature.consecutive_id)
            shutil.copytree(feature.folder, target, symlinks=True,
                            ignore=shutil.ignore_patterns(".git"))
            for name, text in build.files.get(feature.consecutive_id, {}).items():
                with open(os.path.join(target, name), "w", encoding="utf-8", newline="\n") as fh:
                    fh.write(text)
        dockerfile = os.path.join(folder, "Dockerfile")
        with open(dockerfile, "w", encoding="utf-8") as fh:
            fh.write(dockerfile_text(build, base, container_user, remote_user, image_user))
        # Labelled with the folder it was built for, as develop's other images: down --rmi local removes it.
        folder_of = spec.labels.get(LABEL_LOCAL_FOLDER)
        outcome = build_image(client, BuildSpec(context=folder, dockerfile=dockerfile, tag=build.tag,
                                                labels={LABEL_IMAGE_OF: folder_of} if folder_of else {}),
                              phase, cancel, no_cache=no_cache)
    return outcome.image_id
