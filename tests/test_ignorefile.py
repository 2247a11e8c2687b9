import random
import time

import pytest

from dockerls.ignorefile import IgnoreRules


def git(text: str, base: str = "") -> IgnoreRules:
    return IgnoreRules.parse(text, "git", base)


def docker(text: str) -> IgnoreRules:
    return IgnoreRules.parse(text, "docker")


# --- git -----------------------------------------------------------------------------------------

GIT_CASES = [
    # pattern, path, is_dir, ignored
    ("foo", "foo", False, True),
    ("foo", "a/b/foo", False, True),  # no slash: any depth
    ("foo", "a/foo", True, True),
    ("foo", "foobar", False, False),
    ("foo", "afoo", False, False),
    ("*.md", "README.md", False, True),
    ("*.md", "docs/deep/x.md", False, True),
    ("*.md", "x.mdx", False, False),
    ("/root.txt", "root.txt", False, True),  # leading slash anchors
    ("/root.txt", "sub/root.txt", False, False),
    ("a/b", "a/b", False, True),  # middle slash anchors
    ("a/b", "x/a/b", False, False),
    ("a/*.c", "a/x.c", False, True),
    ("a/*.c", "a/sub/x.c", False, False),  # * does not cross /
    ("a?c", "abc", False, True),
    ("a?c", "a/c", False, False),  # ? does not match /
    ("a?c", "ac", False, False),
    ("**/foo", "foo", False, True),
    ("**/foo", "x/y/foo", False, True),
    ("**/x/foo", "x/foo", False, True),
    ("**/x/foo", "a/x/foo", False, True),
    ("**/x/foo", "a/y/foo", False, False),
    ("abc/**", "abc/x", False, True),
    ("abc/**", "abc/x/y", False, True),
    ("abc/**", "abc", True, False),  # "everything inside", not the folder itself
    ("a/**/b", "a/b", False, True),
    ("a/**/b", "a/x/b", False, True),
    ("a/**/b", "a/x/y/b", False, True),
    ("a/**/b", "a/x/c", False, False),
    ("a**b", "axyb", False, True),  # not slash-delimited: an ordinary *
    ("a**b", "ax/yb", False, False),
    ("[a-c]x", "bx", False, True),
    ("[a-c]x", "dx", False, False),
    ("[!a-c]x", "dx", False, True),
    ("[!a-c]x", "bx", False, False),
    ("[^a-c]x", "dx", False, True),
    ("[]]x", "]x", False, True),  # ] first in a class is literal
    ("[[:digit:]]x", "7x", False, True),
    ("[[:digit:]]x", "ax", False, False),
    ("x[!a]y", "x/y", False, False),  # negated classes don't match / either
    ("[abc", "[abc", False, True),  # unclosed [ is literal
    ("\\#lit", "#lit", False, True),
    ("\\!lit", "!lit", False, True),
    ("a\\*b", "a*b", False, True),
    ("a\\*b", "axb", False, False),
    ("build/", "build", True, True),  # trailing slash: directories only
    ("build/", "build", False, False),
    ("build/", "src/build", True, True),
    ("build/", "build/out.o", False, True),  # inside an ignored directory
    ("/build/", "x/build", True, False),
    ("a+b(c)", "a+b(c)", False, True),  # regex metacharacters are literal
    ("foo.c", "fooxc", False, False),
]


@pytest.mark.parametrize("pattern, path, is_dir, ignored", GIT_CASES)
def test_git_patterns(pattern, path, is_dir, ignored):
    assert git(pattern).is_ignored(path, is_dir) is ignored


def test_git_comments_blank_lines_and_trailing_spaces():
    rules = git("# comment\n\n   \nfoo   \nbar\\ \n  lead\n")
    assert [p.text for p in rules.patterns] == ["foo", "bar\\ ", "  lead"]
    assert rules.is_ignored("foo")
    assert rules.is_ignored("bar ")
    assert not rules.is_ignored("bar")
    assert rules.is_ignored("  lead")  # leading spaces are significant, only trailing ones go
    assert not rules.is_ignored("lead")


def test_git_negation_last_match_wins():
    rules = git("*.log\n!keep.log\n")
    assert rules.matches("a.log") is True
    assert rules.matches("keep.log") is False
    assert rules.matches("x/keep.log") is False
    assert rules.matches("other.txt") is None
    assert not rules.is_ignored("keep.log")
    again = git("*.log\n!keep.log\nkeep.log\n")
    assert again.is_ignored("keep.log")


def test_git_cannot_reinclude_below_an_excluded_directory():
    rules = git("logs/\n!logs/keep.txt\n")
    assert rules.matches("logs/keep.txt") is False  # the line itself says "re-include"...
    assert rules.is_ignored("logs/keep.txt")  # ...but git never enters logs/
    assert rules.matching_pattern("logs/keep.txt").text == "logs/"
    # re-including the directory first makes it work, as in git
    works = git("/logs/*\n!/logs/keep.txt\n")
    assert works.is_ignored("logs/other.txt")
    assert not works.is_ignored("logs/keep.txt")


def test_git_base_folder():
    rules = git("*.tmp\n/only-here\nsub/x\n", base="pkg")
    assert rules.is_ignored("pkg/a.tmp")
    assert rules.is_ignored("pkg/deep/a.tmp")
    assert not rules.is_ignored("a.tmp")  # outside the ignore file's folder
    assert not rules.is_ignored("other/a.tmp")
    assert rules.is_ignored("pkg/only-here")
    assert not rules.is_ignored("pkg/deep/only-here")
    assert rules.is_ignored("pkg/sub/x")
    assert not rules.is_ignored("pkg/deep/sub/x")
    assert rules.matches("pkg") is None


def test_pattern_attributes():
    rules = git("# c\n!build/\n/a/b\n")
    first, second = rules.patterns
    assert (first.text, first.negated, first.dir_only, first.anchored, first.line) == ("!build/", True, True, False, 1)
    assert (second.pattern, second.negated, second.dir_only, second.anchored, second.line) == ("a/b", False, False, True, 2)
    assert second.regex.fullmatch("a/b")
    assert rules.patterns[0].error is None
    assert git("[oops").patterns[0].error


def test_matching_pattern_reports_the_deciding_line():
    rules = git("*.md\ndocs/\n!README.md\n")
    assert rules.matching_pattern("x.md").line == 0
    assert rules.matching_pattern("README.md").line == 2
    assert rules.matching_pattern("docs/README.md").line == 1
    assert rules.matching_pattern("x.txt") is None


def test_paths_are_normalised():
    rules = git("/a/b\n")
    assert rules.is_ignored("./a/b")
    assert rules.is_ignored("a//b")
    assert rules.is_ignored("a/b/")


def test_crlf_and_bom():
    rules = git("\ufefffoo\r\nbar\r\n")
    assert [p.text for p in rules.patterns] == ["foo", "bar"]
    assert rules.is_ignored("foo") and rules.is_ignored("bar")


@pytest.mark.parametrize("text", ["[", "\\", "!", "/", "**", "***", "[]", "[!]", "[z-a]", "a[", "[[:nope:]]", "\\[", "(", "{", "?*[]"])
@pytest.mark.parametrize("mode", ["git", "docker"])
def test_odd_patterns_never_raise(text, mode):
    rules = IgnoreRules.parse(text, mode)
    for path in ["a", "a/b", "[", "(", ""]:
        rules.matches(path)
        rules.is_ignored(path, is_dir=True)


# --- docker --------------------------------------------------------------------------------------

DOCKER_CASES = [
    # pattern, path, ignored
    ("*.md", "README.md", True),
    ("*.md", "docs/x.md", False),  # no "any depth" in .dockerignore
    ("**/*.md", "docs/x.md", True),
    ("**/*.md", "README.md", True),
    ("node_modules", "node_modules", True),
    ("node_modules", "node_modules/x/y", True),  # everything below a matched directory
    ("node_modules", "src/node_modules", False),
    ("/secret", "secret", True),  # leading / dropped
    ("./a", "a", True),
    ("a/../b", "b", True),
    ("a/../b", "a/b", False),
    ("build/", "build/x", True),  # trailing / just cleaned away
    ("build/", "build", True),
    ("a/*/c", "a/b/c", True),
    ("a/*/c", "a/b/d/c", False),
    ("a/**/c", "a/c", True),
    ("a/**/c", "a/b/d/c", True),
    ("a/**", "a/x/y", True),
    ("a/**", "a", False),
    ("**", "anything/at/all", True),
    ("te?t", "test", True),
    ("te?t", "te/t", False),
    ("[a-c]x", "bx", True),
    ("[^a-c]x", "dx", True),  # Go syntax: ^ negates...
    ("[^a-c]x", "bx", False),
    ("[!a-c]x", "!x", True),  # ...and ! is just a character
    ("[!a-c]x", "dx", False),
    ("a\\*b", "a*b", True),
    ("a\\*b", "axb", False),
    ("**.log", "deep/dir/app.log", True),  # moby: leading ** then literal is a suffix match
    ("foo**", "foobar/x", True),  # moby: trailing ** is a prefix match
    ("*", "anything", True),
    ("*", "dir/file", True),  # via its parent directory
]


@pytest.mark.parametrize("pattern, path, ignored", DOCKER_CASES)
def test_docker_patterns(pattern, path, ignored):
    assert docker(pattern).is_ignored(path) is ignored


def test_docker_comments_and_whitespace():
    rules = docker("# comment\n  # not a comment\n   spaced   \n\n")
    assert [p.pattern for p in rules.patterns] == ["# not a comment", "spaced"]
    assert rules.is_ignored("spaced")


def test_docker_exceptions_last_match_wins():
    rules = docker("*.md\n!README*.md\nREADME-secret.md\n")
    assert rules.matches("CHANGES.md") is True
    assert rules.matches("README.md") is False
    assert rules.matches("README-secret.md") is True
    assert rules.matches("main.go") is None
    assert rules.matching_pattern("README-secret.md").line == 2


def test_docker_exception_can_reinclude_below_an_excluded_directory():
    rules = docker("vendor\n!vendor/keep\n")
    assert rules.is_ignored("vendor/other/x")
    assert not rules.is_ignored("vendor/keep/x")  # unlike git
    assert rules.could_include_below("vendor")
    assert not docker("vendor\n!src\n").could_include_below("vendor")
    assert docker("vendor\n!**/Dockerfile\n").could_include_below("vendor")
    assert not git("vendor/\n!vendor/keep\n").could_include_below("vendor")


def test_docker_has_no_dir_only_or_any_depth_patterns():
    pattern = docker("/build/").patterns[0]
    assert pattern.pattern == "build" and not pattern.dir_only and pattern.anchored


def test_git_and_docker_differ_on_names_at_depth():
    text = "*.md\n"
    assert git(text).is_ignored("docs/guide.md")
    assert not docker(text).is_ignored("docs/guide.md")
    assert git(text).is_ignored("guide.md") and docker(text).is_ignored("guide.md")


def test_docker_syntax_errors_are_recorded_not_raised():
    pattern = docker("a[b").patterns[0]
    assert pattern.error
    assert docker("a[b").is_ignored("a[b")


# --- the fast matcher agrees with a plain loop over the patterns ---------------------------------


def test_last_match_wins_across_pattern_kinds():
    # any-depth, anchored-with-literal-head and anchored-with-wildcard-head patterns are matched
    # by different alternations; the line order must still decide
    assert git("src/x.log\n!x.log\n").matches("src/x.log") is False
    assert git("!x.log\nsrc/x.log\n").matches("src/x.log") is True
    assert git("src/x.log\n!**/x.log\n").matches("src/x.log") is False
    assert docker("src\n!**/*.md\n").matches("src/a.md") is False
    assert docker("!**/*.md\nsrc\n").matches("src/a.md") is True


def naive_last_match(rules: IgnoreRules, rel: str, is_dir: bool):
    for pattern in reversed(rules.patterns):
        if pattern.match(rel, is_dir):
            return pattern
    return None


@pytest.mark.parametrize("mode", ["git", "docker"])
def test_fast_matcher_agrees_with_a_plain_loop(mode):
    rng = random.Random(7)
    names = ["a", "b", "src", "x.md", "y.log", "build", "node_modules"]
    pieces = names + ["*", "?", "**", "*.md", "[ab]", "[!a]", "x*"]

    def pattern() -> str:
        parts = [rng.choice(pieces) for _ in range(rng.randint(1, 3))]
        text = "/".join(parts)
        return rng.choice(["", "", "!", "/"]) + text + rng.choice(["", "", "/"])

    for _ in range(30):
        rules = IgnoreRules.parse("\n".join(pattern() for _ in range(rng.randint(1, 12))), mode)
        for _ in range(60):
            rel = "/".join(rng.choice(names) for _ in range(rng.randint(1, 4)))
            is_dir = rng.random() < 0.3
            assert rules._last_match(rel, is_dir) is naive_last_match(rules, rel, is_dir), (rules.patterns, rel)


# --- files and speed -----------------------------------------------------------------------------


def test_from_file(tmp_path):
    ignore = tmp_path / ".dockerignore"
    ignore.write_text("*.tmp\n")
    rules = IgnoreRules.from_file(ignore, "docker")
    assert rules.is_ignored("x.tmp")
    assert IgnoreRules.from_file(tmp_path / "missing", "git").patterns == []
    assert IgnoreRules.from_file(tmp_path, "git").patterns == []  # a directory: unreadable
    (tmp_path / "bad").write_bytes(b"\xff\xfe*.x\n")
    assert len(IgnoreRules.from_file(tmp_path / "bad", "git").patterns) == 1


def test_unknown_mode_is_a_programming_error():
    with pytest.raises(ValueError):
        IgnoreRules.parse("x", "svn")


@pytest.mark.parametrize("mode", ["git", "docker"])
def test_compiling_200_patterns_and_matching_10000_paths_is_fast(mode):
    kinds = ["*.ext{}", "/dir{}/", "src/**/gen{}", "!keep{}.txt", "build{}/**", "**/cache{}", "lib/[a-f]{}*.so"]
    text = "\n".join(kinds[i % len(kinds)].format(i) for i in range(200))
    paths = [f"src/pkg{i % 50}/sub{i % 7}/file{i}.ext{i % 300}" for i in range(10_000)]

    def run() -> float:
        start = time.thread_time()
        rules = IgnoreRules.parse(text, mode)
        for path in paths:
            rules.is_ignored(path)
        return time.thread_time() - start

    assert min(run() for _ in range(3)) < 0.5
