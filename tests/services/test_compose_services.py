"""Compose language services: completion (also in text that does not parse), hover from the
schema, definition and references of services, volumes, networks and secrets, document symbols."""

from pathlib import Path

import pytest

from dockerls.services.compose import complete, context_path, definition, document_symbols, hover, references
from dockerls.text import LineIndex

WEBAPP = Path(__file__).resolve().parents[1] / "fixtures" / "compose" / "webapp" / "compose.yaml"


def cursor(text: str):
    """The text without its ``|`` and the position of the ``|``."""
    at = text.index("|")
    clean = text[:at] + text[at + 1 :]
    return clean, LineIndex(clean).position(at)


def labels(text, path=None, read=None):
    clean, pos = cursor(text)
    kwargs = {"read": read} if read else {}
    return [c.label for c in complete(clean, pos, path, **kwargs)]


@pytest.mark.parametrize("text,path,at_key", [
    ("services:\n  web:\n    |", ["services", "web"], True),
    ("services:\n  web:\n    image: x\n    depends_on:\n      - |", ["services", "web", "depends_on", 0], False),
    ("services:\n  web:\n    ports:\n      - target: 80\n        |", ["services", "web", "ports", 0], True),
    ("services:\n  web:\n    build:\n      context: .\n      target: |", ["services", "web", "build", "target"], False),
    ("x:\n  - a: 1\n    b:\n      - c: |", ["x", 0, "b", 0, "c"], False),
])
def test_context_path(text, path, at_key):
    clean, pos = cursor(text)
    assert context_path(clean, pos) == (path, at_key)


def test_keys_of_a_service_without_those_already_there():
    found = labels("services:\n  web:\n    image: nginx\n    enviro|\n  db:\n    image: postgres\n")
    assert found == ["environment"]
    found = labels("services:\n  web:\n    image: nginx\n    |\n")
    assert "healthcheck" in found and "depends_on" in found and "image" not in found


def test_keys_in_a_list_item_mapping():
    found = labels("services:\n  web:\n    ports:\n      - target: 80\n        p|\n")
    assert found == ["published", "protocol"]


def test_enum_values():
    found = labels("services:\n  web:\n    depends_on:\n      db:\n        condition: |\n")
    assert found == ["service_started", "service_healthy", "service_completed_successfully"]
    assert labels("services:\n  web:\n    restart: un|\n") == ["unless-stopped"]


def test_names_where_they_are_referenced():
    text = ("services:\n  web:\n    depends_on:\n      - |\n    networks: [front]\n    volumes:\n      - data:/d\n"
            "  db:\n    image: postgres\n  cache:\n    image: redis\nvolumes:\n  data: {}\nnetworks:\n  front: {}\n")
    assert labels(text) == ["db", "cache"]
    vol = text.replace("      - |\n", "      - db\n").replace("      - data:/d\n", "      - |\n")
    clean, pos = cursor(vol)
    items = complete(clean, pos)
    assert [(c.label, c.insert_text) for c in items] == [("data", "data:")]
    net = text.replace("      - |\n", "      - db\n").replace("    networks: [front]\n", "    networks:\n      - |\n")
    assert labels(net) == ["front"]


def test_stage_names_for_build_target(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "Dockerfile").write_text("FROM python:3.12 AS base\nFROM base AS runtime\nFROM base\n")
    text = "services:\n  web:\n    build:\n      context: ./app\n      target: |\n"
    assert labels(text, str(tmp_path / "compose.yaml")) == ["base", "runtime"]


def test_hover_uses_the_schema_descriptions():
    text = WEBAPP.read_text()
    lines = LineIndex(text)
    at = text.index("healthcheck:")
    answer = hover(text, lines.position(at + 2), str(WEBAPP))
    assert answer.markdown.startswith("**`healthcheck`**") and "health" in answer.markdown
    assert answer.range.start == lines.position(at)
    assert hover(text, lines.position(text.index("# A web")), str(WEBAPP)) is None


def test_hover_on_a_referenced_service():
    text = "services:\n  web:\n    image: nginx:1.27\n    depends_on: [db]\n  db:\n    image: postgres:17\n"
    lines = LineIndex(text)
    answer = hover(text, lines.position(text.index("[db]") + 2))
    assert answer.markdown == "**service `db`**: image `postgres:17`\n\n```yaml\ndb:\n  image: postgres:17\n```"


def test_hover_on_a_referenced_service_shows_its_yaml_truncated_and_where_it_is(tmp_path):
    from dockerls.services import compose as C

    long_env = "".join(f"      - V{i}=${{SECRET_{i}}}\n" for i in range(40))
    (tmp_path / "common.yaml").write_text("services:\n  base:\n    image: alpine\n    environment:\n" + long_env)
    text = "services:\n  web:\n    extends: {file: common.yaml, service: base}\n    links: [base]\n"
    (tmp_path / "compose.yaml").write_text(text)
    lines = LineIndex(text)
    answer = hover(text, lines.position(text.index("[base]") + 2), str(tmp_path / "compose.yaml"))
    assert answer is None  # the extended file's services are not this project's: nothing to show
    text = "include: [common.yaml]\nservices:\n  web:\n    links: [base]\n"
    answer = hover(text, LineIndex(text).position(text.index("[base]") + 2), str(tmp_path / "compose.yaml"))
    block = answer.markdown.split("```yaml\n", 1)[1]
    assert answer.markdown.startswith("**service `base`**: image `alpine` (in `common.yaml`)")
    assert block.startswith("base:\n  image: alpine\n  environment:\n    - V0=${SECRET_0}\n")
    assert block.count("\n") == C.HOVER_BLOCK_LINES + 1 and block.endswith("# …\n```")


def test_a_variable_hover_shows_the_projects_own_values_only(tmp_path):
    """A value from the project's ``.env`` is shown; one from the environment never is (not even
    its length): only that it is set."""
    from dockerls.kinds import named
    from dockerls.lint.workspace_fs import WorkspaceFS

    (tmp_path / ".env").write_text("TAG=1.2\nTOKEN=from-dotenv\n")
    text = ("services:\n  a:\n    image: x:${TAG}\n    user: ${WHO:-app}\n    command: run ${TOKEN}\n"
            "    working_dir: /w/$NOTHING\n")
    path = str(tmp_path / "compose.yaml")
    fs = WorkspaceFS({"TOKEN": "ghp_secret_value_123"}, root=tmp_path)
    analysis = named("compose").analyse(text, path, fs=fs)

    def at(word: str) -> str:
        return analysis.hover(text.index(word) + 2).markdown

    assert at("${TAG}") == "**`${TAG}`**\n\n`1.2` (from `.env`)"
    assert at("${WHO") == "**`${WHO}`**\n\nNot set: the default `app` stands in"
    token = at("${TOKEN}")
    assert "Set in the environment (its value is not shown); it wins over the value in `.env`" in token
    assert "ghp_secret" not in token and "from-dotenv" not in token and "20" not in token
    assert "empty string" in at("$NOTHING")


def test_definition_and_references():
    text = WEBAPP.read_text()
    lines = LineIndex(text)
    path = str(WEBAPP)
    use = text.index("db:\n        condition")
    found = definition(text, lines.position(use + 1), path)
    assert len(found) == 1 and found[0].path == path
    assert found[0].range.start == lines.position(text.index("  db:\n    image") + 2)
    secret = references(text, lines.position(text.index("secrets: [db_password]") + 12), path)
    assert [loc.range.start.line + 1 for loc in secret] == [94, 43, 66]
    from_declaration = references(text, lines.position(text.index("  db:\n    image") + 3), path)
    assert [loc.range.start.line + 1 for loc in from_declaration] == [60, 50]
    assert definition(text, lines.position(0), path) == []


def test_definition_needs_text_that_parses():
    assert definition("services:\n  web:\n\tdepends_on: [db]\n", LineIndex("").position(0)) == []


def test_document_symbols():
    symbols = document_symbols(WEBAPP.read_text(), str(WEBAPP))
    assert [(s.name, [c.name for c in s.children]) for s in symbols] == [
        ("services", ["proxy", "web", "db", "cache"]), ("volumes", ["pgdata", "redisdata"]),
        ("networks", ["front", "back"]), ("secrets", ["db_password"])]
    db = symbols[0].children[2]
    assert db.kind == "service" and db.detail == "postgres:17.2-alpine"
    assert db.selection_range.start.line == 59 and db.range.end.line > db.range.start.line


def test_names_in_a_flow_list():
    text = "services:\n  web:\n    image: nginx\n    depends_on: [db, ca|]\n  db:\n    image: x\n  cache:\n    image: y\n"
    assert labels(text) == ["cache"]
