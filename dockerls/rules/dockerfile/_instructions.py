"""Shared knowledge for the instruction-level rules: paths, archives, remote sources, stage usage."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dockerls.parse.dockerfile.scope import values_of
from dockerls.text import small_number
from dockerls.parse.dockerfile.variables import expand, find_refs

if TYPE_CHECKING:
    from dockerls.lint.context import LintContext
    from dockerls.parse.dockerfile.model import Dockerfile, Instruction, Word

# hadolint's archive extensions (DL3010, DL3020); ".zip" is not one: ADD does not unpack it.
ARCHIVE_EXTENSIONS = (".tar", ".Z", ".bz2", ".gz", ".lz", ".lzma", ".tZ", ".tb2", ".tbz", ".tbz2", ".tgz",
                      ".tlz", ".tpz", ".txz", ".xz")
# Names ADD unpacks: tar archives, plain or compressed with gzip, bzip2, xz or zstd.
_TAR_SUFFIXES = (".tar", ".tgz", ".tb2", ".tbz", ".tbz2", ".txz", ".tzst")
_TAR_COMPRESSED = (".gz", ".bz2", ".xz", ".zst")
_REMOTE_PREFIXES = ("http://", "https://", "git@", "git://")


def drop_quotes(text: str) -> str:
    return text.strip("\"'")


def is_archive(path: str) -> bool:
    return drop_quotes(path).endswith(ARCHIVE_EXTENSIONS)


def is_tar_archive(path: str) -> bool:
    """A name ADD would unpack (``app.tar.gz``, ``app.tgz``); a lone ``data.gz`` is not a tar."""
    name = basename(path).lower()
    if name.endswith(_TAR_SUFFIXES):
        return True
    stem, dot, ext = name.rpartition(".")
    return bool(dot) and f".{ext}" in _TAR_COMPRESSED and stem.endswith(".tar")


def is_remote(source: str) -> bool:
    """A URL or git source that ADD fetches (COPY cannot)."""
    return drop_quotes(source).lower().startswith(_REMOTE_PREFIXES)


def basename(path: str) -> str:
    """The last part of a path; Windows paths (``C:\\app\\a.tar``, kept as written under
    ``# escape=```) too."""
    path = drop_quotes(path)
    if "\\" in path:
        path = path.replace("\\", "/")
    return path.rstrip("/").rsplit("/", 1)[-1]


def is_absolute(path: str) -> bool:
    """Absolute for hadolint: ``/x``, anything starting with a variable, or a Windows drive path."""
    path = drop_quotes(path)
    if path.startswith(("/", "$")):
        return True
    return len(path) >= 2 and path[0].isalpha() and path[1] == ":"


def sources_and_dest(ins: Instruction) -> tuple[list[Word], Word | None]:
    """COPY/ADD arguments split into the sources and the destination (heredoc markers are sources)."""
    words = ins.words
    if not words:
        return [], None
    return list(words[:-1]), words[-1]


def resolve_known(ctx: LintContext, ins: Instruction, text: str) -> str | None:
    """``text`` with its variables expanded, or None when one of them has no known value."""
    refs = find_refs(text, ctx.df.escape)
    if not refs:
        return text
    scope = ctx.variables(ins)
    values = values_of(scope)
    for ref in refs:
        if values(ref.name) is None and not ref.operator:
            return None
    return expand(text, values, ctx.df.escape)


def stage_index_of(df: Dockerfile, name: str, before: Instruction) -> int | None:
    """The stage ``--from=name`` (a stage name or index) points to, if it is defined before ``before``."""
    if name.isdigit():
        index = small_number(name)
        if index is not None and index < len(df.stages) and df.stages[index].from_instruction.index < before.index:
            return index
        return None
    stage = df.stage_by_name(name)
    if stage is not None and stage.from_instruction.index < before.index:
        return stage.index
    return None


def parent_stage(df: Dockerfile, stage_index: int) -> int | None:
    """The earlier stage this stage is built ``FROM``, if any."""
    ins = df.stages[stage_index].from_instruction
    image = ins.image
    if image is None or image.tag or image.digest or image.registry or image.has_variables:
        return None
    return stage_index_of(df, image.name, ins)


def final_stages(df: Dockerfile) -> list[int]:
    """Stages that can end up as a run image: the last one, and those no other stage uses
    (as a base or through ``COPY --from`` / ``RUN --mount=from=``)."""
    used: set[int] = set()
    for stage in df.stages:
        parent = parent_stage(df, stage.index)
        if parent is not None:
            used.add(parent)
        for ins in stage.instructions[1:]:
            for ref in ins.stage_refs():
                index = stage_index_of(df, ref.name, ins)
                if index is not None and index != stage.index:
                    used.add(index)
    last = len(df.stages) - 1
    return [s.index for s in df.stages if s.index == last or s.index not in used]


def image_stages(df: Dockerfile) -> set[int]:
    """Stages whose layers end up in an image: the final stages and the stages they are built on."""
    out: set[int] = set()
    for final in final_stages(df):
        index: int | None = final
        while index is not None and index not in out:
            out.add(index)
            index = parent_stage(df, index)
    return out
