"""Semantic tokens inside RUN's shell: command names, options, quoted strings, variables."""

from dockerls.parse.dockerfile import parse_dockerfile
from dockerls.services.dockerfile_index import build_index
from dockerls.services.semantic_tokens import tokens


def _shown(text: str) -> list[tuple[str, str]]:
    df = parse_dockerfile(text)
    return [(text[t.start : t.end], t.type) for t in tokens(df, build_index(df))]


def test_run_shell_form_across_a_continuation():
    text = ("FROM alpine\nARG V=1\nRUN apt-get install -y --no-install-recommends \"curl $V\" \\\n"
            "    && sudo rm -rf -- -x 'a b' > /dev/null\n")
    assert _shown(text)[4:] == [
        ("RUN", "keyword"), ("apt-get", "function"), ("-y", "parameter"),
        ("--no-install-recommends", "parameter"), ('"curl ', "string"), ("$V", "variable"), ('"', "string"),
        ("sudo", "function"), ("rm", "function"), ("-rf", "parameter"), ("'a b'", "string"),
    ]


def test_heredoc_body_option_values_and_exec_form():
    text = "FROM alpine\nRUN <<EOF\nset -eux\ncurl --retry=3 ${URL}\nEOF\nCMD [\"ls\", \"-l\"]\n"
    assert _shown(text)[2:] == [
        ("RUN", "keyword"), ("EOF", "string"), ("set", "function"), ("-eux", "parameter"),
        ("curl", "function"), ("--retry", "parameter"), ("${URL}", "variable"), ("EOF", "string"),
        ("CMD", "keyword"),  # the exec form is no shell
    ]
