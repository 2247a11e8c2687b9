"""build.options and build.cacheFrom read into Engine API build parameters (pure)."""

import json

import pytest

from dockerls.develop.plan.build_options import OptionError, cache_image, parse_build_options, parse_size
from dockerls.develop.plan.hashing import build_inputs
from dockerls.develop.plan.model import BuildOptions, BuildSpec
from dockerls.develop.plan.workspace import make_plan


def _parse(options, cache_from=None, environ=None):
    return parse_build_options(options, cache_from, environ or {})


@pytest.mark.parametrize("options", [
    ["--build-arg", "A=1", "--label", "l=v", "--target", "dev", "--network", "host", "--platform", "linux/amd64",
     "--add-host", "db:10.0.0.1", "--shm-size", "64m", "--cache-from", "img:1", "--no-cache", "--pull"],
    ["--build-arg=A=1", "--label=l=v", "--target=dev", "--network=host", "--platform=linux/amd64",
     "--add-host=db=10.0.0.1", "--shm-size=64m", "--cache-from=type=registry,ref=img:1", "--no-cache=true",
     "--pull=1"],
])
def test_every_option_in_both_forms(options):
    parsed = _parse(options)
    assert parsed.problems == []
    assert parsed.args == {"A": "1"} and parsed.target == "dev"
    assert parsed.options == BuildOptions(cache_from=["img:1"], labels={"l": "v"}, network="host",
                                          platform="linux/amd64", extra_hosts=["db:10.0.0.1"], shm_size=64 << 20,
                                          no_cache=True, pull=True)


def test_flags_can_be_turned_off_and_build_args_come_from_the_environment():
    parsed = _parse(["--pull=false", "--no-cache=0", "--build-arg", "HOME_DIR", "--build-arg", "UNSET"],
                    environ={"HOME_DIR": "/home/x"})
    assert not parsed.options.pull and not parsed.options.no_cache
    assert parsed.args == {"HOME_DIR": "/home/x"}  # docker build skips an arg with no value anywhere
    assert parsed.problems == []


def test_cache_from_is_a_string_or_a_list_and_comes_first():
    assert _parse(None, "a:1").options.cache_from == ["a:1"]
    assert _parse(["--cache-from", "c"], ["a", "b"]).options.cache_from == ["a", "b", "c"]
    parsed = _parse(None, ["a", "type=local,src=/tmp/cache"])
    assert parsed.options.cache_from == ["a"]
    [problem] = parsed.problems
    assert (problem.key, problem.index, problem.severity) == ("cacheFrom", 1, "info")
    assert "type=local" in problem.message
    [problem] = _parse(None, {"x": 1}).problems
    assert (problem.key, problem.index, problem.severity) == ("cacheFrom", None, "warning")


def test_options_without_an_engine_api_setting_are_information():
    parsed = _parse(["--secret", "id=npm,src=x", "--ssh=default", "--output", "type=docker", "--push", "--load",
                     "--builder", "b", "--progress=plain", "-t", "other:tag", "--future-flag", "--label", "k=v"])
    named = {(p.index, p.message.split()[1]) for p in parsed.problems}
    assert named == {(0, "--secret"), (2, "--ssh"), (3, "--output"), (5, "--push"), (6, "--load"),
                     (7, "--builder"), (9, "--progress"), (10, "-t"), (12, "--future-flag")}
    assert all(p.severity == "info" and "not applied" in p.message for p in parsed.problems)
    assert parsed.options.labels == {"k": "v"}  # the values of unknown options were not read as options


def test_bad_values_are_warnings_and_nothing_fails():
    parsed = _parse(["--add-host", "nohost", "--shm-size", "lots", "--pull=maybe", "--label", "=v", 3, ".",
                     "--target"])
    assert [(p.index, p.severity) for p in parsed.problems] == [
        (0, "warning"), (2, "warning"), (4, "warning"), (5, "warning"), (7, "warning"), (8, "warning"), (9, "warning")]
    assert "needs a value" in parsed.problems[-1].message
    assert _parse("--pull").problems[0].message.startswith("build.options must be an array")


def test_sizes_and_cache_images():
    assert parse_size("1g") == 1 << 30 and parse_size("512kb") == 512 << 10 and parse_size("100") == 100
    assert parse_size("1.5M") == 3 << 19 and parse_size("2GiB") == 2 << 30
    with pytest.raises(OptionError):
        parse_size("-1m")
    assert cache_image("ghcr.io/o/i:tag") == "ghcr.io/o/i:tag" and cache_image("ref=x,type=registry") == "x"
    with pytest.raises(OptionError):
        cache_image("type=gha")


def _devcontainer(tmp_path, build):
    (tmp_path / ".devcontainer").mkdir(exist_ok=True)
    (tmp_path / ".devcontainer" / "Dockerfile").write_text("FROM busybox\n")
    (tmp_path / ".devcontainer" / "devcontainer.json").write_text(json.dumps({"build": build}, indent=1))
    return make_plan(str(tmp_path))


def test_the_plan_applies_them_after_args_and_target_as_the_cli_appends_them(tmp_path):
    plan = _devcontainer(tmp_path, {
        "dockerfile": "Dockerfile", "args": {"A": "from-args", "B": "b"}, "target": "base", "cacheFrom": "cache:1",
        "options": ["--build-arg", "A=${localEnv:NOPE:opt}", "--target=dev", "--label", "x=y", "--secret", "id=s"],
    })
    build = plan.main_container.build
    assert build.args == {"A": "opt", "B": "b"} and build.target == "dev"  # variables substituted
    assert build.options.cache_from == ["cache:1"] and build.options.labels == {"x": "y"}
    [problem] = plan.problems
    assert problem.key == "build.options[5]" and problem.severity == "info" and "--secret" in problem.message
    assert problem.range is not None and problem.range.start.line > 0


def test_the_image_key_has_labels_and_platform_not_cache_sources(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM busybox\n")
    base = BuildSpec(context=str(tmp_path), dockerfile=str(tmp_path / "Dockerfile"), tag="t")
    plain = build_inputs(base, "d")
    assert "options" not in plain  # the key of a build without options is the one it always was

    def key(**options):
        return build_inputs(BuildSpec(base.context, base.dockerfile, "t", options=BuildOptions(**options)), "d")

    assert key(cache_from=["a"], network="host", extra_hosts=["h:1.2.3.4"], no_cache=True, pull=True,
               shm_size=1) == plain
    assert key(labels={"x": "y"})["options"] != key(labels={"x": "z"})["options"]
    assert key(platform="linux/arm64") != plain
