"""Loading a Compose project: base and override files merged like ``docker compose -f a -f b``,
``.env`` and interpolation, ``include`` and ``extends``, and what reaches the checked file."""

from pathlib import Path

from dockerls.config import DEFAULT
from dockerls.lint.compose_runner import lint_compose, referenced_dockerfiles
from dockerls.parse.compose import problems as P
from dockerls.parse.compose.merge import merge
from dockerls.parse.compose.project import load_project, project_files
from dockerls.parse.compose.values import entries, to_python
from dockerls.parse.compose.yaml_tree import parse_yaml

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "compose"


def merged(base: str, over: str):
    a, b = parse_yaml(base, "a.yaml"), parse_yaml(over, "b.yaml")
    return to_python(merge(a.root, b.root))


def test_mappings_merge_and_scalars_override():
    assert merged("services:\n  web:\n    image: a\n    init: true\n",
                  "services:\n  web:\n    image: b\n  db:\n    image: c\n") == {
        "services": {"web": {"image": "b", "init": True}, "db": {"image": "c"}}}


def test_sequences_append_and_commands_are_replaced():
    out = merged("services:\n  web:\n    dns: [1.1.1.1]\n    command: [a, b]\n    expose: ['80']\n",
                 "services:\n  web:\n    dns: [8.8.8.8, 1.1.1.1]\n    command: [c]\n    expose: ['80', '81']\n")
    assert out["services"]["web"] == {"dns": ["1.1.1.1", "8.8.8.8"], "command": ["c"], "expose": ["80", "81"]}


def test_unique_resources_merge_by_key():
    out = merged("services:\n  web:\n    volumes: ['foo:/work', './a:/a']\n    ports: ['80:80', '443:443']\n"
                 "    secrets: [s1]\n",
                 "services:\n  web:\n    volumes: ['bar:/work']\n    ports: ['80:80', '8080:80']\n"
                 "    secrets: [{source: s1, target: s1, mode: 0400}]\n")
    web = out["services"]["web"]
    assert web["volumes"] == ["bar:/work", "./a:/a"]
    assert web["ports"] == ["80:80", "443:443", "8080:80"]
    assert web["secrets"] == [{"source": "s1", "target": "s1", "mode": 256}]


def test_environment_and_labels_merge_by_name_in_either_form():
    out = merged("services:\n  web:\n    environment: [A=1, B=2]\n    labels: {x: '1'}\n",
                 "services:\n  web:\n    environment:\n      B: three\n      C: '4'\n    labels: [y=2]\n")
    web = out["services"]["web"]
    assert web["environment"] == {"A": "1", "B": "three", "C": "4"}
    assert web["labels"] == {"x": "1", "y": "2"}


def test_depends_on_and_networks_merge_by_name():
    out = merged("services:\n  web:\n    depends_on: [db]\n    networks: [front]\n",
                 "services:\n  web:\n    depends_on:\n      cache: {condition: service_started}\n"
                 "    networks:\n      back: {}\n")
    web = out["services"]["web"]
    assert set(web["depends_on"]) == {"db", "cache"} and set(web["networks"]) == {"front", "back"}


def test_build_string_and_mapping_merge():
    out = merged("services:\n  web:\n    build: ./app\n", "services:\n  web:\n    build:\n      target: prod\n")
    assert out["services"]["web"]["build"] == {"context": "./app", "target": "prod"}


def test_logging_with_another_driver_is_replaced():
    out = merged("services:\n  web:\n    logging: {driver: json-file, options: {max-size: 1m}}\n",
                 "services:\n  web:\n    logging: {driver: syslog}\n")
    assert out["services"]["web"]["logging"] == {"driver": "syslog"}


def test_reset_and_override():
    out = merged("services:\n  web:\n    image: a\n    ports: ['80:80']\n    environment: {A: '1', B: '2'}\n",
                 "services:\n  web:\n    ports: !reset []\n    environment:\n      A: !reset null\n"
                 "    image: !override b\n")
    assert out["services"]["web"] == {"image": "b", "environment": {"B": "2"}}
    out = merged("services:\n  web:\n    ports: ['80:80']\n", "services:\n  web:\n    ports: !override ['8443:443']\n")
    assert out["services"]["web"]["ports"] == ["8443:443"]


def test_merged_entries_keep_their_file():
    base = parse_yaml("services:\n  web:\n    image: a\n", "a.yaml")
    over = parse_yaml("services:\n  web:\n    ports: ['80:80']\n", "b.yaml")
    web = merge(base.root, over.root).get("services").get("web")
    assert web.get("image").doc is base and web.get("ports").doc is over


# -- projects on disk ------------------------------------------------------------------------------

def write(tmp_path: Path, files: dict[str, str]) -> None:
    for name, content in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")


def test_override_file_is_found_both_ways(tmp_path):
    write(tmp_path, {"compose.yaml": "services: {}\n", "compose.override.yaml": "services: {}\n",
                     "prod.yaml": "services: {}\n"})
    base, over = tmp_path / "compose.yaml", tmp_path / "compose.override.yaml"
    assert project_files(str(base)) == [base, over]
    assert project_files(str(over)) == [base, over]
    assert project_files(str(tmp_path / "prod.yaml")) == [tmp_path / "prod.yaml"]


def test_the_valid_stack_has_no_findings():
    path = FIXTURES / "webapp" / "compose.yaml"
    result = lint_compose(path.read_bytes(), DEFAULT, str(path), environ={})
    assert [(f.code, f.message) for f in result.findings] == []
    web = result.project.services["web"]
    assert web.get("image").value == "shop/web:dev"  # WEB_TAG from .env
    assert [e.name for e in entries(web.get("environment"))][-1] == "DEBUG"  # from compose.override.yaml
    assert referenced_dockerfiles(result.project) == [(str(path.parent / "app" / "Dockerfile"), "web")]
    override = FIXTURES / "webapp" / "compose.override.yaml"
    assert lint_compose(override.read_bytes(), DEFAULT, str(override), environ={}).findings == []


def test_shell_environment_wins_over_dotenv(tmp_path):
    write(tmp_path, {".env": "TAG=from-file\n"})
    text = "services:\n  web:\n    image: nginx:${TAG}\n"
    project = load_project(text, str(tmp_path / "compose.yaml"), environ={"TAG": "from-shell"})
    assert project.services["web"].get("image").value == "nginx:from-shell"
    project = load_project(text, str(tmp_path / "compose.yaml"), environ={})
    assert project.services["web"].get("image").value == "nginx:from-file"


def test_interpolation_problems_point_into_the_value(tmp_path):
    text = "services:\n  web:\n    image: 'nginx:${TAG:?tag please}'\n    command: echo ${1}\n"
    project = load_project(text, None, environ={})
    found = {p.code: (p.range.start.line, p.range.start.character) for p in project.problems}
    assert found == {P.REQUIRED_VARIABLE: (2, 18), P.INVALID_INTERPOLATION: (3, 18)}


def test_include_and_extends_follow_files(tmp_path):
    write(tmp_path, {
        "db/compose.yaml": "services:\n  db:\n    image: postgres:17\n    environment:\n      PGDATA: ${PGDATA}\n",
        "db/.env": "PGDATA=/data\n",
        "common/base.yaml": "services:\n  base:\n    image: example/base:1.0\n    env_file: base.env\n",
        "common/base.env": "A=1\n",
    })
    text = ("include:\n  - db/compose.yaml\nservices:\n  web:\n    extends: {file: common/base.yaml, service: base}\n"
            "    depends_on: [db]\n")
    project = load_project(text, str(tmp_path / "compose.yaml"), environ={})
    assert set(project.services) == {"web", "db"}
    assert project.services["db"].get("environment").get("PGDATA").value == "/data"
    web = project.services["web"]
    assert web.get("image").value == "example/base:1.0"
    env_file = web.get("env_file")
    assert project.base_dir(env_file) == tmp_path / "common"  # relative to the extended file
    assert not project.problems


def test_findings_land_in_their_own_file(tmp_path):
    write(tmp_path, {"other.yaml": "services:\n  base:\n    image: example/base:latest\n    enviroment: {}\n"})
    text = "services:\n  web:\n    extends: {file: other.yaml, service: base}\n"
    path = str(tmp_path / "compose.yaml")
    result = lint_compose(text, DEFAULT, path, environ={})
    by_code = {f.code: f for f in result.findings}
    assert by_code["DC009"].file == str(tmp_path / "other.yaml") and by_code["DC009"].source_file == path
    assert by_code["DC117"].file == str(tmp_path / "other.yaml")


def test_base_file_findings_are_left_to_its_own_check(tmp_path):
    write(tmp_path, {"compose.yaml": "version: '3'\nservices:\n  web:\n    image: nginx:1.27\n"})
    over = tmp_path / "compose.override.yaml"
    result = lint_compose("services:\n  web:\n    ports: ['80:80']\n", DEFAULT, str(over), environ={})
    assert result.findings == []


def test_include_cycle_is_reported(tmp_path):
    write(tmp_path, {"a.yaml": "include: [b.yaml]\nservices: {}\n", "b.yaml": "include: [a.yaml]\nservices: {}\n"})
    project = load_project((tmp_path / "a.yaml").read_text(), str(tmp_path / "a.yaml"), environ={})
    assert [p.code for p in project.problems] == [P.BROKEN_REFERENCE]
    assert "loops" in project.problems[0].message


def test_explicit_file_list(tmp_path):
    write(tmp_path, {"base.yaml": "services:\n  web:\n    image: nginx:1.27\n", "prod.yaml": "services: {}\n"})
    prod = tmp_path / "prod.yaml"
    text = "services:\n  web:\n    ports: ['80:80']\n"
    result = lint_compose(text, DEFAULT, str(prod), environ={}, files=[str(tmp_path / "base.yaml"), str(prod)])
    assert result.findings == []
    assert result.project.services["web"].get("image").value == "nginx:1.27"
    assert [f.role for f in result.project.files] == ["base", "main"]
