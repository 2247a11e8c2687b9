"""Inlay hints of Compose files for ``extends``: where a service comes from, what it inherits, and
the keys that override the base's."""

from __future__ import annotations

from dockerls import kinds
from dockerls.lint.workspace_fs import WorkspaceFS

BASE = "services:\n  web:\n    image: nginx\n    environment: [A=1]\n    ports: ['80:80']\n    labels: [x=1]\n" \
       "    restart: always\n    user: app\n"
MAIN = """\
services:
  app:
    extends:
      file: base.yaml
      service: web
    image: nginx:1.27
  worker:
    extends: app
    command: run
"""


def _hints(tmp_path, text=MAIN):
    (tmp_path / "base.yaml").write_text(BASE)
    (tmp_path / "compose.yaml").write_text(text)
    analysis = kinds.named("compose").analyse(text, str(tmp_path / "compose.yaml"), None,
                                              WorkspaceFS(environ={}, root=tmp_path))
    return [(text[: h.offset].rsplit("\n", 1)[-1], h.label) for h in analysis.inlay_hints()]


def test_extends_shows_its_origin_and_what_is_inherited(tmp_path):
    assert _hints(tmp_path) == [
        ("      service: web", "from base.yaml: web \u00b7 environment, ports, labels, restart +1"),
        ("    image", "overrides base.yaml: web"),
        ("    extends: app", "from app \u00b7 image, environment, ports, labels +2"),
    ]


def test_an_extends_that_does_not_resolve_has_no_hint(tmp_path):
    assert _hints(tmp_path, MAIN.replace("service: web", "service: nope")) == [
        ("    extends: app", "from app \u00b7 image")]
