"""The pure Dockerfile services, without a server: hover, completion, navigation, symbols,
semantic tokens, links, signature help and ignore pragmas."""

from __future__ import annotations

import pytest

from dockerls.lint.fixes import apply_edits
from dockerls.parse.dockerfile import parse_dockerfile
from dockerls.parse.dockerfile.parser import INSTRUCTIONS
from dockerls.services import dockerfile_docs, links, navigation, pragmas, semantic_tokens, symbols
from dockerls.services.completion import complete
from dockerls.services.dockerfile_index import build_index
from dockerls.services.hover import hover
from dockerls.services.signature_help import signature_help
from tests.conftest import shared_corpus

TEXT = """\
# syntax=docker/dockerfile:1
ARG VERSION=1.2
FROM golang:${VERSION} AS build
ENV CGO=0 OUT=/bin/app
RUN go build -o $OUT ./... && echo ${OUT:-none}
FROM build AS test
RUN go test ./...
FROM scratch
COPY --from=build /bin/app /app
"""


def at(needle: str, delta: int = 0, text: str = TEXT) -> int:
    return text.index(needle) + delta


@pytest.fixture(scope="module")
def df():
    return parse_dockerfile(TEXT)


@pytest.fixture(scope="module")
def index(df):
    return build_index(df)


def test_every_instruction_and_flag_has_its_own_docs():
    assert set(dockerfile_docs.INSTRUCTIONS) == set(INSTRUCTIONS)
    for keyword, doc in dockerfile_docs.INSTRUCTIONS.items():
        assert doc.summary and doc.details and doc.forms and dockerfile_docs.instruction_markdown(keyword)
        for flag in doc.flags:
            assert dockerfile_docs.flag_markdown(keyword, flag.name)
    for name in ("syntax", "escape", "check"):
        assert dockerfile_docs.directive_markdown(name)


def test_hover_nested_default_and_global_arg(df, index):
    h = hover(df, at("${OUT:-none}", 3), lambda: index)
    assert "/bin/app" in h.markdown
    h = hover(df, at("${VERSION}", 3), lambda: index)
    assert "1.2" in h.markdown and "global ARG" in h.markdown
    h = hover(df, at("golang:"), lambda: index)
    assert "golang:1.2" in h.markdown


def test_hover_declaration_and_stage_name(df, index):
    assert "/bin/app" in hover(df, at("OUT=/bin"), lambda: index).markdown
    assert "used 2 time(s)" in hover(df, at("build AS test") - 5, lambda: index).markdown or \
        "used" in hover(df, at("AS build", 4), lambda: index).markdown


def test_hover_undeclared_and_predefined_variables():
    text = "FROM alpine\nRUN echo $NOPE $TARGETARCH\n"
    df = parse_dockerfile(text)
    idx = build_index(df)
    assert "not declared" in hover(df, at("$NOPE", 1, text), lambda: idx).markdown
    assert "predefined" in hover(df, at("$TARGETARCH", 1, text), lambda: idx).markdown


def test_hover_check_directive_rule():
    text = "# check=skip=JSONArgsRecommended\nFROM alpine\n"
    df = parse_dockerfile(text)
    h = hover(df, at("JSONArgs", 2, text), lambda: build_index(df))
    assert h is not None and "JSONArgsRecommended" in h.markdown


def test_completion_in_from_and_healthcheck():
    text = "FROM alpine AS base\nFROM \nFROM base \nHEALTHCHECK \n"
    df = parse_dockerfile(text)
    labels = [c.label for c in complete(df, at("FROM \n", 5, text))]
    assert labels == ["base", "scratch", "--platform"]  # the flag too, as the peer offers it
    assert [c.label for c in complete(df, at("FROM base ", 10, text))] == ["AS"]
    assert [c.label for c in complete(df, at("HEALTHCHECK ", 12, text))] == ["CMD", "NONE"]


def test_completion_onbuild_and_plain_keywords():
    text = "FROM alpine\nONBUILD \n"
    df = parse_dockerfile(text)
    labels = {c.label for c in complete(df, at("ONBUILD ", 8, text))}
    assert "RUN" in labels and not {"FROM", "ONBUILD", "MAINTAINER"} & labels
    plain = complete(parse_dockerfile("FR"), 2, snippets=False)
    assert all(not c.snippet and c.insert_text.endswith(" ") for c in plain)


def test_completion_braced_variable_closes_the_brace():
    text = "FROM alpine\nENV OUT=/x\nRUN echo ${OU"
    result = {c.label: c for c in complete(parse_dockerfile(text), len(text))}
    assert result["OUT"].insert_text == "OUT}"


def test_navigation_numeric_stage_reference():
    text = "FROM alpine AS a\nFROM alpine\nCOPY --from=0 /x /x\n"
    idx = build_index(parse_dockerfile(text))
    assert navigation.definition(idx, at("--from=0", 7, text)) == [(at("a\n", 0, text), at("a\n", 1, text))]


def test_rename_refuses_taken_stage_name(index):
    with pytest.raises(navigation.RenameError):
        navigation.rename(index, at("AS test", 3), "build")


def test_rename_global_arg_renames_its_stage_declarations():
    text = "ARG V=1\nFROM alpine:$V\nARG V\nRUN echo $V\n"
    idx = build_index(parse_dockerfile(text))
    assert apply_edits(text, navigation.rename(idx, 4, "W")) == "ARG W=1\nFROM alpine:$W\nARG W\nRUN echo $W\n"


def test_symbols_folds_and_selection(df):
    outline = symbols.document_symbols(df)
    assert [s.name for s in outline] == ["ARG VERSION", "build", "test", "stage 2"]
    folds = symbols.folding_ranges(df)
    assert any(f.start_line == 2 and f.end_line == 4 for f in folds)
    spans = symbols.selection_ranges(df, at("/bin/app /app", 2))
    assert TEXT[slice(*spans[0])] == "/bin/app" and spans[-1] == (0, len(TEXT))


def test_links_only_for_real_images(df):
    found = [(TEXT[link.start:link.end], link.target) for link in links.document_links(df)]
    # golang:${VERSION} links to the image its ARG default gives; build is a stage, scratch no image
    assert found == [("golang:${VERSION}", "https://hub.docker.com/_/golang")]
    text = "ARG BASE=build\nARG UNSET\nFROM alpine AS build\nFROM ${BASE}\nFROM $UNSET\n"
    assert links.document_links(parse_dockerfile(text))[1:] == []  # a stage by its name; nothing
    text = "FROM docker.io/library/nginx:1\nFROM mcr.microsoft.com/dotnet/sdk:8.0\nFROM registry.example.com/x:1\n"
    found = [link.target for link in links.document_links(parse_dockerfile(text))]
    assert found == ["https://hub.docker.com/_/nginx", "https://mcr.microsoft.com/artifact/mar/dotnet/sdk"]


def test_signature_help_exec_form():
    text = "FROM alpine\nCMD [\"a\", "
    found = signature_help(parse_dockerfile(text), len(text))
    assert found.signatures[found.active_signature].label.startswith("CMD [")


def test_pragma_edits():
    text = "# syntax=docker/dockerfile:1\nFROM alpine\n# hadolint global ignore=DL3006\n"
    df = parse_dockerfile(text)
    assert apply_edits(text, [pragmas.ignore_for_file(df, "DL3007")]).endswith("ignore=DL3006,DL3007\n")
    text = "# syntax=docker/dockerfile:1\nFROM alpine\n"
    df = parse_dockerfile(text)
    assert apply_edits(text, [pragmas.ignore_for_file(df, "DL3007")]) == \
        "# syntax=docker/dockerfile:1\n# dockerls global ignore=DL3007\nFROM alpine\n"
    text = "FROM alpine\n  RUN x\n"
    df = parse_dockerfile(text)
    assert apply_edits(text, [pragmas.ignore_for_instruction(df, df.instructions[1], "DL3059")]) == \
        "FROM alpine\n  # dockerls ignore=DL3059\n  RUN x\n"
    assert pragmas.code_at("# dockerls ignore=DL3008, DL3009", 27) == "DL3009"


def test_semantic_tokens_on_the_corpus_are_sorted_single_line_and_disjoint():
    for path in sorted(shared_corpus("official").glob("*Dockerfile")):
        df = parse_dockerfile(path.read_bytes(), str(path))
        found = semantic_tokens.tokens(df, build_index(df))
        assert found, path.name
        for a, b in zip(found, found[1:]):
            assert a.end <= b.start, path.name
        assert all("\n" not in df.text[t.start:t.end] and t.end > t.start for t in found), path.name


def test_services_never_fail_at_any_offset_of_the_corpus():
    for path in sorted(shared_corpus("official").glob("*Dockerfile"))[:12]:
        df = parse_dockerfile(path.read_bytes(), str(path))
        idx = build_index(df)
        for offset in range(0, len(df.text) + 1, 7):
            hover(df, offset, lambda idx=idx: idx)
            complete(df, offset)
            signature_help(df, offset)
            navigation.highlights(idx, offset)
            symbols.selection_ranges(df, offset)


def test_links_for_ghcr_quay_mcr_and_images_built_from_args():
    from dockerls import kinds

    text = ("ARG BASE=ghcr.io/astral-sh/uv\nARG TAG=0.5\nFROM ${BASE}:${TAG} AS a\n"
            "FROM quay.io/prometheus/node-exporter:v1\nFROM mcr.microsoft.com/dotnet/sdk:8.0\n"
            "FROM ghcr.io/foo/bar/baz:1\nFROM $UNSET\nFROM a\n")
    links = kinds.named("dockerfile").analyse(text, None).links()
    assert [(text[link.start : link.end], link.target) for link in links] == [
        ("${BASE}:${TAG}", "https://github.com/users/astral-sh/packages/container/package/uv"),
        ("quay.io/prometheus/node-exporter:v1", "https://quay.io/repository/prometheus/node-exporter"),
        ("mcr.microsoft.com/dotnet/sdk:8.0", "https://mcr.microsoft.com/artifact/mar/dotnet/sdk"),
        ("ghcr.io/foo/bar/baz:1", "https://github.com/users/foo/packages/container/package/bar%2Fbaz"),
    ]
    assert links[0].tooltip == "Open ghcr.io/astral-sh/uv:0.5 on its registry"
