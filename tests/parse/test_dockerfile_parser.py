"""The Dockerfile model: exact ranges of every piece, on hand-written fixtures."""

import time

from dockerls.parse.dockerfile import parse_dockerfile
from dockerls.parse.dockerfile.dump import dump


def text_of(df, rng):
    return df.text[rng.start_offset : rng.end_offset]


def test_instructions_keywords_and_args():
    df = parse_dockerfile("from alpine:3.20 as Build\nrun echo hi\n")
    assert [i.keyword for i in df.instructions] == ["FROM", "RUN"]
    assert df.instructions[0].keyword_text == "from"
    run = df.instructions[1]
    assert text_of(df, run.keyword_range) == "run"
    assert text_of(df, run.args_range) == "echo hi"
    assert run.stage_index == 0 and run.index == 1


def test_flags_with_name_and_value_ranges():
    df = parse_dockerfile("FROM a:1\nCOPY --from=build --chown=1000:1000 --link src/ /app/\n"
                          "RUN --mount=type=cache,target=/root/.cache pip install x\n")
    copy = df.instructions[1]
    assert [(f.name, f.value) for f in copy.flags] == [("from", "build"), ("chown", "1000:1000"), ("link", None)]
    assert text_of(df, copy.flags[0].range) == "--from=build"
    assert text_of(df, copy.flags[0].name_range) == "from"
    assert text_of(df, copy.flags[0].value_range) == "build"
    assert copy.flags[2].value_range is None
    assert [w.value for w in copy.words] == ["src/", "/app/"]
    run = df.instructions[2]
    assert run.flag("mount").value == "type=cache,target=/root/.cache"
    assert run.args_text == "pip install x"


def test_exec_form_and_fallback_to_shell_form():
    df = parse_dockerfile('FROM a:1\nCMD ["python", "app.py"]\nCMD [python, "x"]\nENTRYPOINT [ "a" ]\n')
    cmd, bad, ep = df.instructions[1:]
    assert cmd.json == ["python", "app.py"]
    assert [text_of(df, w.range) for w in cmd.words] == ['"python"', '"app.py"']
    assert bad.json is None and bad.args_text == '[python, "x"]'  # invalid JSON: shell form, as BuildKit
    assert ep.json == ["a"]


def test_continuations_comments_and_empty_lines():
    src = "FROM a:1\nRUN apt-get update \\\n    # a comment\n\n    && apt-get install -y x\n"
    df = parse_dockerfile(src)
    run = df.instructions[1]
    assert run.args_text == "apt-get update     && apt-get install -y x"
    assert run.empty_continuation_lines == [3]
    assert [(df.lines.position(o).line, df.lines.position(o).character) for o in run.continuations] == [(1, 19)]
    assert src[run.continuations[0]] == "\\"
    assert [c.text for c in df.comments] == ["a comment"] and df.comments[0].in_continuation
    i = run.args_text.index("&&")
    assert df.lines.position(run.doc_offset(i)).line == 4  # joined text maps back to the right line
    assert run.range.end.line == 4


def test_a_line_holding_only_the_escape_leaves_the_keyword_on_the_next_line():
    # BuildKit trims the joined line, so the next line's indentation is not part of the keyword.
    df = parse_dockerfile("FROM a\n\\\n  run x\n")
    run = df.instructions[1]
    assert (run.keyword, run.keyword_text, run.args_text) == ("RUN", "run", "x")
    assert (run.range.start.line, run.range.start.character) == (2, 2)
    assert not df.problems


def test_backtick_escape_directive():
    df = parse_dockerfile("# escape=`\nFROM mcr.microsoft.com/windows:ltsc2022\nRUN dir `\n  c:\\\n")
    assert df.escape == "`"
    assert df.instructions[1].args_text == "dir   c:\\"


def test_directives_only_at_the_top():
    df = parse_dockerfile("# syntax=docker/dockerfile:1\n# check=skip=StageNameCasing\n\n# escape=`\nFROM a:1\n")
    assert [(d.name, d.value) for d in df.directives] == [("syntax", "docker/dockerfile:1"),
                                                           ("check", "skip=StageNameCasing")]
    assert df.escape == "\\"
    d = df.directives[0]
    assert text_of(df, d.name_range) == "syntax" and text_of(df, d.value_range) == "docker/dockerfile:1"


def test_image_reference_parts():
    df = parse_dockerfile("FROM registry.example.com:5000/team/app:1.2@sha256:abc AS build\n")
    ins = df.instructions[0]
    img = ins.image
    assert (img.registry, img.name, img.tag, img.digest) == ("registry.example.com:5000", "team/app", "1.2", "sha256:abc")
    assert text_of(df, img.registry_range) == "registry.example.com:5000"
    assert text_of(df, img.name_range) == "team/app"
    assert text_of(df, img.tag_range) == "1.2"
    assert text_of(df, img.digest_range) == "sha256:abc"
    assert ins.stage_name.value == "build" and text_of(df, ins.as_range) == "AS"
    assert df.stages[0].name == "build"
    hub = parse_dockerfile("FROM library/ubuntu\n").instructions[0].image
    assert hub.registry is None and hub.name == "library/ubuntu" and hub.tag is None


def test_stages_and_membership():
    df = parse_dockerfile("ARG V=1\nFROM a:1 AS one\nRUN x\nFROM one\nRUN y\n")
    assert [s.name for s in df.stages] == ["one", None]
    assert [i.stage_index for i in df.instructions] == [-1, 0, 0, 1, 1]
    assert [i.keyword for i in df.stages[1].instructions] == ["FROM", "RUN"]
    assert [i.keyword for i in df.global_args] == ["ARG"]


def test_onbuild_inner_instruction():
    df = parse_dockerfile("FROM a:1\nONBUILD RUN echo hi\n")
    ob = df.instructions[1]
    assert ob.inner.keyword == "RUN" and ob.inner.args_text == "echo hi"
    assert text_of(df, ob.inner.keyword_range) == "RUN"
    assert dump(df) == '(from "a:1")\n(onbuild (run "echo hi"))\n'


def test_env_label_arg_pairs():
    df = parse_dockerfile('FROM a:1\nENV A=1 B="two words"\nENV LEGACY some value\nARG X Y=2\nLABEL "k"=v\n')
    env, legacy, arg, label = df.instructions[1:]
    assert [(p.key, p.value, p.raw_value) for p in env.pairs] == [("A", "1", "1"), ("B", "two words", '"two words"')]
    assert text_of(df, env.pairs[1].key_range) == "B"
    assert text_of(df, env.pairs[1].value_range) == '"two words"'
    assert legacy.pairs[0].legacy and legacy.pairs[0].value == "some value"
    assert [(p.key, p.value) for p in arg.pairs] == [("X", None), ("Y", "2")]
    assert label.pairs[0].key == "k"


def test_heredocs():
    src = ("FROM a:1\nRUN <<EOT bash\nset -e\necho hi\nEOT\n"
           "COPY <<-\"A\" /a <<'B' /b\n\tone\n\tA\ntwo\nB\nCMD x\n")
    df = parse_dockerfile(src)
    run, copy, cmd = df.instructions[1:]
    h = run.heredocs[0]
    assert (h.name, h.strip_tabs, h.quoted, h.terminated) == ("EOT", False, False, True)
    assert h.body == "set -e\necho hi\n"
    assert text_of(df, h.name_range) == "<<EOT"
    assert text_of(df, h.terminator_range) == "EOT"
    assert [(x.name, x.strip_tabs, x.quoted) for x in copy.heredocs] == [("A", True, True), ("B", False, True)]
    assert copy.heredocs[1].body == "two\n"
    assert cmd.keyword == "CMD" and cmd.line == 10
    assert run.range.end.line == 4


def test_unterminated_heredoc_is_reported():
    df = parse_dockerfile("FROM a:1\nRUN <<EOF\necho\n")
    assert df.instructions[1].heredocs[0].terminated is False
    assert [p.code for p in df.problems] == ["DF006"]


def test_heredoc_marker_in_quotes_is_not_a_heredoc():
    df = parse_dockerfile("FROM a:1\nRUN echo '<<EOF'\nCMD x\n")
    assert df.instructions[1].heredocs == [] and len(df.instructions) == 3


def test_bad_input_never_raises_and_is_reported():
    assert [p.code for p in parse_dockerfile(b"\x00\x01binary").problems] == ["DF001"]
    bad = parse_dockerfile(b"FROM a:1\nLABEL x=\xff\n")
    assert [p.code for p in bad.problems] == ["DF002"] and bad.problems[0].range.start.line == 1
    assert [p.code for p in parse_dockerfile(b"").problems] == ["DF003"]
    assert parse_dockerfile("\ufeffFROM a:1\n").instructions[0].keyword == "FROM"  # BOM dropped
    for src in ("RUN \\", "FROM", "ONBUILD", "ENV", "HEALTHCHECK", "COPY <<", "RUN <<'' x", "FROM a AS",
                "CMD [\"a\"", "\\\n\\\n", "ENV a=\"unclosed", "LABEL =", "ARG ="):
        parse_dockerfile(src)


def test_huge_inputs_are_linear():
    start = time.thread_time()
    parse_dockerfile("RUN " + "a" * 1_000_000 + "\n")
    parse_dockerfile("FROM a:1\n" + "RUN x \\\n" * 20_000 + "y\n")
    parse_dockerfile("RUN <<EOF\n" + "x\n" * 100_000)
    assert time.thread_time() - start < 3
