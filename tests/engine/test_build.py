"""Builds with both builders: steps with a percentage, a failing step at its Dockerfile line,
a cancel that leaves nothing behind; BuildKit's cache mounts and what it cannot do here."""

import threading
import time

import pytest

from dockerls.develop.plan.model import BuildSpec
from dockerls.develop.progress import Phase, RecordingProgress
from dockerls.engine.build import build_image
from dockerls.engine.errors import BuildFailed, Cancelled

BUILDERS = ("buildkit", "classic")


def _spec(folder, text: str, tag: str) -> BuildSpec:
    (folder / "Dockerfile").write_text(text)
    return BuildSpec(context=str(folder), dockerfile=str(folder / "Dockerfile"), tag=tag)


def test_classic_steps_and_percentages(engine, base_image, project):
    (project / "hello.txt").write_text("hi")
    spec = _spec(project, f"FROM {base_image}\nWORKDIR /app\nCOPY . .\nRUN echo built-here\n", "dlstest-build:1")
    progress = RecordingProgress()
    outcome = build_image(engine, spec, Phase(progress, 0, 100), builder="classic")
    steps = [t for k, t, p in progress.events if k == "step" and t.startswith("Step ")]
    assert steps == [f"Step 1/4 : FROM {base_image}", "Step 2/4 : WORKDIR /app", "Step 3/4 : COPY . .",
                     "Step 4/4 : RUN echo built-here"]
    percents = [p for k, _, p in progress.events if k == "step" and p is not None]
    assert percents == sorted(percents) and percents[-1] == 100
    assert outcome.builder == "classic"
    assert outcome.image_id.startswith("sha256:")
    assert outcome.image_id == engine.api.inspect_image("dlstest-build:1")["Id"]
    assert "built-here" in progress.texts("log") or outcome.cached_steps


def test_buildkit_steps_in_order_with_output(engine, base_image, project):
    (project / "hello.txt").write_text("hi")
    spec = _spec(project, f"FROM {base_image}\nWORKDIR /app\nCOPY . .\nRUN echo built-here-$(date +%N)\n",
                 "dlstest-bk:1")
    progress = RecordingProgress()
    outcome = build_image(engine, spec, Phase(progress, 0, 100), no_cache=True)  # BuildKit: the default
    assert outcome.builder == "buildkit"
    assert progress.texts("step")[0] == "Building dlstest-bk:1 with BuildKit"
    running: list[str] = []  # the steps as they first start (or are done at once)
    for text in progress.texts("build_step"):
        state, name = text.split(" ", 1)
        # a waiting step can be reported (its pull's bytes) before it starts: not yet in the order
        if state != "waiting" and name.startswith("[") and "[internal]" not in name and name not in running:
            running.append(name)
    assert running == [f"[1/4] FROM docker.io/library/{base_image}", "[2/4] WORKDIR /app", "[3/4] COPY . .",
                       "[4/4] RUN echo built-here-$(date +%N)"]
    # the same steps as on_step messages (what the LSP progress and the CLI show), also a FROM
    # that BuildKit announces already done
    # (a step may be told twice, as it starts and again when BuildKit finds it cached: first times count)
    steps = [m.removesuffix(" CACHED") for m in progress.texts("step")]
    assert list(dict.fromkeys(m for m in steps if m in running)) == running
    percents = [p for k, _, p in progress.events if k == "step" and p is not None]
    assert percents == sorted(percents) and percents[-1] == 100
    assert any(line.startswith("built-here-") for line in progress.texts("log")), progress.texts("log")
    assert outcome.image_id == engine.api.inspect_image("dlstest-bk:1")["Id"]


def test_buildkit_cache_mount_is_reused(engine, base_image, project):
    """The classic builder refuses ``--mount``; BuildKit keeps the cache between builds."""
    text = (f"FROM {base_image}\nARG RUN_ID\n"
            "RUN --mount=type=cache,target=/root/.cache echo run-$RUN_ID; ls /root/.cache; "
            "touch /root/.cache/seen-$RUN_ID\n")
    spec = _spec(project, text, "dlstest-cache:1")
    first = RecordingProgress()
    spec.args = {"RUN_ID": str(time.time_ns())}
    build_image(engine, spec, Phase(first, 0, 100))
    first_id = spec.args["RUN_ID"]
    spec.args = {"RUN_ID": str(time.time_ns())}  # a new value: the step runs again
    second = RecordingProgress()
    build_image(engine, spec, Phase(second, 0, 100))
    assert f"seen-{first_id}" in second.texts("log")  # the first build's file, kept in the cache mount
    with pytest.raises(BuildFailed) as info:
        build_image(engine, spec, builder="classic")
    assert "--mount option requires BuildKit" in str(info.value)
    assert info.value.step.line == 3


def test_buildkit_second_build_is_cached(engine, base_image, project):
    spec = _spec(project, f"FROM {base_image}\nRUN echo once > /once\n", "dlstest-cached:1")
    build_image(engine, spec)
    progress = RecordingProgress()
    outcome = build_image(engine, spec, Phase(progress, 0, 100))
    assert outcome.cached_steps >= 1
    assert "cached [2/2] RUN echo once > /once" in progress.texts("build_step")


@pytest.mark.parametrize("builder", BUILDERS)
def test_dockerfile_outside_the_context(engine, base_image, project, builder):
    context = project / "ctx"
    context.mkdir()
    (project / "build.Dockerfile").write_text(f"FROM {base_image}\nCOPY . /x\n")
    spec = BuildSpec(context=str(context), dockerfile=str(project / "build.Dockerfile"), tag="dlstest-outside:1")
    assert build_image(engine, spec, builder=builder).image_id.startswith("sha256:")


@pytest.mark.parametrize("builder", BUILDERS)
def test_failing_run_at_its_line_leaves_no_container(engine, base_image, project, builder):
    before = len(engine.api.containers(all=True))
    spec = _spec(project, f"FROM {base_image}\nENV A=1\n\nRUN echo about-to-fail && exit 2\nRUN echo never\n",
                 "dlstest-fail:1")
    with pytest.raises(BuildFailed) as info:
        build_image(engine, spec, Phase(RecordingProgress(), 0, 100), builder=builder)
    step = info.value.step
    assert (step.line, step.instruction, step.exit_code) == (4, "RUN echo about-to-fail && exit 2", 2)
    assert step.headline().startswith("Dockerfile:4: RUN echo about-to-fail && exit 2 failed (exit 2): ")
    assert "about-to-fail" in step.log_tail
    assert "about-to-fail" in info.value.log
    if builder == "classic":
        assert "returned a non-zero code" in str(info.value)
    assert len(engine.api.containers(all=True)) == before


@pytest.mark.parametrize("builder", BUILDERS)
def test_copy_of_a_missing_file_at_its_line(engine, base_image, project, builder):
    spec = _spec(project, f"ARG X=1\nFROM {base_image} AS one\nRUN echo ok\nFROM one\nWORKDIR /w\n"
                          "COPY missing.txt /w/\n", "dlstest-copy:1")
    with pytest.raises(BuildFailed) as info:
        build_image(engine, spec, builder=builder)
    assert info.value.step.line == 6
    assert "missing.txt" in info.value.step.reason


@pytest.mark.parametrize("builder", BUILDERS)
@pytest.mark.parametrize("image", ["Bad_Name!!", "dlstest-no-such-image:1"])
def test_bad_base_image_at_the_from_line(engine, base_image, project, builder, image):
    spec = _spec(project, f"# a comment\nFROM {base_image} AS ok\n\nFROM {image}\nRUN echo\n", "dlstest-from:1")
    with pytest.raises(BuildFailed) as info:
        build_image(engine, spec, builder=builder)
    assert info.value.step.line == 4
    assert info.value.step.instruction == f"FROM {image}"


@pytest.mark.parametrize("kind", ["secret", "ssh"])
def test_session_mounts_are_refused_at_their_line(engine, base_image, project, kind):
    spec = _spec(project, f"FROM {base_image}\nRUN echo\nRUN --mount=type={kind},id=x cat /x\n", "dlstest-sec:1")
    progress = RecordingProgress()
    with pytest.raises(BuildFailed) as info:
        build_image(engine, spec, Phase(progress, 0, 100))
    assert info.value.step.line == 3
    assert "BuildKit session" in str(info.value)
    assert not progress.texts("build_step")  # refused before the build


def test_syntax_directive_without_registry_fails_at_line_1(engine, base_image, project):
    spec = _spec(project, f"# syntax=docker/dockerfile:1\nFROM {base_image}\nRUN echo\n", "dlstest-syntax:1")
    with pytest.raises(BuildFailed) as info:
        build_image(engine, spec)
    assert info.value.step.line == 1
    assert "docker/dockerfile:1" in info.value.step.reason and "frontend" in info.value.step.reason


@pytest.mark.parametrize("builder", BUILDERS)
def test_cancel_stops_the_build_and_leaves_no_container(engine, base_image, project, builder):
    before = len(engine.api.containers(all=True))
    spec = _spec(project, f"FROM {base_image}\nRUN echo started-sleeping-$(date +%N) && sleep 30\n",
                 "dlstest-cancel:1")
    cancel = threading.Event()

    class CancelWhenSleeping(RecordingProgress):
        def on_log(self, line):
            super().on_log(line)
            if "started-sleeping" in line:
                cancel.set()

    started = time.monotonic()
    with pytest.raises(Cancelled):
        build_image(engine, spec, Phase(CancelWhenSleeping(), 0, 100), cancel, builder=builder)
    assert time.monotonic() - started < 10
    for _ in range(50):  # BuildKit's step container goes once the engine sees the client gone
        if len(engine.api.containers(all=True)) == before:
            break
        time.sleep(0.1)
    assert len(engine.api.containers(all=True)) == before
