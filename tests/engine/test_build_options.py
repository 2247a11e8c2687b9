"""devcontainer.json's build.options and build.cacheFrom reach the engine's build, with both
builders: a label on the image, a build arg used in a RUN, an extra host, a cache source."""

import io
import json
import tarfile

import pytest

from dockerls.develop.plan.workspace import make_plan
from dockerls.engine.build import build_image
from tests.engine.engine_fixtures import TEST_LABELS

BUILDERS = ("buildkit", "classic")


def _plan(project, base_image: str, build: dict):
    folder = project / ".devcontainer"
    folder.mkdir(exist_ok=True)
    (folder / "Dockerfile").write_text(
        f"FROM {base_image}\nARG GREETING=none\n"
        "RUN echo \"greeting=$GREETING\" > /greeting && grep optionhost /etc/hosts > /hosts; true\n")
    (folder / "devcontainer.json").write_text(json.dumps({"build": {"dockerfile": "Dockerfile", **build}}))
    return make_plan(str(project))


def _file(api, image: str, path: str) -> str:
    container = api.create_container(image, ["true"], labels=TEST_LABELS)["Id"]
    try:
        stream, _ = api.get_archive(container, path)
        with tarfile.open(fileobj=io.BytesIO(b"".join(stream))) as tar:
            member = tar.getmembers()[0]
            data = tar.extractfile(member)
            assert data is not None
            return data.read().decode()
    finally:
        api.remove_container(container, force=True)


@pytest.mark.parametrize("builder", BUILDERS)
def test_label_build_arg_and_extra_host_from_build_options(engine, base_image, project, builder):
    plan = _plan(project, base_image, {
        "args": {"GREETING": "from-args"},
        "options": ["--label", "x=y", "--build-arg=GREETING=hi", "--add-host", "optionhost:10.1.2.3", "--no-cache"],
    })
    assert plan.problems == []
    build = plan.main_container.build
    outcome = build_image(engine, build, builder=builder)
    assert outcome.builder == builder
    labels = engine.api.inspect_image(outcome.image_id)["Config"]["Labels"]
    assert labels["x"] == "y"
    assert _file(engine.api, outcome.image_id, "/greeting") == "greeting=hi\n"  # the option wins over args
    assert "10.1.2.3" in _file(engine.api, outcome.image_id, "/hosts")


@pytest.mark.parametrize("builder", BUILDERS)
def test_cache_from_an_image_of_the_engine_is_accepted(engine, base_image, project, builder):
    plan = _plan(project, base_image, {"cacheFrom": [base_image], "options": ["--cache-from", base_image]})
    assert plan.problems == []
    build = plan.main_container.build
    assert build.options.cache_from == [base_image, base_image]
    outcome = build_image(engine, build, builder=builder)
    assert outcome.image_id == engine.api.inspect_image(build.tag)["Id"]
    assert _file(engine.api, outcome.image_id, "/greeting") == "greeting=none\n"


def test_the_options_as_engine_api_parameters():
    from dockerls.develop.plan.model import BuildOptions, BuildSpec
    from dockerls.engine.build_params import docker_py_kwargs, image_labels, query_params

    spec = BuildSpec("/c", "/c/Dockerfile", "t", labels={"dockerls.image_of": "/c"}, options=BuildOptions(
        cache_from=["a", "b"], labels={"x": "y", "dockerls.image_of": "mine"}, network="host",
        platform="linux/amd64", extra_hosts=["h:1.2.3.4"], shm_size=1024, pull=True))
    assert image_labels(spec) == {"x": "y", "dockerls.image_of": "/c"}  # develop's own label wins
    assert query_params(spec) == {"cachefrom": '["a", "b"]', "platform": "linux/amd64", "extrahosts": ["h:1.2.3.4"],
                                  "shmsize": 1024, "pull": 1}
    assert docker_py_kwargs(spec) == {"pull": True, "cache_from": ["a", "b"], "platform": "linux/amd64",
                                      "extra_hosts": ["h:1.2.3.4"], "shmsize": 1024, "network_mode": "host"}
    assert query_params(BuildSpec("/c", "/c/Dockerfile", "t")) == {}
