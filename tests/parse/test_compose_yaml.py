"""The positioned YAML tree of Compose files: values as Compose reads them, exact ranges, anchors,
merge keys, duplicate keys, and hostile input that must end in a finding, never a crash or a hang."""

import os
import time

import pytest

from dockerls.parse.compose import problems as P
from dockerls.parse.compose.values import entries, node_at, to_python
from dockerls.parse.compose.yaml_tree import MAX_DEPTH, Mapping, Scalar, Sequence, parse_yaml, resolve_plain


def codes(doc):
    return [p.code for p in doc.problems]


def test_values_follow_compose_not_yaml_1_1():
    doc = parse_yaml("a: yes\nb: on\nc: 22:22\nd: 0x1F\ne: 0777\nf: 1_000\ng: 1e3\nh: ~\ni: True\nj: .inf\n"
                     "k: '1'\nl: !!str 3\nm: 2001-12-14\n")
    assert to_python(doc.root) == {"a": "yes", "b": "on", "c": "22:22", "d": 31, "e": 511, "f": 1000, "g": 1000.0,
                                   "h": None, "i": True, "j": float("inf"), "k": "1", "l": "3", "m": "2001-12-14"}


@pytest.mark.parametrize("text,value", [("-0x10", -16), ("+12", 12), ("0o17", 15), ("0b101", 5), ("08", 8.0),
                                        ("1.5", 1.5), ("-.inf", float("-inf")), ("1.2.3", "1.2.3"),
                                        ("80:80", "80:80"), ("NULL", None), ("false", False)])
def test_resolve_plain(text, value):
    assert resolve_plain(text) == value


def test_every_key_and_value_has_its_range():
    text = "services:\n  web:\n    image: \"nginx:1.27\"\n    ports: [\"80:80\", 443]\n"
    doc = parse_yaml(text, "compose.yaml")
    web = doc.root.get("services").get("web")
    image = web.pair("image")
    assert (image.key.range.start.line, image.key.range.start.character) == (2, 4)
    assert text[image.value.start : image.value.end] == '"nginx:1.27"'
    assert image.value.value == "nginx:1.27" and image.value.style == '"'
    ports = web.get("ports")
    assert [text[i.start : i.end] for i in ports.items] == ['"80:80"', "443"]
    assert text[ports.start : ports.end] == '["80:80", 443]'
    assert doc.root.range.start.line == 0 and text[web.start : web.end].startswith("image")


def test_columns_count_code_points():
    text = "labels:\n  a: \"é😀\"\n  b: x\n"
    doc = parse_yaml(text)
    b = doc.root.get("labels").get("b")
    assert text[b.start : b.end] == "x"
    assert b.range.start.character == 5


def test_anchors_aliases_and_merge_keys():
    text = ("x-base: &base\n  image: nginx:1.26\n  restart: always\nx-more: &more\n  restart: no\n  init: true\n"
            "services:\n  web:\n    <<: [*base, *more]\n    image: nginx:1.27\n")
    doc = parse_yaml(text)
    web = doc.root.get("services").get("web")
    assert to_python(web) == {"image": "nginx:1.27", "restart": "always", "init": True}
    assert web.pair("restart").merged and not web.pair("image").merged
    assert web.get("restart") is doc.root.get("x-base").get("restart")  # shared, with the anchor's position
    assert [a.name for a in doc.aliases] == ["base", "more"]
    assert not doc.problems


@pytest.mark.parametrize("text", ["services:\n  web:\n    <<:", "a: 1\n<<:", "<<: 1"])
def test_a_bad_merge_key_at_the_end_is_reported_inside_the_document(text):
    (problem,) = parse_yaml(text).problems
    assert problem.code == P.YAML_SYNTAX and "merge key" in problem.message
    assert problem.range.start_offset <= problem.range.end_offset <= len(text)


def test_duplicate_keys_are_reported_and_the_last_wins():
    doc = parse_yaml("services:\n  web:\n    image: a\n    image: b\n")
    assert codes(doc) == [P.DUPLICATE_KEY]
    assert doc.problems[0].range.start.line == 3
    assert "line 3" in doc.problems[0].message
    assert doc.root.get("services").get("web").get("image").value == "b"


def test_reset_and_override_tags_are_kept():
    doc = parse_yaml("ports: !reset []\nimage: !override nginx\n")
    assert doc.root.get("ports").tag == "!reset"
    assert doc.root.get("image").tag == "!override" and doc.root.get("image").value == "nginx"


def test_syntax_errors_point_at_the_problem():
    doc = parse_yaml("services:\n  web:\n\timage: x\n")
    assert codes(doc) == [P.YAML_SYNTAX] and doc.problems[0].range.start.line == 2
    assert "tab" in doc.problems[0].message.lower()
    doc = parse_yaml("a: [1, 2\nb: 3\n")
    assert codes(doc) == [P.YAML_SYNTAX] and doc.root is None
    doc = parse_yaml("a: *missing\n")
    assert codes(doc) == [P.YAML_SYNTAX] and "missing" in doc.problems[0].message


def test_recursive_alias_is_refused():
    doc = parse_yaml("a: &x [1, *x]\n")
    assert codes(doc) == [P.YAML_SYNTAX] and doc.root is None


def test_entries_of_lists_and_mappings():
    text = "environment:\n  - A=1\n  - B\n  - 'C=x=y'\nlabels:\n  k: v\n  n:\n"
    doc = parse_yaml(text)
    env = list(entries(doc.root.get("environment")))
    assert [(e.name, e.value) for e in env] == [("A", "1"), ("B", None), ("C", "x=y")]
    assert text[env[0].value_start : env[0].value_end] == "1"
    assert text[env[2].value_start : env[2].value_end] == "x=y"
    assert [(e.name, e.value) for e in entries(doc.root.get("labels"))] == [("k", "v"), ("n", None)]


def test_node_at_paths():
    doc = parse_yaml("services:\n  web:\n    ports: ['80:80', {target: 1}]\n")
    node, pair = node_at(doc.root, ("services", "web", "ports", 1, "target"))
    assert type(node) is Scalar and node.value == 1 and pair.name == "target"
    assert node_at(doc.root, ("services", "nope")) == (None, None)
    assert type(node_at(doc.root, ("services", "web"))[0]) is Mapping
    assert type(node_at(doc.root, ("services", "web", "ports"))[0]) is Sequence


# -- hostile input -------------------------------------------------------------------------------

def _timed(data):
    start = time.thread_time()
    doc = parse_yaml(data)
    return doc, time.thread_time() - start


def test_billion_laughs_stops_at_the_alias():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 12)]
    doc, seconds = _timed("\n".join(lines) + "\n")
    assert codes(doc) == [P.TOO_LARGE] and doc.root is None
    assert doc.problems[0].range.start.line == 5  # a5 is the first to stand for more than 100,000 values
    assert seconds < 1


def test_many_small_aliases_add_up():
    text = "x: &x [" + ", ".join(["v"] * 400) + "]\n" + "".join(f"k{i}: *x\n" for i in range(300))
    doc = parse_yaml(text)
    assert codes(doc) == [P.TOO_LARGE]


@pytest.mark.parametrize("text", ["[" * 1_000_000, "- " * 1_000_000, "{a: " * 100_000,
                                  "".join(" " * i + "k:\n" for i in range(200))])
def test_deep_nesting_is_cut_without_crashing(text):
    doc, seconds = _timed(text)
    assert codes(doc) == [P.NESTING_TOO_DEEP] and doc.root is None
    assert seconds < 2


def test_nesting_just_below_the_limit_is_read():
    depth = MAX_DEPTH - 1
    doc = parse_yaml("[" * depth + "]" * depth)
    assert not doc.problems and doc.root is not None


def test_ten_megabytes_finish_quickly():
    block = "".join(f"  s{i}:\n    image: example/s{i}:1.0\n    ports: ['{i % 60000}:80']\n" for i in range(60_000))
    text = "services:\n" + block * 4
    assert len(text) > 10_000_000
    doc, seconds = _timed(text)
    assert codes(doc)[:1] == [P.TOO_LARGE]
    assert seconds < 3


def test_big_scalar_is_read_in_full():
    doc, seconds = _timed("command: '" + "x" * 10_000_000 + "'\n")
    assert not doc.problems and len(doc.root.get("command").value) == 10_000_000
    assert seconds < 3


def test_binary_and_invalid_utf8():
    doc = parse_yaml(os.urandom(4096) + b"\x00")
    assert codes(doc) == [P.BINARY_FILE] and doc.root is None
    doc = parse_yaml(b"labels:\n  a: caf\xe9\n")
    assert codes(doc) == [P.INVALID_UTF8] and doc.problems[0].range.start.line == 1
    assert doc.root.get("labels").get("a").value == "caf\ufffd"


def test_empty_and_multi_document():
    assert parse_yaml("").root is None and not parse_yaml("").problems
    doc = parse_yaml("a: 1\n---\nb: 2\n")
    assert doc.root.get("a").value == 1 and doc.extra_roots[0].get("b").value == 2


def test_pure_python_parser_gives_the_same_tree(monkeypatch):
    import yaml

    from dockerls.parse.compose import yaml_tree

    text = ("x: &x {a: 1}\nservices:\n  web:\n    <<: *x\n    image: 'nginx:1.27'\n    ports:\n      - 22:22\n"
            "    command: |\n      echo hi\n")
    fast = parse_yaml(text)
    monkeypatch.setattr(yaml_tree, "_Loader", yaml.SafeLoader)
    slow = parse_yaml(text)
    assert to_python(fast.root) == to_python(slow.root)
    assert [(n.start, n.end) for n in yaml_tree.iter_nodes(fast.root)] == \
        [(n.start, n.end) for n in yaml_tree.iter_nodes(slow.root)]
    assert codes(parse_yaml("[" * 100_000)) == [P.NESTING_TOO_DEEP]
    assert codes(parse_yaml("a:\n\tb: 1\n")) == [P.YAML_SYNTAX]


def test_over_the_value_cap_the_tree_read_stands_and_the_rest_is_scanned_for_syntax():
    """Cut at the service being read when the cap is passed: that one is left out whole, the ones
    before stand, and a syntax error near the end is still reported at its line."""
    from dockerls.parse.compose.yaml_tree import MAX_NODES

    services = MAX_NODES // 5 + 10  # 6 values each
    body = "".join(f"  s{i}:\n    image: example/s{i}:1.0\n    environment: [A=1, B=2]\n" for i in range(services))
    text = "services:\n" + body + "  last: [unclosed\n  more: 1\n"
    doc, seconds = _timed(text)
    assert codes(doc) == [P.TOO_LARGE, P.YAML_SYNTAX]
    cut, syntax = doc.problems
    assert "from line" in cut.message and syntax.range.start.line == text.count("\n") - 1
    kept = doc.root.get("services")
    assert 0 < len(kept.pairs) < services and doc.cut_at == kept.pairs[-1].value.end + 1 + 2  # "\n  s..."
    assert to_python(kept.pairs[-1].value)["environment"] == ["A=1", "B=2"]  # the last one kept is whole
    assert seconds < 5


def test_a_compose_file_over_the_cap_gets_its_syntax_and_schema_findings():
    from dockerls.check.files import lint_text
    from dockerls.config import Config

    body = "".join(f"  s{i}:\n    image: example/s{i}:1.0\n    networks: [front]\n" for i in range(1, 70_000))
    text = "services:\n  s0:\n    image: x:1\n    ports: {a: 1}\n" + body + "  last: [unclosed\nnetworks:\n  front: {}\n"
    _, _, findings = lint_text(text, "compose", Config(), "compose.yaml")
    found = {(f.code, f.range.start.line) for f in findings}
    assert ("DC009", 3) in found  # the schema: ports must be a list
    assert ("DC001", text.count("\n") - 2) in found  # the unclosed list near the end, where it shows
    assert "DC005" in {code for code, _ in found}
    assert len(findings) == 3  # no "network front is not declared" for the networks after the cut
