"""Fixtures for the tests that need a Docker engine (tests/engine, tests/develop).

``engine`` is a connected docker-py client, or the test skips with the reason (tests/setup/
20-dockerd.sh starts a private engine as root and says why when it cannot).  ``base_image`` is a
tiny image imported from a tar of a folder holding a static busybox and its applet links; no
registry is reachable, so nothing is ever pulled.  Every container, network and volume the tests
create carries the label ``dockerls.test=1`` (see ``TEST_LABELS``) and is removed at the end.
"""

from __future__ import annotations

import io
import os
import shutil
import tarfile

import pytest

TEST_LABELS = {"dockerls.test": "1"}
BASE_IMAGE = "dockerls-test-base:1"
PROJECT_PREFIX = "dlstest"  # test project folders; their images are removed at the end
APPLETS = ("sh", "ls", "cat", "sleep", "echo", "env", "mkdir", "touch", "id", "true", "false", "test",
           "printf", "rm", "grep", "wc")
PASSWD = "root:x:0:0:root:/root:/bin/sh\ndev:x:1000:1000:dev:/home/dev:/bin/sh\n"
GROUP = "root:x:0:\ndev:x:1000:\n"


def static_busybox() -> str | None:
    for candidate in (shutil.which("busybox"), "/bin/busybox", "/usr/bin/busybox"):
        if candidate and os.path.isfile(candidate):
            with open(candidate, "rb") as fh:
                head = fh.read(8192)
            if head.startswith(b"\x7fELF") and b"ld-linux" not in head and b"ld-musl" not in head:
                return candidate
    return None


def base_image_tar(busybox: str) -> bytes:
    """A root filesystem as a tar: /bin/busybox and its applets, /etc/passwd, /tmp, /root."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for folder, mode in (("bin", 0o755), ("etc", 0o755), ("tmp", 0o1777), ("root", 0o700),
                             ("home", 0o755), ("home/dev", 0o755)):
            info = tarfile.TarInfo(folder)
            info.type, info.mode = tarfile.DIRTYPE, mode
            if folder == "home/dev":
                info.uid = info.gid = 1000
            tar.addfile(info)
        tar.add(busybox, "bin/busybox")
        for applet in APPLETS:
            info = tarfile.TarInfo(f"bin/{applet}")
            info.type, info.linkname = tarfile.SYMTYPE, "busybox"
            tar.addfile(info)
        for name, text in (("etc/passwd", PASSWD), ("etc/group", GROUP)):
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), 0o644
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _remove_test_objects(api) -> None:
    label = [f"{k}={v}" for k, v in TEST_LABELS.items()]
    for container in api.containers(all=True, filters={"label": label}):
        api.remove_container(container["Id"], force=True, v=True)
    for network in api.networks(filters={"label": label}):
        api.remove_network(network["Id"])
    for volume in (api.volumes(filters={"label": label}) or {}).get("Volumes") or []:
        api.remove_volume(volume["Name"], force=True)


@pytest.fixture(scope="session")
def engine():
    reason = os.environ.get("DOCKERLS_ENGINE_SKIP")
    if reason:
        pytest.skip(f"no Docker engine for the tests: {reason}")
    from dockerls.engine.connect import connect
    from dockerls.engine.errors import EngineUnavailable

    try:
        client = connect(timeout=60)
    except EngineUnavailable as err:
        pytest.skip(f"no Docker engine for the tests: {err} (tests/run.sh starts one when run as root)")
    yield client
    _remove_test_objects(client.api)
    for image in client.api.images():
        for tag in image.get("RepoTags") or []:
            if tag.startswith((f"dockerls-{PROJECT_PREFIX}", PROJECT_PREFIX)):
                try:
                    client.api.remove_image(tag, force=True)
                except Exception:
                    pass
    client.close()


@pytest.fixture(scope="session")
def base_image(engine) -> str:
    busybox = static_busybox()
    if busybox is None:
        pytest.skip("no static busybox to make the test image from (apt-get install busybox-static)")
    repository, tag = BASE_IMAGE.split(":")
    # Imported every session (a tenth of a second), so an older image of the same name never stands in.
    engine.api.import_image_from_data(base_image_tar(busybox), repository=repository, tag=tag)
    return BASE_IMAGE


@pytest.fixture
def clean_engine(engine):
    """Removes what a test left with the test label, after the test."""
    yield engine
    _remove_test_objects(engine.api)


@pytest.fixture
def project(tmp_path_factory):
    """A fresh, empty project folder whose name marks it as a test project."""
    return tmp_path_factory.mktemp(PROJECT_PREFIX)


def test_containers(api, **labels) -> list[dict]:
    filters = [f"{k}={v}" for k, v in {**TEST_LABELS, **labels}.items()]
    return api.containers(all=True, filters={"label": filters})


test_containers.__test__ = False  # a helper, not a test
