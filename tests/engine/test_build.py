"""Builds: the stream parsed into steps with a percentage, a failing build's error, a cancel."""

import threading
import time

import pytest

from dockerls.develop.plan.model import BuildSpec
from dockerls.develop.progress import Phase, RecordingProgress
from dockerls.engine.build import build_image
from dockerls.engine.errors import BuildFailed, Cancelled


def _spec(folder, text: str, tag: str) -> BuildSpec:
    (folder / "Dockerfile").write_text(text)
    return BuildSpec(context=str(folder), dockerfile=str(folder / "Dockerfile"), tag=tag)


def test_steps_and_percentages(engine, base_image, project):
    (project / "hello.txt").write_text("hi")
    spec = _spec(project, f"FROM {base_image}\nWORKDIR /app\nCOPY . .\nRUN echo built-here\n", "dlstest-build:1")
    progress = RecordingProgress()
    outcome = build_image(engine, spec, Phase(progress, 0, 100))
    steps = [t for k, t, p in progress.events if k == "step" and t.startswith("Step ")]
    assert steps == [f"Step 1/4 : FROM {base_image}", "Step 2/4 : WORKDIR /app", "Step 3/4 : COPY . .",
                     "Step 4/4 : RUN echo built-here"]
    percents = [p for k, _, p in progress.events if k == "step" and p is not None]
    assert percents == sorted(percents) and percents[-1] == 100
    assert outcome.image_id.startswith("sha256:")
    assert outcome.image_id == engine.api.inspect_image("dlstest-build:1")["Id"]
    assert "built-here" in progress.texts("log") or outcome.cached_steps


def test_dockerfile_outside_the_context(engine, base_image, project):
    context = project / "ctx"
    context.mkdir()
    (project / "build.Dockerfile").write_text(f"FROM {base_image}\nCOPY . /x\n")
    spec = BuildSpec(context=str(context), dockerfile=str(project / "build.Dockerfile"), tag="dlstest-outside:1")
    assert build_image(engine, spec).image_id.startswith("sha256:")


def test_failing_build_leaves_no_container(engine, base_image, project):
    before = len(engine.api.containers(all=True))
    spec = _spec(project, f"FROM {base_image}\nRUN echo about-to-fail && false\n", "dlstest-fail:1")
    progress = RecordingProgress()
    with pytest.raises(BuildFailed) as info:
        build_image(engine, spec, Phase(progress, 0, 100))
    assert "returned a non-zero code" in str(info.value)
    assert "about-to-fail" in info.value.log
    assert len(engine.api.containers(all=True)) == before


def test_cancel_stops_the_build_and_leaves_no_container(engine, base_image, project):
    before = len(engine.api.containers(all=True))
    spec = _spec(project, f"FROM {base_image}\nRUN echo started-sleeping && sleep 30\n", "dlstest-cancel:1")
    cancel = threading.Event()

    class CancelWhenSleeping(RecordingProgress):
        def on_log(self, line):
            super().on_log(line)
            if "started-sleeping" in line:
                cancel.set()

    started = time.monotonic()
    with pytest.raises(Cancelled):
        build_image(engine, spec, Phase(CancelWhenSleeping(), 0, 100), cancel)
    assert time.monotonic() - started < 10
    assert len(engine.api.containers(all=True)) == before  # the step's container is gone already
