"""Dev container features in the plan: references, options, install order, merge, metadata."""

import json

import pytest

from dockerls.develop.plan.features import (
    Feature,
    FeatureDefinition,
    FeatureError,
    add_dependencies,
    env_file,
    install_order,
    option_problems,
    option_values,
    parse_ref,
    safe_id,
)
from dockerls.develop.plan.features_apply import dockerfile_text, metadata_entries
from dockerls.develop.plan.model import DevelopOptions, Mount
from dockerls.develop.plan.workspace import make_plan


def test_references():
    ref = parse_ref("ghcr.io/devcontainers/features/node:1")
    assert (ref.kind, ref.registry, ref.repository, ref.version) == ("oci", "ghcr.io", "devcontainers/features/node", "1")
    assert parse_ref("ghcr.io/a/b").version == "latest"
    assert parse_ref("127.0.0.1:5877/x/y:2").registry == "127.0.0.1:5877"
    digest = "sha256:" + "a" * 64
    assert parse_ref(f"ghcr.io/a/b@{digest}").version == digest
    assert parse_ref("./my-feature").kind == "local"
    assert parse_ref("https://example.com/devcontainer-feature-go.tgz").kind == "tarball"
    for bad in ("node", "/abs/feature", "http://example.com/devcontainer-feature-x.tgz", "ghcr.io/a/B:1",
                "https://example.com/x.tgz", "ghcr.io/a/b@sha256:12"):
        with pytest.raises(FeatureError):
            parse_ref(bad)


def test_option_variables_follow_the_spec():
    assert safe_id("version") == "VERSION"
    assert safe_id("install-tools") == "INSTALL_TOOLS"
    assert safe_id("1st.option") == "_ST_OPTION"
    definition = FeatureDefinition("x", {"id": "x", "options": {
        "version": {"type": "string", "default": "lts"}, "extra": {"type": "boolean", "default": False}}})
    assert option_values(definition, "18") == {"version": "18", "extra": False}
    assert option_values(definition, True) == {"version": "lts", "extra": False}
    assert option_values(definition, {"extra": True}) == {"version": "lts", "extra": True}
    assert env_file({"version": 'a"b$c', "extra": True}) == 'VERSION="a\\"b\\$c"\nEXTRA="true"\n'


def test_option_problems():
    definition = FeatureDefinition("x", {"id": "x", "options": {
        "flag": {"type": "boolean"}, "mode": {"type": "string", "enum": ["a", "b"]}, "text": {"type": "string"}}})
    assert option_problems(definition, {"flag": True, "mode": "a", "text": "t"}) == []
    found = dict(option_problems(definition, {"flag": "yes", "mode": "c", "text": 3, "nope": 1}))
    assert set(found) == {"flag", "mode", "text", "nope"}
    assert "boolean" in found["flag"] and '"a", "b"' in found["mode"] and "no option 'nope'" in found["nope"]
    assert option_problems(definition, "1.0")[0][0] is None  # no version option
    assert option_problems(definition, True) == []


def _feature(ref, **raw):
    return Feature(parse_ref(ref), {}, FeatureDefinition(raw.pop("id", ref.rsplit("/", 1)[-1].split(":")[0]),
                                                         {"id": "x", **raw}), "/f")


def _order(features, override=None):
    return [f.ref.written for f in install_order(features, override)]


def test_install_order_rounds():
    a = _feature("ghcr.io/o/a:1", installsAfter=["ghcr.io/o/c"])
    b = _feature("ghcr.io/o/b:1")
    c = _feature("ghcr.io/o/c:1")
    assert _order([a, b, c]) == ["ghcr.io/o/b:1", "ghcr.io/o/c:1", "ghcr.io/o/a:1"]
    # installsAfter a feature that is not there does not hold anything back
    assert _order([a, b]) == ["ghcr.io/o/a:1", "ghcr.io/o/b:1"]
    # the override puts c's round before b's
    assert _order([a, b, c], ["ghcr.io/o/c"]) == ["ghcr.io/o/c:1", "ghcr.io/o/a:1", "ghcr.io/o/b:1"]
    ordered = install_order([a, b, c])
    assert [f.consecutive_id for f in ordered] == ["b_0", "c_1", "a_2"]
    loop1 = _feature("ghcr.io/o/d:1", installsAfter=["ghcr.io/o/e"])
    loop2 = _feature("ghcr.io/o/e:1", installsAfter=["ghcr.io/o/d"])
    with pytest.raises(FeatureError, match="cycle"):
        install_order([loop1, loop2])


def test_depends_on_adds_the_dependency_and_installs_it_first():
    a = _feature("ghcr.io/o/a:1", dependsOn={"ghcr.io/o/z:1": {"opt": "v"}})
    asked = []

    def resolve(ref, options, by):
        asked.append((ref, options, by))
        return _feature(ref)

    features = add_dependencies([a], resolve)
    assert asked == [("ghcr.io/o/z:1", {"opt": "v"}, "ghcr.io/o/a:1")]
    assert _order(features) == ["ghcr.io/o/z:1", "ghcr.io/o/a:1"]


def _write_feature(folder, fid, install="echo hi\n", **raw):
    folder.mkdir(parents=True)
    (folder / "devcontainer-feature.json").write_text(json.dumps({"id": fid, "version": "1.0.0", **raw}))
    (folder / "install.sh").write_text("#!/bin/sh\n" + install)


def _project(tmp_path, config, **features):
    dc = tmp_path / ".devcontainer"
    dc.mkdir()
    for name, raw in features.items():
        _write_feature(dc / name, name, **raw)
    (dc / "devcontainer.json").write_text(json.dumps(config))
    return str(tmp_path)


def test_local_features_in_the_plan(tmp_path):
    folder = _project(tmp_path, {
        "image": "busybox", "containerEnv": {"A": "config"}, "postCreateCommand": "echo own",
        "mounts": ["type=volume,source=mine,target=/data"],
        "features": {"./hello": {"greeting": "hey"}, "./tools": {}},
    }, hello={"options": {"greeting": {"type": "string", "default": "hi"}}, "containerEnv": {"A": "feature"},
              "capAdd": ["SYS_PTRACE"], "init": True, "postCreateCommand": "echo hello",
              "mounts": [{"type": "volume", "source": "theirs", "target": "/data"},
                         {"type": "volume", "source": "cache", "target": "/cache"}],
              "entrypoint": "/usr/local/share/hello-init.sh", "customizations": {"vscode": {"extensions": ["x"]}}},
        tools={"installsAfter": ["./hello"], "privileged": True, "securityOpt": ["seccomp=unconfined"]})
    plan = make_plan(folder, DevelopOptions(environ={}))
    assert [p.message for p in plan.problems] == []
    spec = plan.main_container
    assert spec.features is not None and spec.features.base == "busybox"
    assert spec.image == spec.features.tag and spec.image.startswith("dockerls-features-busybox:")
    assert [f.user_id for f in spec.features.features] == ["./hello", "./tools"]
    assert spec.init and spec.privileged and spec.cap_add == ["SYS_PTRACE"]
    assert spec.security_opt == ["seccomp=unconfined"]
    assert spec.environment == {"A": "config"}  # the feature's containerEnv is in the image
    targets = {m.target: m.source for m in spec.mounts}
    assert targets["/data"] == "mine" and targets["/cache"] == "cache"
    assert Mount("volume", "cache", "/cache") in spec.mounts
    assert "/usr/local/share/hello-init.sh" in spec.entrypoint[2]
    assert [(c.step, c.commands[""][2]) for c in plan.lifecycle] == [
        ("postCreateCommand", "echo hello"), ("postCreateCommand", "echo own")]
    assert spec.labels["devcontainer.metadata"].startswith('[ {"id":"./hello",')
    metadata = metadata_entries(spec.labels["devcontainer.metadata"])
    assert metadata[0]["id"] == "./hello" and metadata[0]["capAdd"] == ["SYS_PTRACE"]
    assert "containerEnv" not in metadata[0] and metadata[1] == {"id": "./tools", "privileged": True,
                                                                  "securityOpt": ["seccomp=unconfined"]}
    assert metadata[2]["containerEnv"] == {"A": "config"} and metadata[2]["postCreateCommand"] == "echo own"
    files = spec.features.files["hello_0"]
    assert files["devcontainer-features.env"] == 'GREETING="hey"\n'
    text = dockerfile_text(spec.features, "busybox", "root", "root", "root")
    assert text.startswith("FROM busybox\nUSER root\n")
    assert text.index("ENV A=\"feature\"") < text.index("hello_0 /tmp/dev-container-features/hello_0")
    assert text.index("hello_0") < text.index("tools_1") and "LABEL devcontainer.metadata=" in text
    assert spec.labels["dockerls.config_hash"] == spec.config_hash()


def test_feature_problems_are_at_their_keys(tmp_path):
    folder = _project(tmp_path, {"image": "busybox", "features": {
        "./hello": {"nope": 1}, "./absent": {}, "node": {}, "ghcr.io/o/not-cached:1": {}}},
        hello={"options": {}})
    plan = make_plan(folder, DevelopOptions(environ={"XDG_CACHE_HOME": str(tmp_path / "cache")}))
    keys = {p.key: p.message for p in plan.problems}
    assert "no option 'nope'" in keys["features../hello.nope"]
    assert "does not exist" in keys["features../absent"]
    assert "not a feature reference" in keys["features.node"]
    assert all(p.range is not None and p.severity == "error" for p in plan.problems)
    assert plan.missing_features == ["ghcr.io/o/not-cached:1"]
    assert plan.main_container.features is None  # nothing is built until every feature is there


def test_hover_on_a_feature_and_its_options(tmp_path):
    from dockerls.kinds.devcontainer import KIND

    text = json.dumps({"image": "busybox", "features": {"./hello": {"greeting": "hey"}, "ghcr.io/o/x:1": {}}})
    folder = _project(tmp_path, json.loads(text), hello={
        "name": "Hello", "description": "Says hello", "options": {"greeting": {"type": "string", "default": "hi",
                                                                              "description": "what to say"}}})
    analysis = KIND.analyse(text, f"{folder}/.devcontainer/devcontainer.json")
    hover = analysis.hover(text.index("./hello") + 2)
    assert hover is not None and "**Hello** 1.0.0" in hover.markdown and "Says hello" in hover.markdown
    assert "| `greeting` | string | \"hi\" | what to say |" in hover.markdown
    option = analysis.hover(text.index("greeting") + 1)
    assert option is not None and option.markdown.startswith("**greeting**: string (default \"hi\")")
    assert analysis.hover(text.index("busybox")) is None


def test_a_dependency_to_download_is_missing_not_an_error(tmp_path):
    folder = _project(tmp_path, {"image": "busybox", "features": {"./hello": {}}},
                      hello={"dependsOn": {"ghcr.io/o/common:1": {}}})
    plan = make_plan(folder, DevelopOptions(environ={"XDG_CACHE_HOME": str(tmp_path / "cache")}))
    assert plan.problems == [] and plan.missing_features == ["ghcr.io/o/common:1"]
    assert plan.main_container.features is None


def test_the_metadata_label_keeps_variables_as_written_and_escapes_them_for_the_builder():
    from dockerls.develop.plan.features_apply import config_metadata_label, label_value

    raw = {"image": "busybox", "containerEnv": {"A": "${localWorkspaceFolderBasename}"}, "remoteUser": "root"}
    # a container without features: the list of devcontainer.json's entry, as the CLI writes it
    assert config_metadata_label(raw) == '[{"containerEnv":{"A":"${localWorkspaceFolderBasename}"},"remoteUser":"root"}]'
    assert config_metadata_label({"image": "busybox"}) == "[]"
    # in the extended image's Dockerfile the builder would substitute ${...}: escaped
    assert label_value('{"A":"${x}"}') == r'"{\"A\":\"\${x}\"}"'
