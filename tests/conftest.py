import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("DOCKERLS_SHARED", ROOT.parent / "shared"))


def shared_corpus(*parts: str) -> Path:
    """A folder of ../shared/corpus; the test is skipped (with the reason) when it is absent."""
    path = SHARED.joinpath("corpus", *parts)
    if not path.is_dir():
        pytest.skip(f"{path} is not here (the shared corpus sits beside the repository on developer machines)")
    return path


# Running in parallel (tests/run.sh: pytest-xdist, `-n auto --dist loadfile`).  Each test module is one
# unit of work, so a module's fixtures (a language server, an editor, the VS Code build) are set up
# once; every test under ENGINE_TESTS is in one unit, "docker-engine", because the engine fixtures
# share one dockerd and clean up by label whatever any test left in it.  (pytest-xdist's
# `xdist_group` marker would say the same, but it no longer takes effect under pytest 9.)
# The VS Code end-to-end test develops in a container on that engine too, so it is in the unit
# (the engine tests count the engine's containers and images, and BuildKit merges the same FROM of
# concurrent builds into one step), and so is the .vsix build it uses (two ci.sh at once would share
# one node_modules).
ENGINE_TESTS = ("tests/engine/", "tests/develop/", "tests/editors/test_vscode_e2e.py",
                "tests/editors/test_vscode_extension.py")
# Modules without module-scoped fixtures whose tests are long: each test is a unit of its own.
PER_TEST = ("tests/lint/test_incremental.py", "tests/fuzz/test_fuzz.py")
# The units that take longest (seconds to a minute) start first, so that no worker is left running
# one of them alone at the end; the others keep the collection order.
SLOW_FIRST = ("docker-engine", "tests/test_precommit.py",
              "tests/fuzz/test_fuzz.py", "tests/test_quality.py", "tests/lint/test_incremental.py",
              "tests/lsp/speedups/test_switch.py", "tests/test_hadolint_cli_matrix.py", "tests/editors/")


def xdist_unit(nodeid: str) -> str:
    path = nodeid.split("::", 1)[0]
    if path.startswith(ENGINE_TESTS):
        return "docker-engine"
    return nodeid if path in PER_TEST else path


def _start_rank(unit: str) -> int:
    return next((i for i, prefix in enumerate(SLOW_FIRST) if unit.startswith(prefix)), len(SLOW_FIRST))


def pytest_collection_modifyitems(config, items):
    # A stable sort of whole modules: the order of the tests within a module is kept.
    items.sort(key=lambda item: _start_rank(xdist_unit(item.nodeid)))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadfile`` with the Docker engine tests in one unit (see ENGINE_TESTS)."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class LoadFileEngineTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:  # the extension point LoadFileScheduling uses
            return xdist_unit(nodeid)

    config.option.loadscopereorder = False  # keep SLOW_FIRST's order (not "most tests first")
    return LoadFileEngineTogether(config, log)
