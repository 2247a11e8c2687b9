import os
import threading

import pytest

from dockerls import discover as discover_module
from dockerls.discover import COMPOSE, DEVCONTAINER, DOCKERFILE, discover, kind_of


def make(root, *files: str, content: str = "FROM scratch\n") -> None:
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)


def found(root, **kwargs) -> list[str]:
    files, errors = discover([str(root)], **kwargs)
    assert errors == []
    return [os.path.relpath(path, root).replace(os.sep, "/") for path, _ in files]


# --- kind_of -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Dockerfile", "dockerfile", "Containerfile",
        "Dockerfile.prod", "Dockerfile.alpine", "Dockerfile.example", "Containerfile.dev",
        "Dockerfile-dev", "Dockerfile_ci",
        "app.Dockerfile", "app.dockerfile", "web.containerfile",
        "prod_Dockerfile", "app-Dockerfile", "buildpack-deps__debian_bookworm_Dockerfile",
    ],
)  # fmt: skip
def test_dockerfile_names(name):
    assert kind_of(name) == DOCKERFILE
    assert kind_of(f"some/dir/{name}") == DOCKERFILE


@pytest.mark.parametrize(
    "name",
    [
        "Dockerfile.md", "Dockerfile.txt", "Dockerfile.orig", "Dockerfile.rej", "Dockerfile.bak",
        "Dockerfile.swp", "Dockerfile.json", "Dockerfile.yml", "Dockerfile.yaml", "Dockerfile.sh",
        "Dockerfile.py", "Dockerfile.dockerignore", "app.Dockerfile.dockerignore", "Dockerfile.j2",
        "Dockerfile.template", "Dockerfile.tmpl", "Dockerfile.in", "Dockerfile.prod.bak",
        "Dockerfile.", "Dockerfile-notes.md",
        "myDockerfile", "Dockerfiles", "README.md", "main.py", ".dockerfile",
    ],
)  # fmt: skip
def test_not_dockerfile_names(name):
    assert kind_of(name) is None


@pytest.mark.parametrize(
    "name",
    [
        "compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml",
        "compose.override.yaml", "compose.override.yml", "docker-compose.override.yml",
        "docker-compose.prod.yml", "compose.staging.local.yaml", "docker-compose-dev.yml",
    ],
)  # fmt: skip
def test_compose_names(name):
    assert kind_of(name) == COMPOSE


@pytest.mark.parametrize(
    "name", ["composer.yml", "compose.json", "docker-compose.yml.bak", "docker-compose.yml.j2", "mycompose.yml"]
)
def test_not_compose_names(name):
    assert kind_of(name) is None


def test_devcontainer_names():
    assert kind_of(".devcontainer.json") == DEVCONTAINER
    assert kind_of("proj/.devcontainer.json") == DEVCONTAINER
    assert kind_of(".devcontainer/devcontainer.json") == DEVCONTAINER
    assert kind_of("proj/.devcontainer/python/devcontainer.json") == DEVCONTAINER
    assert kind_of("proj/.devcontainer/a/b/devcontainer.json") is None
    assert kind_of("proj/config/devcontainer.json") is None


def test_devcontainer_kind_from_inside_the_folder(tmp_path, monkeypatch):
    make(tmp_path, ".devcontainer/devcontainer.json", content="{}")
    monkeypatch.chdir(tmp_path / ".devcontainer")
    assert kind_of("devcontainer.json") == DEVCONTAINER


def test_kind_of_accepts_pathlike(tmp_path):
    assert kind_of(tmp_path / "Dockerfile") == DOCKERFILE


# --- discover: explicit paths --------------------------------------------------------------------


def test_explicit_file_is_always_returned(tmp_path):
    make(tmp_path, "build.txt", "docker-compose.yml", ".gitignore")
    (tmp_path / ".gitignore").write_text("*\n")
    files, errors = discover([str(tmp_path / "build.txt"), str(tmp_path / "docker-compose.yml")])
    assert errors == []
    assert files == [(str(tmp_path / "build.txt"), DOCKERFILE), (str(tmp_path / "docker-compose.yml"), COMPOSE)]


def test_stdin_passes_through():
    assert discover(["-"]) == ([("-", DOCKERFILE)], [])
    assert discover(["-", "-"]) == ([("-", DOCKERFILE)], [])


def test_missing_path_is_an_error(tmp_path):
    make(tmp_path, "Dockerfile")
    missing = str(tmp_path / "nope")
    files, errors = discover([missing, str(tmp_path / "Dockerfile")])
    assert errors == [f"{missing}: no such file or directory"]
    assert files == [(str(tmp_path / "Dockerfile"), DOCKERFILE)]


def test_broken_symlink_is_missing(tmp_path):
    (tmp_path / "Dockerfile").symlink_to(tmp_path / "gone")
    files, errors = discover([str(tmp_path / "Dockerfile")])
    assert files == [] and errors == [f"{tmp_path / 'Dockerfile'}: no such file or directory"]


def test_unreadable_directory_is_an_error(tmp_path, monkeypatch):
    make(tmp_path, "Dockerfile", "locked/Dockerfile")
    real_scandir = os.scandir
    locked = str(tmp_path / "locked")

    def scandir(path):
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(discover_module.os, "scandir", scandir)
    files, errors = discover([str(tmp_path)])
    assert [p for p, _ in files] == [str(tmp_path / "Dockerfile")]
    assert errors == [f"{tmp_path / 'locked'}: permission denied"]


def test_order_is_sorted_and_duplicates_collapse(tmp_path):
    make(tmp_path, "b/Dockerfile", "a/compose.yaml", "a/Dockerfile", "c.Dockerfile")
    (tmp_path / "link.Dockerfile").symlink_to(tmp_path / "c.Dockerfile")
    paths = [str(tmp_path / "b"), str(tmp_path), str(tmp_path / "a" / "Dockerfile"), str(tmp_path / "b")]
    files, errors = discover(paths)
    assert errors == []
    shown = [os.path.relpath(p, tmp_path) for p, _ in files]
    assert shown == sorted(shown)
    assert sorted(shown) == ["a/Dockerfile", "a/compose.yaml", "b/Dockerfile", "c.Dockerfile"]
    assert [kind for _, kind in files] == [DOCKERFILE, COMPOSE, DOCKERFILE, DOCKERFILE]


def test_relative_paths_stay_relative(tmp_path, monkeypatch):
    make(tmp_path, "Dockerfile", "svc/compose.yml")
    monkeypatch.chdir(tmp_path)
    assert discover(["."]) == ([("Dockerfile", DOCKERFILE), ("svc/compose.yml", COMPOSE)], [])
    assert discover(["svc"]) == ([("svc/compose.yml", COMPOSE)], [])


def test_a_single_string_is_one_path(tmp_path):
    make(tmp_path, "Dockerfile")
    assert discover(str(tmp_path))[0] == [(str(tmp_path / "Dockerfile"), DOCKERFILE)]


# --- discover: walking ---------------------------------------------------------------------------


def test_walk_finds_every_kind(tmp_path):
    make(
        tmp_path,
        "Dockerfile", "api/Dockerfile.prod", "web/app.dockerfile", "compose.yaml",
        "deploy/docker-compose.override.yml", ".devcontainer/devcontainer.json",
        ".devcontainer/go/devcontainer.json", "other/.devcontainer.json",
        "README.md", "Dockerfile.md", "src/main.py",
    )  # fmt: skip
    files, errors = discover([str(tmp_path)])
    assert errors == []
    kinds = {os.path.relpath(p, tmp_path): k for p, k in files}
    assert kinds == {
        "Dockerfile": DOCKERFILE,
        "api/Dockerfile.prod": DOCKERFILE,
        "web/app.dockerfile": DOCKERFILE,
        "compose.yaml": COMPOSE,
        "deploy/docker-compose.override.yml": COMPOSE,
        ".devcontainer/devcontainer.json": DEVCONTAINER,
        ".devcontainer/go/devcontainer.json": DEVCONTAINER,
        "other/.devcontainer.json": DEVCONTAINER,
    }


@pytest.mark.parametrize("skipped", [".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".mypy_cache"])
def test_tool_directories_are_skipped(tmp_path, skipped):
    make(tmp_path, "Dockerfile", f"{skipped}/Dockerfile", f"{skipped}/deep/compose.yaml")
    assert found(tmp_path) == ["Dockerfile"]


def test_nested_node_modules_is_skipped(tmp_path):
    make(tmp_path, "web/node_modules/pkg/Dockerfile", "web/Dockerfile")
    assert found(tmp_path) == ["web/Dockerfile"]


def test_root_gitignore(tmp_path):
    make(tmp_path, "Dockerfile", "build/Dockerfile", "gen.Dockerfile", "keep/gen.Dockerfile", "out/x/Dockerfile")
    (tmp_path / ".gitignore").write_text("build/\n/gen.Dockerfile\nout\n")
    assert found(tmp_path) == ["Dockerfile", "keep/gen.Dockerfile"]


def test_nested_gitignore_is_relative_to_its_folder_and_overrides(tmp_path):
    make(tmp_path, "a/Dockerfile.gen", "a/sub/Dockerfile.gen", "b/Dockerfile.gen", "a/x/Dockerfile", "x/Dockerfile")
    (tmp_path / ".gitignore").write_text("*.gen\n")
    (tmp_path / "a" / ".gitignore").write_text("!Dockerfile.gen\n/x/\n")
    assert found(tmp_path) == ["a/Dockerfile.gen", "a/sub/Dockerfile.gen", "x/Dockerfile"]


def test_gitignore_negation_cannot_reach_into_an_ignored_folder(tmp_path):
    make(tmp_path, "gen/Dockerfile", "gen/keep/Dockerfile")
    (tmp_path / ".gitignore").write_text("gen/\n!gen/keep/\n")
    assert found(tmp_path) == []


def test_gitignore_above_the_walk_root_applies_inside_a_work_tree(tmp_path):
    (tmp_path / ".git" / "info").mkdir(parents=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("*.local.Dockerfile\n")
    (tmp_path / ".gitignore").write_text("svc/generated/\n")
    make(tmp_path, "svc/Dockerfile", "svc/generated/Dockerfile", "svc/dev.local.Dockerfile")
    assert found(tmp_path / "svc") == ["Dockerfile"]
    assert found(tmp_path / "svc", respect_ignore_files=False) == ["Dockerfile", "dev.local.Dockerfile", "generated/Dockerfile"]


def test_respect_ignore_files_false(tmp_path):
    make(tmp_path, "build/Dockerfile", "data/Dockerfile", "node_modules/Dockerfile")
    (tmp_path / ".gitignore").write_text("build/\n")
    (tmp_path / ".dockerignore").write_text("data\n")
    assert found(tmp_path, respect_ignore_files=False) == ["build/Dockerfile", "data/Dockerfile"]


def test_dockerignore_listing_the_dockerfile_does_not_hide_it(tmp_path):
    make(tmp_path, "Dockerfile", "docker-compose.yml", "prod.Dockerfile", ".devcontainer/devcontainer.json")
    (tmp_path / ".dockerignore").write_text("Dockerfile\ndocker-compose.yml\n*.Dockerfile\n.devcontainer\n")
    assert found(tmp_path) == [".devcontainer/devcontainer.json", "Dockerfile", "docker-compose.yml", "prod.Dockerfile"]


def test_dockerignore_prunes_directories_with_docker_semantics(tmp_path):
    make(tmp_path, "data/Dockerfile", "src/data/Dockerfile", "dist/x/Dockerfile", "Dockerfile")
    (tmp_path / ".dockerignore").write_text("data\n./dist/\n")
    # "data" is relative to the context root: src/data is not excluded (git would exclude it)
    assert found(tmp_path) == ["Dockerfile", "src/data/Dockerfile"]


def test_nested_dockerignore_is_relative_to_its_folder(tmp_path):
    make(tmp_path, "svc/cache/Dockerfile", "cache/Dockerfile", "svc/Dockerfile")
    (tmp_path / "svc" / ".dockerignore").write_text("cache\n")
    assert found(tmp_path) == ["cache/Dockerfile", "svc/Dockerfile"]


def test_dockerignore_allow_list_and_exceptions_do_not_prune(tmp_path):
    make(tmp_path, "docker/nginx/Dockerfile", "src/Dockerfile", "vendor/keep/Dockerfile", "vendor/other/Dockerfile")
    (tmp_path / ".dockerignore").write_text("*\n!src\nvendor\n!vendor/keep\n")
    assert found(tmp_path) == ["docker/nginx/Dockerfile", "src/Dockerfile", "vendor/keep/Dockerfile"]


def test_symlinked_directories_are_not_followed_and_loops_end(tmp_path):
    make(tmp_path, "a/Dockerfile")
    (tmp_path / "a" / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "a" / "self").symlink_to(tmp_path / "a", target_is_directory=True)
    result: list = []
    worker = threading.Thread(target=lambda: result.append(discover([str(tmp_path)])), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "discover() did not finish: symlink loop?"
    assert result[0] == ([(str(tmp_path / "a" / "Dockerfile"), DOCKERFILE)], [])


def test_symlinked_file_is_listed_once(tmp_path):
    make(tmp_path, "real/Dockerfile")
    (tmp_path / "Dockerfile").symlink_to(tmp_path / "real" / "Dockerfile")
    files, _ = discover([str(tmp_path)])
    assert len(files) == 1


def test_deep_trees_do_not_hit_the_recursion_limit(tmp_path):
    deep = tmp_path
    for _ in range(1100):  # deeper than the default recursion limit
        deep = deep / "d"
        os.mkdir(deep)
    (deep / "Dockerfile").write_text("FROM scratch\n")
    try:
        files, errors = discover([str(tmp_path)])
        assert errors == [] and files == [(str(deep / "Dockerfile"), DOCKERFILE)]
    finally:  # shutil.rmtree (pytest's clean-up) recurses and would fail on this tree
        (deep / "Dockerfile").unlink()
        while deep != tmp_path:
            os.rmdir(deep)
            deep = deep.parent


def test_walk_root_itself_is_walked_even_if_ignored(tmp_path):
    (tmp_path / ".git").mkdir()
    make(tmp_path, "build/Dockerfile")
    (tmp_path / ".gitignore").write_text("build/\n")
    assert found(tmp_path) == []
    assert found(tmp_path / "build") == ["Dockerfile"]  # the user named it


def test_prefixed_dockerfile_variants():
    from dockerls.discover import kind_of

    assert kind_of("mysql__8.4_Dockerfile.oracle") == "dockerfile"
    assert kind_of("app_Dockerfile.md") is None
