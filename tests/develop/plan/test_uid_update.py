"""updateRemoteUserUID: when the remote user gets the host user's UID/GID, and the image that does it."""

import json
import sys

import pytest

from dockerls.develop.plan.model import DevelopOptions
from dockerls.develop.plan.uid_update import (
    UidUpdate,
    plan_uid_update,
    uid_dockerfile,
    user_to_update,
)
from dockerls.develop.plan.workspace import make_plan


def test_a_non_root_remote_user_on_linux_is_updated():
    assert plan_uid_update(None, "dev", (1001, 1002), "linux") == UidUpdate(1001, 1002, "dev")  # default true
    assert plan_uid_update(True, "dev:staff", (1001, 1002), "linux") == UidUpdate(1001, 1002, "dev")
    # no remote user written: the image's, known once the image is there
    assert plan_uid_update(None, None, (1001, 1002), "linux") == UidUpdate(1001, 1002, None)


@pytest.mark.parametrize("setting, user, host, platform", [
    (False, "dev", (1001, 1001), "linux"),  # turned off
    (None, "dev", (0, 0), "linux"),  # the host user is root: the CLI's script changes nothing either
    (None, "root", (1001, 1001), "linux"),
    (None, "1234", (1001, 1001), "linux"),  # a bare UID: no user entry to change
    (None, "dev", (501, 20), "darwin"),  # Linux only (Docker Desktop maps the files itself)
    (None, "dev", None, "linux"),
])
def test_when_it_is_skipped(setting, user, host, platform):
    assert plan_uid_update(setting, user, host, platform) is None


def test_the_image_s_user_decides_when_none_is_written():
    update = UidUpdate(1001, 1001, None)
    assert user_to_update(update, "node") == "node"
    assert user_to_update(update, None) is None and user_to_update(update, "root") is None
    assert user_to_update(update, "1000:1000") is None
    assert user_to_update(UidUpdate(1001, 1001, "dev"), "root") == "dev"


def test_the_dockerfile_runs_the_script_as_root_and_gives_the_user_back():
    text = uid_dockerfile("dockerls-x:latest", "dev", UidUpdate(1001, 1002, "dev"), "dev")
    assert text.splitlines() == [
        "FROM dockerls-x:latest", "USER root", "COPY update-uid.sh /tmp/dockerls-update-uid.sh",
        "RUN sh /tmp/dockerls-update-uid.sh dev 1001 1002 && rm -f /tmp/dockerls-update-uid.sh", "USER dev"]
    assert uid_dockerfile("b", "dev", UidUpdate(1, 1, None), None).endswith("USER root\n")


def _plan(tmp_path, config, host_ids):
    path = tmp_path / ".devcontainer" / "devcontainer.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(config))
    return make_plan(str(tmp_path), DevelopOptions(host_ids=host_ids))


@pytest.mark.skipif(sys.platform != "linux", reason="updateRemoteUserUID applies on Linux hosts")
def test_the_plan_s_decision(tmp_path):
    assert _plan(tmp_path, {"image": "x", "remoteUser": "dev"}, (1001, 1001)).uid_update == UidUpdate(1001, 1001, "dev")
    assert _plan(tmp_path, {"image": "x", "containerUser": "app"}, (1001, 1001)).uid_update.remote_user == "app"
    assert _plan(tmp_path, {"image": "x", "remoteUser": "dev"}, (0, 0)).uid_update is None
    plan = _plan(tmp_path, {"image": "x", "remoteUser": "dev", "updateRemoteUserUID": False}, (1001, 1001))
    assert plan.uid_update is None and not any(p.key == "updateRemoteUserUID" for p in plan.problems)
