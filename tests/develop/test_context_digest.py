"""The build context digest: .dockerignore as the engine applies it, links not followed, a stat cache."""

import os

from dockerls.develop.context_digest import context_digest, describe_changes

OLD = 10**10  # "now", far after every file's times: nothing is racily clean


def _tree(root, files):
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_dockerignore_is_applied_as_the_engine_does(tmp_path):
    _tree(tmp_path, {"a.txt": "a", "build/out.o": "x", "build/keep.txt": "k", "src/m.py": "m"})
    (tmp_path / ".dockerignore").write_text("build\n!build/keep.txt\n")
    digest = context_digest(str(tmp_path), "", OLD)
    assert set(digest.entries) == {".dockerignore", "a.txt", "build/keep.txt", "src", "src/m.py"}
    before = digest.digest
    (tmp_path / "build" / "out.o").write_text("changed")
    assert context_digest(str(tmp_path), "", OLD).digest == before
    (tmp_path / "build" / "keep.txt").write_text("changed")
    assert context_digest(str(tmp_path), "", OLD).digest != before


def test_links_are_hashed_as_links_not_followed(tmp_path):
    outside = tmp_path / "outside"
    _tree(outside, {"secret": "s"})
    ctx = tmp_path / "ctx"
    _tree(ctx, {"a": "a"})
    os.symlink(outside, ctx / "out")
    digest = context_digest(str(ctx), "", OLD)
    assert digest.entries["out"] == f"l:{outside}"
    assert not any(p.startswith("out/") for p in digest.entries)
    before = digest.digest
    (outside / "secret").write_text("changed")
    assert context_digest(str(ctx), "", OLD).digest == before


def test_mode_bits_count(tmp_path):
    _tree(tmp_path, {"run.sh": "echo"})
    before = context_digest(str(tmp_path), "", OLD).digest
    os.chmod(tmp_path / "run.sh", 0o755)
    assert context_digest(str(tmp_path), "", OLD).digest != before


def test_the_stat_cache_avoids_reading_and_names_the_changes(tmp_path):
    ctx, cache = tmp_path / "ctx", tmp_path / "cache"
    _tree(ctx, {f"f{i}.txt": str(i) for i in range(20)})
    cold = context_digest(str(ctx), str(cache), OLD)
    assert cold.hashed == 20 and cold.previous_digest is None
    warm = context_digest(str(ctx), str(cache), OLD)
    assert warm.hashed == 0 and warm.digest == cold.digest and warm.changed_since(cold.digest) == []
    (ctx / "f3.txt").write_text("three, longer")
    (ctx / "new.txt").write_text("n")
    changed = context_digest(str(ctx), str(cache), OLD)
    assert changed.hashed == 2 and changed.digest != cold.digest
    assert changed.changed_since(cold.digest) == ["f3.txt", "new.txt"]
    assert changed.changed_since("something else") is None
    assert [p.name for p in cache.iterdir()] and all(p.suffix == ".json" for p in cache.iterdir())


def test_recently_modified_files_are_not_trusted_from_the_cache(tmp_path):
    ctx, cache = tmp_path / "ctx", tmp_path / "cache"
    _tree(ctx, {"a": "1"})
    context_digest(str(ctx), str(cache))  # "now": a was just written, so it is not cached
    assert context_digest(str(ctx), str(cache)).hashed == 1


def test_a_corrupt_cache_is_ignored(tmp_path):
    ctx, cache = tmp_path / "ctx", tmp_path / "cache"
    _tree(ctx, {"a": "1"})
    first = context_digest(str(ctx), str(cache), OLD)
    for path in cache.iterdir():
        path.write_text("{not json")
    assert context_digest(str(ctx), str(cache), OLD).digest == first.digest


def test_describe_changes():
    assert describe_changes(["a"]) == "a"
    assert describe_changes([str(i) for i in range(8)]) == "0, 1, 2, 3, 4 and 3 more"
