"""The Dockerfile model's derived views: flag options and stage references."""

from __future__ import annotations

from dockerls.parse.dockerfile import parse_dockerfile


def _ins(text: str, index: int = -1):
    return parse_dockerfile(text).instructions[index]


def test_flag_options_are_split_once_with_offsets():
    ins = _ins('FROM a\nRUN --mount="type=cache, target=/root/.cache ,readonly" true\n')
    flag = ins.flag("mount")
    keys = [(o.key, o.value) for o in flag.options]
    assert keys == [("type", "cache"), ("target", "/root/.cache"), ("readonly", None)]
    assert flag.options is flag.options
    target = flag.options[1]
    assert flag.value[target.start:target.start + len(target.value)] == "/root/.cache"
    assert flag.option("type") == "cache" and flag.option("from") is None


def test_stage_refs_of_from_copy_and_mount():
    text = "FROM alpine AS build\nFROM build\nCOPY --from=build /a /a\nRUN --mount=type=bind,from=build,target=/b ls\n"
    df = parse_dockerfile(text)
    refs = [(r.kind, r.name, text[r.start:r.end]) for ins in df.instructions for r in ins.stage_refs()]
    assert refs == [("from", "alpine", "alpine"), ("from", "build", "build"), ("copy", "build", "build"),
                    ("mount", "build", "build")]


def test_stage_refs_skip_images_that_cannot_be_stages_and_quoted_offsets():
    assert _ins("FROM alpine:3\n").stage_refs() == []
    assert _ins("FROM $BASE\n").stage_refs() == []
    ref, = _ins('FROM a\nCOPY --from="build" /a /a\n').stage_refs()
    assert ref.name == "build" and ref.start is None
