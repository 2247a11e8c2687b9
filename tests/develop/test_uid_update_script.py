"""updateRemoteUserUID's script run by this machine's sh on copies of /etc/passwd and /etc/group
(no engine: tests/develop/test_develop_spec_keys.py runs it in an image build)."""

import shutil
import subprocess

import pytest

from dockerls.develop.plan.uid_update import UPDATE_SCRIPT


def test_the_script_updates_the_user_and_its_group(tmp_path):
    """The script itself, on copies of /etc/passwd and /etc/group (this machine's sh)."""
    if shutil.which("sh") is None:
        pytest.skip("no sh here")
    etc = tmp_path / "etc"
    etc.mkdir()
    (etc / "passwd").write_text("root:x:0:0:root:/root:/bin/sh\ndev:x:1000:1000:dev:/home/dev:/bin/sh\n"
                                "other:x:5:5::/:\n")
    (etc / "group").write_text("root:x:0:\ndev:x:1000:\nusers:x:100:dev,other\n")
    script = UPDATE_SCRIPT.replace("/etc/", f"{etc}/")

    def run(*args: str) -> str:
        return subprocess.run(["sh", "-c", script, "sh", *args], capture_output=True, text=True, check=True).stdout

    assert "1000:1000 -> 4321:4322" in run("dev", "4321", "4322")
    assert (etc / "passwd").read_text().splitlines()[1] == "dev:x:4321:4322:dev:/home/dev:/bin/sh"
    assert (etc / "group").read_text().splitlines()[1:] == ["dev:x:4322:", "users:x:100:dev,other"]
    assert "UID 5 belongs to other" in run("dev", "5", "5")  # taken: nothing changes
    assert "GID 100 belongs to the group users" in run("dev", "4000", "100")  # the UID changes, not the GID
    assert (etc / "passwd").read_text().splitlines()[1] == "dev:x:4000:4322:dev:/home/dev:/bin/sh"
    assert "already" in run("dev", "4000", "4322")
    assert "not in" in run("nobody", "1", "1")
