"""BuildKit's own parser fixtures (../shared/corpus/buildkit-parser): instruction by instruction."""

import pytest

from dockerls.parse.dockerfile import parse_dockerfile
from dockerls.parse.dockerfile.dump import dump
from dockerls.discover import kind_of
from tests.conftest import SHARED, shared_corpus

_ROOT = SHARED / "corpus" / "buildkit-parser"
_CASES = sorted(p.name for p in _ROOT.iterdir() if (p / "result").exists()) if _ROOT.is_dir() else []
_NEGATIVE = sorted(p.name for p in (_ROOT / "negative").iterdir()) if (_ROOT / "negative").is_dir() else []


@pytest.mark.parametrize("name", _CASES or ["(corpus absent)"])
def test_fixture_matches_buildkit_dump(name):
    root = shared_corpus("buildkit-parser")
    df = parse_dockerfile((root / name / "Dockerfile").read_bytes())
    expected = (root / name / "result").read_text(encoding="utf-8")
    assert dump(df).splitlines() == expected.splitlines()
    assert not [p for p in df.problems if p.severity == "error"]


@pytest.mark.parametrize("name", _NEGATIVE or ["(corpus absent)"])
def test_negative_fixture_is_an_error(name):
    root = shared_corpus("buildkit-parser", "negative")
    df = parse_dockerfile((root / name / "Dockerfile").read_bytes())
    assert [p for p in df.problems if p.severity == "error"]


def test_line_numbers_fixture():
    root = shared_corpus("buildkit-parser", "testfile-line")
    df = parse_dockerfile((root / "Dockerfile").read_bytes())
    spans = [(i.range.start.line + 1, i.range.end.line + 1) for i in df.instructions]
    assert spans == [(5, 5), (11, 12), (17, 31)]


def test_every_official_dockerfile_parses_cleanly():
    root = shared_corpus("official")
    for path in sorted(p for p in root.iterdir() if kind_of(p) == "dockerfile"):
        df = parse_dockerfile(path.read_bytes(), str(path))
        assert df.stages, path
        assert not [p for p in df.problems if p.severity == "error"], (path, df.problems)
