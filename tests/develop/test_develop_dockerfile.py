"""End to end: a folder with a Dockerfile."""

import time

from dockerls.develop import service
from tests.develop.helpers import CancelOn, cat, develop, labels_of, managed


def _dockerfile(project, base_image, extra: str = "") -> None:
    (project / "Dockerfile").write_text(f"FROM {base_image}\nWORKDIR /srv\nCOPY . ./app\n{extra}")


def test_develop_reuse_recreate_down(clean_engine, base_image, project):
    engine = clean_engine
    _dockerfile(project, base_image)
    (project / "notes.txt").write_text("first")
    first = develop(engine, project)
    assert first.ok, first.message
    assert first.action == "created"
    assert first.remote_workspace_folder == "/srv/app"  # where the Dockerfile copies the context
    attrs = engine.api.inspect_container(first.container_id)
    assert attrs["State"]["Running"]
    assert [(m["Source"], m["Destination"]) for m in attrs["Mounts"]] == [(str(project), "/srv/app")]
    labels = labels_of(engine, first.container_id)
    assert labels["devcontainer.local_folder"] == str(project)
    assert labels["dockerls.managed"] == "true" and len(labels["dockerls.config_hash"]) == 64
    assert "devcontainer.config_file" not in labels

    again = develop(engine, project)
    assert again.ok and again.action == "reused" and again.container_id == first.container_id
    # a file written on the host now is visible inside: the folder is mounted, not copied
    # (the image is keyed on the build context, so it is written after the reuse is checked)
    (project / "later.txt").write_text("written after the start")
    assert cat(engine, first.container_id, "/srv/app/later.txt") == "written after the start"

    _dockerfile(project, base_image, "ENV CHANGED=1\n")
    changed = develop(engine, project)
    assert changed.ok and changed.action == "recreated", changed.message
    assert "image changed" in changed.reason
    assert changed.container_id != first.container_id
    assert len(managed(engine, project)) == 1

    engine.api.stop(changed.container_id, timeout=1)
    started = develop(engine, project)
    assert started.action == "started" and started.container_id == changed.container_id

    gone = service.down(str(project), client=engine)
    assert gone.ok and [c["name"] for c in gone.containers] == [changed.container_name]
    assert managed(engine, project) == []


def test_mount_point_and_image_overrides(clean_engine, base_image, project):
    result = develop(clean_engine, project, image=base_image, mount_point="/code")
    assert result.ok, result.message
    assert result.remote_workspace_folder == "/code"
    (project / "x.txt").write_text("x")
    assert cat(clean_engine, result.container_id, "/code/x.txt") == "x"
    assert clean_engine.api.inspect_container(result.container_id)["Config"]["Image"] == base_image


def test_failing_build_leaves_no_container(clean_engine, base_image, project):
    _dockerfile(project, base_image, "RUN false\n")
    result = develop(clean_engine, project)
    assert result.outcome == "error" and "failed (exit 1)" in result.message  # either builder: the step and its exit code
    assert managed(clean_engine, project) == []


def test_cancel_during_the_build_leaves_no_container(clean_engine, base_image, project):
    _dockerfile(project, base_image, "RUN echo sleeping-now && sleep 30\n")
    progress = CancelOn("sleeping-now")
    began = time.monotonic()
    result = develop(clean_engine, project, progress=progress, cancel=progress.cancel)
    assert result.outcome == "cancelled"
    assert time.monotonic() - began < 10
    assert managed(clean_engine, project) == []
    assert progress.texts("end") == ["Cancelled: nothing was left behind"]


def test_cancel_while_starting_removes_the_new_container(clean_engine, base_image, project):
    _dockerfile(project, base_image)
    progress = CancelOn("Starting ")
    result = develop(clean_engine, project, progress=progress, cancel=progress.cancel)
    assert result.outcome == "cancelled"
    assert managed(clean_engine, project) == []


def test_no_engine_is_an_error_result(project, monkeypatch, tmp_path):
    _dockerfile(project, "busybox")
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/none.sock")
    result = service.develop(str(project))
    assert result.outcome == "error" and "no Docker engine answers" in result.message


def test_a_changed_copied_file_rebuilds_and_says_which(clean_engine, base_image, project):
    engine = clean_engine
    (project / "Dockerfile").write_text(f"FROM {base_image}\nCOPY requirements.txt /deps/\n"
                                        "RUN cat /deps/requirements.txt > /deps/installed\n")
    (project / "requirements.txt").write_text("flask==1\n")
    (project / ".dockerignore").write_text("scratch/\n")
    first = develop(engine, project)
    assert first.ok, first.message
    assert cat(engine, first.container_id, "/deps/installed") == "flask==1\n"

    (project / "scratch").mkdir()
    (project / "scratch" / "notes.txt").write_text("ignored by .dockerignore")
    same = develop(engine, project)
    assert same.ok and same.action == "reused", same.reason

    (project / "requirements.txt").write_text("flask==2\n")
    changed = develop(engine, project)
    assert changed.ok and changed.action == "recreated", changed.message
    assert "requirements.txt in the build context changed" in changed.reason, changed.reason
    assert cat(engine, changed.container_id, "/deps/installed") == "flask==2\n"

    again = develop(engine, project)
    assert again.ok and again.action == "reused" and again.container_id == changed.container_id
