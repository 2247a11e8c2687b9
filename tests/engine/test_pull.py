"""A FROM image that is not here is pulled with byte progress (from the local registry of
tests/setup/25-registry.sh); a registry that cannot be reached fails at the FROM line."""

import io
import os
import tarfile

import pytest

from dockerls.develop.plan.model import BuildSpec
from dockerls.develop.progress import Phase, RecordingProgress
from dockerls.engine.build import build_image
from dockerls.engine.errors import BuildFailed
from tests.engine.engine_fixtures import base_image_tar, static_busybox


@pytest.fixture
def registry():
    address = os.environ.get("DOCKERLS_TEST_REGISTRY")
    if not address:
        pytest.skip(f"no local registry: {os.environ.get('DOCKERLS_REGISTRY_SKIP', 'DOCKERLS_TEST_REGISTRY unset')}")
    return address


def _pushed_then_removed(api, registry: str) -> str:
    """An image of its own layer (busybox plus 1 MB of random bytes), only in the registry."""
    reference = f"{registry}/dlstest-pulled:1"
    buf = io.BytesIO(base_image_tar(static_busybox()))
    with tarfile.open(fileobj=buf, mode="a") as tar:
        info = tarfile.TarInfo("noise")
        info.size = 1_000_000
        tar.addfile(info, io.BytesIO(os.urandom(info.size)))
    api.import_image_from_data(buf.getvalue(), repository=f"{registry}/dlstest-pulled", tag="1")
    for chunk in api.push(f"{registry}/dlstest-pulled", tag="1", stream=True, decode=True):
        assert "error" not in chunk, chunk
    api.remove_image(reference)
    return reference


@pytest.mark.parametrize("builder", ["buildkit", "classic"])
def test_missing_base_is_pulled_with_bytes(engine, base_image, project, registry, builder):
    reference = _pushed_then_removed(engine.api, registry)
    (project / "Dockerfile").write_text(f"FROM {reference}\nRUN echo on-pulled\n")
    spec = BuildSpec(context=str(project), dockerfile=str(project / "Dockerfile"), tag="dlstest-onpulled:1")
    progress = RecordingProgress()
    try:
        build_image(engine, spec, Phase(progress, 0, 100), no_cache=True, builder=builder)
    finally:
        engine.api.remove_image(reference, force=True)
    pulls = [(text, n) for kind, text, n in progress.events if kind == "build_step" and "Pulling" in text]
    assert pulls[0][0] == f"running Pulling {reference}"
    counts = [n for _, n in pulls if n]
    assert counts and counts == sorted(counts) and counts[-1] > 1_000_000  # random bytes do not compress
    assert any(t.startswith(f"Pulling {reference}: ") and t.endswith(" MB") for t in progress.texts("step"))
    assert pulls[-1][0] == f"done Pulling {reference}"


def test_unreachable_registry_at_the_from_line(engine, base_image, project):
    (project / "Dockerfile").write_text(f"FROM {base_image} AS one\n\nFROM 127.0.0.1:9/dlstest-nowhere:1\n")
    spec = BuildSpec(context=str(project), dockerfile=str(project / "Dockerfile"), tag="dlstest-nowhere:1")
    with pytest.raises(BuildFailed) as info:
        build_image(engine, spec)
    step = info.value.step
    assert (step.line, step.instruction) == (3, "FROM 127.0.0.1:9/dlstest-nowhere:1")
    assert "127.0.0.1:9/dlstest-nowhere:1 is not here and cannot be pulled" in step.reason
    assert str(info.value).startswith("Dockerfile:3: FROM 127.0.0.1:9/dlstest-nowhere:1 failed: ")
