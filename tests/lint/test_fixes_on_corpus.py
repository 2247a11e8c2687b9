"""Every fix, applied to every real Dockerfile: the result parses as well as before and has no
finding the original did not have."""

from collections import Counter

from dockerls.check import lint_text
from dockerls.config import DEFAULT
from dockerls.lint.fixes import fix_text
from dockerls.parse.dockerfile import parse_dockerfile
from dockerls.discover import kind_of
from tests.conftest import shared_corpus


def _lint(text):
    return lint_text(text, "dockerfile", DEFAULT, None)[2]


def test_all_fixes_keep_every_corpus_file_sound():
    root = shared_corpus()
    paths = sorted(p for p in root.rglob("*") if p.is_file() and kind_of(p) == "dockerfile")
    assert paths
    applied = 0
    for path in paths:
        original = parse_dockerfile(path.read_bytes())
        text = original.text
        before = Counter(f.code for f in _lint(text))
        result = fix_text(text, _lint, unsafe=True)
        applied += len(result.applied)
        assert _errors(parse_dockerfile(result.text)) <= _errors(original), path
        new = {code for code, n in Counter(f.code for f in _lint(result.text)).items() if n > before.get(code, 0)}
        assert not new, (path, new)
    assert applied > 0


def _errors(df) -> int:
    return sum(1 for p in df.problems if p.severity == "error")
