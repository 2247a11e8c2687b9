"""devcontainer.json hover, completion and DV006 out of the box: from dockerls' own schema (no copy of
the specification's, no DOCKERLS_DEVCONTAINER_SCHEMA), on real-world-shaped files."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from dockerls.config import Config
from dockerls.kinds.devcontainer import KIND
from dockerls.parse.devcontainer import schema

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "devcontainer"


@pytest.fixture(autouse=True)
def own_schema(monkeypatch):
    monkeypatch.delenv("DOCKERLS_DEVCONTAINER_SCHEMA", raising=False)
    schema.load_schema.cache_clear()
    assert schema.load_schema() is not None and schema.load_schema().get("title") == "devcontainer.json"
    yield
    schema.load_schema.cache_clear()


def dv006(text: str, tmp_path) -> list[tuple[int, int, str]]:
    """DV006's findings as (line, column, message), 1-based, for a .devcontainer/devcontainer.json."""
    path = tmp_path / ".devcontainer" / "devcontainer.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    _, _, findings = KIND.lint_text(text, Config(), str(path))
    return [(f.range.start.line + 1, f.range.start.character + 1, f.message) for f in findings if f.code == "DV006"]


def hover(text: str, needle: str) -> str:
    result = KIND.analyse(text, None).hover(text.index(needle) + 1)
    assert result is not None, needle
    return result.markdown


def completions(text: str, offset: int) -> list[str]:
    return [c.label for c in KIND.analyse(text, None).complete(offset)]


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.jsonc")), ids=lambda p: p.stem)
def test_no_dv006_on_a_valid_file(fixture, tmp_path):
    assert dv006(fixture.read_text(encoding="utf-8"), tmp_path) == []


def test_hover_on_the_fixtures_keys():
    text = (FIXTURES / "image-features.jsonc").read_text(encoding="utf-8")
    assert "The image the container is made from" in hover(text, '"image"')
    assert 'default: `"loginInteractiveShell"`' in hover(text, '"userEnvProbe"')
    assert "GPU" in hover(text, '"gpu"')
    assert "Visual Studio Code" in hover(text, '"vscode":')
    text = (FIXTURES / "dockerfile-args.jsonc").read_text(encoding="utf-8")
    assert "Build arguments" in hover(text, '"args"')
    assert '`"stopContainer"`' in hover(text, '"shutdownAction"')
    text = (FIXTURES / "lifecycle.jsonc").read_text(encoding="utf-8")
    assert "named commands" in hover(text, '"codegen"')
    assert "every time it starts" in hover(text, '"postStartCommand"')
    text = (FIXTURES / "ports.jsonc").read_text(encoding="utf-8")
    assert "`\"openBrowserOnce\"`" in hover(text, '"onAutoForward"')
    text = (FIXTURES / "compose.jsonc").read_text(encoding="utf-8")
    assert "to start with the dev container" in hover(text, '"runServices"')


def test_keys_are_completed_at_every_level():
    top = completions('{"image": "x", ', len('{"image": "x", '))
    for key in ("forwardPorts", "features", "postCreateCommand", "hostRequirements", "dockerComposeFile", "secrets"):
        assert key in top
    text = '{"build": {'
    assert {"dockerfile", "context", "args", "target", "cacheFrom", "options"} <= set(completions(text, len(text)))
    text = '{"portsAttributes": {"3000": {'
    assert set(completions(text, len(text))) == {"label", "onAutoForward", "elevateIfNeeded", "requireLocalPort",
                                                  "protocol"}
    text = '{"hostRequirements": {'
    assert set(completions(text, len(text))) == {"cpus", "memory", "storage", "gpu"}
    text = '{"mounts": [{'
    assert set(completions(text, len(text))) == {"type", "source", "target"}


@pytest.mark.parametrize("text, expected", [
    ('{"shutdownAction": ', ["none", "stopContainer", "stopCompose"]),
    ('{"waitFor": "', ["initializeCommand", "onCreateCommand", "updateContentCommand", "postCreateCommand",
                       "postStartCommand"]),
    ('{"otherPortsAttributes": {"protocol": ', ["http", "https"]),
    ('{"mounts": [{"type": ', ["bind", "volume"]),
    ('{"hostRequirements": {"gpu": ', ["optional"]),
])
def test_values_are_completed(text, expected):
    assert completions(text, len(text)) == expected


def test_dv006_at_the_exact_position(tmp_path):
    text = ('{\n'
            '  "image": "python:3.12",\n'
            '  "shutdownAction": "stop",\n'
            '  "forwardPorts": "abc",\n'
            '  "portsAttributes": {"3000": {"onAutoForward": "open"}}\n'
            '}\n')
    assert dv006(text, tmp_path) == [
        (3, 3, "shutdownAction: 'stop' is not one of ['none', 'stopContainer', 'stopCompose']"),
        (4, 3, "forwardPorts: 'abc' is not of type 'array'"),
        (5, 32, "portsAttributes.3000.onAutoForward: 'open' is not one of "
                "['notify', 'openBrowser', 'openBrowserOnce', 'openPreview', 'silent', 'ignore']"),
    ]


def test_dv006_on_an_image_beside_a_compose_file(tmp_path):
    text = ('{\n'
            '  "dockerComposeFile": "compose.yaml",\n'
            '  "service": "app",\n'
            '  "image": "python:3.12",\n'
            '  "forwardPorts": [3000, "db"]\n'
            '}\n')
    assert dv006(text, tmp_path) == [
        (4, 3, "image: cannot be used together with dockerComposeFile"),
        (5, 26, 'forwardPorts.1: \'db\': expected a port number, or "host:port" such as "db:5432"'),
    ]


def _hundred_lines() -> str:
    body = (FIXTURES / "image-features.jsonc").read_text(encoding="utf-8").rstrip().rstrip("}").rstrip()
    extra = [f'  "remoteEnv_{i}": "value {i}",  // padding' for i in range(100 - body.count("\n") - 4)]
    return body + ",\n" + "\n".join(extra) + '\n  "waitFor": "postCreateCommand"\n}\n'


def test_hover_and_completion_stay_fast_on_a_100_line_file():
    text = _hundred_lines()
    assert 95 <= text.count("\n") <= 105
    analysis = KIND.analyse(text, None)
    hover_at, complete_at = text.index('"waitFor"') + 2, text.index('"postCreateCommand"') + 1
    assert analysis.hover(hover_at) is not None and "postStartCommand" in [
        c.label for c in analysis.complete(complete_at)]  # warm: the schema is loaded once
    hover_ms = _best_ms(lambda: analysis.hover(hover_at))
    complete_ms = _best_ms(lambda: analysis.complete(complete_at))
    print(f"hover {hover_ms:.2f} ms, completion {complete_ms:.2f} ms")
    assert hover_ms < 5 and complete_ms < 5


def _best_ms(call, batches: int = 5, runs: int = 20) -> float:
    """The mean of the fastest batch: what the code costs, not what the machine's other loads do."""
    best = float("inf")
    for _ in range(batches):
        start = time.perf_counter()
        for _ in range(runs):
            call()
        best = min(best, (time.perf_counter() - start) * 1000 / runs)
    return best
