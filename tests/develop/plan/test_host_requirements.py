"""hostRequirements against the engine's machine: sizes as the spec writes them, warnings only."""

import pytest

from dockerls.develop.plan.host_requirements import HostResources, format_size, parse_size, requirement_problems

GB = 1024 ** 3


@pytest.mark.parametrize("written, size", [
    ("4gb", 4 * GB), ("512mb", 512 * 1024 ** 2), ("1tb", 1024 ** 4), ("8KB", 8192), ("2048", 2048),
    (1024, 1024), (" 3 gb ", 3 * GB), ("1.5gb", int(1.5 * GB)),
])
def test_sizes(written, size):
    assert parse_size(written) == size


@pytest.mark.parametrize("written", ["4 gigabytes", "gb", "-1", True, None, [], "4g"])
def test_not_sizes(written):
    assert parse_size(written) is None


def test_format_size():
    assert format_size(4 * GB) == "4gb" and format_size(int(1.5 * GB)) == "1.5gb" and format_size(12) == "12 bytes"


def test_a_machine_that_meets_them_gets_no_warning():
    host = HostResources(cpus=8, memory=16 * GB, storage=None, gpu=False)
    assert requirement_problems({"cpus": 4, "memory": "8gb", "storage": "100gb", "gpu": "optional"}, host) == []


def test_a_machine_below_them_gets_one_warning_per_requirement():
    host = HostResources(cpus=2, memory=4 * GB, storage=10 * GB, gpu=False)
    problems = requirement_problems({"cpus": 4, "memory": "8gb", "storage": "32gb", "gpu": True}, host)
    assert problems == [
        "hostRequirements.cpus asks for 4 CPUs; the engine has 2",
        "hostRequirements.memory asks for 8gb; the engine has 4gb of memory",
        "hostRequirements.storage asks for 32gb; the engine has 10gb of free storage",
        "hostRequirements.gpu asks for a GPU; the engine has no GPU runtime",
    ]


def test_what_the_engine_does_not_say_is_not_checked():
    assert requirement_problems({"cpus": 64, "memory": "1tb", "storage": "1tb", "gpu": {"cores": 2}},
                                HostResources()) == []


def test_wrong_values_are_said_and_not_checked():
    problems = requirement_problems({"cpus": "many", "memory": "lots"}, HostResources(cpus=1, memory=1))
    assert [p.split(" ")[0] for p in problems] == ["hostRequirements.cpus", "hostRequirements.memory"]
    assert all(p.endswith("not checked") for p in problems)
