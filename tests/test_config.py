import pytest

from dockerls.check import lint_text
from dockerls.config import ConfigError, ConfigFinder, load_file
from dockerls.finding import Severity


def test_dockerls_yaml(tmp_path):
    cfg = tmp_path / ".dockerls.yaml"
    cfg.write_text("ignore: [DL3006]\nseverity: {DL3007: error, DL4003: 'off'}\nfailure-threshold: error\n"
                   "trusted-registries: [docker.io]\n")
    config = load_file(cfg)
    assert config.ignored == {"dl3006"}
    assert config.severity == {"dl3007": Severity.ERROR, "dl4003": None}
    assert config.failure_threshold == Severity.ERROR
    assert config.trusted_registries == ("docker.io",)
    findings = lint_text("FROM ubuntu\nFROM node:latest\nCMD a\nCMD b\n", "dockerfile", config, None)[2]
    watched = {"DL3006", "DL3007", "DL4003"}
    assert [(f.code, str(f.severity)) for f in findings if f.code in watched] == [("DL3007", "error")]


def test_pyproject_section(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.dockerls]\nignore = ['latest-tag']\nfailure-threshold = 'never'\n")
    config = load_file(tmp_path / "pyproject.toml")
    assert config.ignored == {"latest-tag"} and config.failure_threshold is None


def test_threshold_none_means_what_it_means_in_hadolint_everywhere(tmp_path):
    (tmp_path / ".dockerls.yaml").write_text("failure-threshold: none\n")
    (tmp_path / ".hadolint.yaml").write_text("failure-threshold: none\n")
    assert load_file(tmp_path / ".dockerls.yaml").failure_threshold == Severity.STYLE  # any finding fails
    assert load_file(tmp_path / ".hadolint.yaml").failure_threshold == Severity.STYLE


def test_hadolint_yaml(tmp_path):
    (tmp_path / ".hadolint.yaml").write_text(
        "ignored: [DL3008]\noverride:\n  error: [DL3007]\n  info: [DL3006]\ntrustedRegistries: [my.registry]\n"
        "failure-threshold: info\n")
    config = load_file(tmp_path / ".hadolint.yaml")
    assert config.ignored == {"dl3008"}
    assert config.severity == {"dl3007": Severity.ERROR, "dl3006": Severity.INFO}
    assert config.trusted_registries == ("my.registry",)
    assert config.failure_threshold == Severity.INFO


def test_dockerls_config_wins_over_hadolint_in_the_same_folder(tmp_path):
    (tmp_path / ".hadolint.yaml").write_text("ignored: [DL3008]\n")
    (tmp_path / ".dockerls.yaml").write_text("ignore: [DL3007]\n")
    (tmp_path / "sub").mkdir()
    config = ConfigFinder().for_file(tmp_path / "sub" / "Dockerfile")
    assert config.ignored == {"dl3007"} and config.source.endswith(".dockerls.yaml")


def test_search_stops_at_the_repository_root(tmp_path):
    (tmp_path / ".dockerls.yaml").write_text("ignore: [DL3007]\n")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    assert ConfigFinder().for_file(repo / "Dockerfile").source is None


@pytest.mark.parametrize("name,content,needle", [
    (".dockerls.yaml", "ignore: 3\n", "ignore"),
    (".dockerls.yaml", "severity: {DL3007: loud}\n", "severity.DL3007"),
    (".dockerls.yaml", "failure-threshold: sometimes\n", "failure-threshold"),
    (".dockerls.yaml", "ignroe: [DL3007]\n", "ignroe"),
    (".dockerls.yaml", "ignore: [\n", "invalid YAML"),
    (".hadolint.yaml", "override: {loud: [DL3007]}\n", "override.loud"),
    ("pyproject.toml", "[tool.dockerls\n", "invalid TOML"),
])
def test_bad_configuration_names_file_and_key(tmp_path, name, content, needle):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(ConfigError) as err:
        load_file(path)
    assert str(path) in str(err.value) and needle in str(err.value)


def test_shellcheck_switch(tmp_path):
    (tmp_path / ".dockerls.yaml").write_text("shellcheck: true\n")
    assert load_file(tmp_path / ".dockerls.yaml").shellcheck is True
    (tmp_path / ".dockerls.yaml").write_text("shellcheck: sometimes\n")
    with pytest.raises(ConfigError, match="shellcheck"):
        load_file(tmp_path / ".dockerls.yaml")


def _alias_bomb(levels: int = 9) -> str:
    names = "abcdefghijklmnop"
    lines = ["a: &a [l,l,l,l,l,l,l,l,l]"]
    lines += [f"{names[i]}: &{names[i]} [" + ",".join([f"*{names[i - 1]}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + f"\nignore: *{names[levels - 1]}\n"


@pytest.mark.parametrize("name", [".dockerls.yaml", ".hadolint.yaml"])
def test_alias_bomb_is_an_error_at_its_line_in_well_under_a_second(tmp_path, name):
    import time

    text = _alias_bomb()
    assert len(text) < 400
    (tmp_path / name).write_text(text)
    started = time.thread_time()
    with pytest.raises(ConfigError) as err:
        load_file(tmp_path / name)
    assert time.thread_time() - started < 0.5
    assert "Aliases expand" in str(err.value) and "(line " in str(err.value)
    assert len(str(err.value)) < 400


def test_a_large_value_in_a_message_is_shown_shortened(tmp_path):
    (tmp_path / ".dockerls.yaml").write_text("ignore: [&x [" + ", ".join(["v"] * 50) + "], *x, *x]\n")
    with pytest.raises(ConfigError) as err:
        load_file(tmp_path / ".dockerls.yaml")
    assert "ignore: expected a list of strings" in str(err.value) and len(str(err.value)) < 300


def test_deeply_nested_toml_is_an_error_not_a_crash(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.dockerls]\nignore = " + "[" * 50_000 + "]" * 50_000 + "\n")
    with pytest.raises(ConfigError, match="nested too deeply"):
        load_file(tmp_path / "pyproject.toml")


def test_a_fifo_in_place_of_the_configuration_is_refused_without_blocking(tmp_path):
    import os

    os.mkfifo(tmp_path / ".dockerls.yaml")
    with pytest.raises(ConfigError, match="not a regular file"):
        load_file(tmp_path / ".dockerls.yaml")


# -- hadolint's configuration: keys, places, variables, layering ------------------------------------

def test_hadolint_keys_with_hadolints_meaning(tmp_path):
    (tmp_path / ".hadolint.yaml").write_text(
        "no-fail: true\nformat: gnu\nno-color: true\ndisable-ignore-pragma: true\nstrict-labels: true\n"
        "failure-threshold: none\nverbose: true\n")
    config = load_file(tmp_path / ".hadolint.yaml")
    assert (config.no_fail, config.output_format, config.no_color, config.disable_ignore_pragma, config.strict_labels) \
        == (True, "gnu", True, True, True)
    assert config.failure_threshold == Severity.STYLE  # hadolint's none: every finding fails


def test_a_config_of_any_name_with_hadolints_keys_is_read_as_one(tmp_path):
    (tmp_path / "lint.yaml").write_text("ignored: [DL3007]\noverride:\n  error: [DL3059]\n")
    config = load_file(tmp_path / "lint.yaml")
    assert config.ignored == {"dl3007"} and config.severity == {"dl3059": Severity.ERROR}


def test_the_default_threshold_is_hadolints():
    from dockerls.config import DEFAULT

    assert DEFAULT.failure_threshold == Severity.INFO


@pytest.mark.parametrize("place", [".config/hadolint.yaml", ".hadolint/hadolint.yaml", ".hadolint/config.yml",
                                   ".hadolint.yaml"])
def test_hadolints_places_after_the_upward_search(tmp_path, place, monkeypatch):
    home, work = tmp_path / "home", tmp_path / "work"
    (home / place).parent.mkdir(parents=True, exist_ok=True)
    (home / place).write_text("ignored: [DL3007]\n")
    (work / ".git").mkdir(parents=True)
    monkeypatch.chdir(work)
    found = ConfigFinder(environ={"HOME": str(home)}).for_file(work / "Dockerfile")
    assert found.ignored == {"dl3007"} and found.source == str(home / place)
    (work / ".dockerls.yaml").write_text("ignore: [DL3006]\n")  # dockerls' own search comes first
    assert ConfigFinder(environ={"HOME": str(home)}).for_file(work / "Dockerfile").ignored == {"dl3006"}


def test_environment_lies_under_the_file_and_the_command_line_over_it(tmp_path):
    from dockerls.config_layers import Layer, apply, from_environment

    env = from_environment({"HADOLINT_FAILURE_THRESHOLD": "info", "HADOLINT_NOFAIL": "no", "HADOLINT_IGNORE": "DL1,DL2",
                            "HADOLINT_OVERRIDE_ERROR": "DL3059", "HADOLINT_FORMAT": "json", "NO_COLOR": ""})
    assert (env.no_fail, env.output_format, env.no_color, env.ignored) == (False, "json", True, ("DL1", "DL2"))
    (tmp_path / ".hadolint.yaml").write_text("failure-threshold: error\noverride:\n  style: [DL3059]\n")
    file = load_file(tmp_path / ".hadolint.yaml")
    layered = apply(file, env, Layer())
    assert layered.failure_threshold == Severity.ERROR  # the file's, over the environment's
    assert layered.severity["dl3059"] == Severity.ERROR  # the most severe override wins
    assert layered.ignored == {"dl1", "dl2"}
    assert apply(file, env, Layer(failure_threshold=Severity.STYLE)).failure_threshold == Severity.STYLE
