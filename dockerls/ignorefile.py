"""Matching paths against ``.gitignore`` and ``.dockerignore`` files.

One compiler, two dialects, selected by ``mode``:

``"git"`` (gitwildmatch, as ``git check-ignore`` does it)
    * blank lines and lines starting with ``#`` are skipped; ``\\#`` and ``\\!`` escape a leading
      ``#`` / ``!``; trailing spaces are trimmed unless escaped with a backslash;
    * ``!pat`` re-includes, the last matching line wins;
    * a pattern with a ``/`` at the start or in the middle is anchored to the folder of the ignore
      file (``base``); without one it matches a name at any depth below that folder;
    * a trailing ``/`` makes the pattern match directories only;
    * ``*``, ``?`` and ``[...]`` never match ``/``; ``**/`` (leading), ``/**`` (trailing) and
      ``/**/`` span directories, any other ``**`` is a plain ``*``; ``[!a-z]`` and ``[^a-z]`` negate;
    * a path inside an excluded directory is excluded, whatever later ``!`` lines say: git never
      descends into an excluded directory, so it cannot re-include anything below it.

``"docker"`` (``.dockerignore``, as moby/BuildKit ``patternmatcher`` and ``ignorefile`` do it)
    * only lines *starting* with ``#`` are comments; every line is whitespace-trimmed;
    * every pattern is relative to the context root: it is cleaned like Go's ``filepath.Clean``
      (``./a`` -> ``a``, ``a/../b`` -> ``b``, ``a/`` -> ``a``) and a leading ``/`` is dropped, so
      there is no "match at any depth": ``*.md`` matches ``README.md`` but not ``docs/x.md``
      (``**/*.md`` does), and a trailing ``/`` has no "directories only" meaning;
    * Go ``filepath.Match`` syntax (``[^a-z]`` negates, ``[!a-z]`` does not) plus ``**``, which
      matches any number of directories (zero included);
    * a pattern matches a path when it matches the path or any of its parent directories
      (``node_modules`` excludes ``node_modules/x/y``), and ``!`` exceptions follow the same rule,
      so unlike git an exception *can* re-include a file below an excluded directory;
    * the last matching line wins.

Each pattern becomes one regular expression, fullmatched against the path relative to ``base``
(docker: with ``(?:/.*)?`` appended, which is the "or a parent directory" rule).  For speed the
patterns are also joined, last line first, into alternations: the first alternative that matches
is the last line that matches, so one ``fullmatch`` decides a path instead of one per pattern.
``base`` (the ignore file's folder relative to the walk root) works in both modes; for docker
it lets a walker apply a nested ``.dockerignore`` to its own folder.

Deliberate deviations: odd patterns never raise, an unclosed ``[`` or a trailing ``\\`` is taken
literally and recorded in ``Pattern.error`` (git would never match such a line, ``docker build``
would reject the whole file); a docker ``[^...]`` class does not match ``/`` (as in
``filepath.Match``; moby's regex translation lets it).
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Mode = Literal["git", "docker"]

GIT: Mode = "git"
DOCKER: Mode = "docker"

_POSIX_CLASSES = {
    "alnum": "a-zA-Z0-9",
    "alpha": "a-zA-Z",
    "blank": " \\t",
    "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9",
    "graph": "!-~",
    "lower": "a-z",
    "print": " -~",
    "punct": "!-/:-@\\[-`{-~",
    "space": " \\t\\n\\r\\f\\v",
    "upper": "A-Z",
    "xdigit": "0-9A-Fa-f",
}
_CLASS_SPECIALS = frozenset("\\]^-[")
_DOCKER_REGEX_SYNTAX = frozenset("*?[]\\")


@dataclass(frozen=True, slots=True)
class Pattern:
    """One rule of an ignore file."""

    text: str  # the line as written, line ending and surrounding blanks removed
    pattern: str  # what the regex was built from: no "!", no trailing "/", cleaned (docker)
    negated: bool  # a "!" line: re-includes what it matches
    dir_only: bool  # git "foo/": matches directories only
    anchored: bool  # matched from the ignore file's folder rather than at any depth
    line: int  # 0-based line in the ignore file
    regex: re.Pattern[str]  # fullmatches a path relative to the ignore file's folder
    error: str | None = None  # syntax that was taken literally instead of failing

    def match(self, relpath: str, is_dir: bool = False) -> bool:
        """Whether this pattern (ignoring its "!") matches ``relpath``, relative to the file's folder."""
        if self.dir_only and not is_dir:
            return False
        return self.regex.fullmatch(relpath) is not None


class IgnoreRules:
    """The patterns of one ignore file, ready to match paths relative to the walk root."""

    def __init__(self, patterns: list[Pattern], mode: Mode = GIT, base: str = "") -> None:
        if mode not in (GIT, DOCKER):
            raise ValueError(f"unknown ignore-file mode {mode!r} (expected 'git' or 'docker')")
        self.patterns = patterns
        self.mode: Mode = mode
        self.base = _clean_base(base)
        self._all = _Matcher(patterns)
        self._files = _Matcher([p for p in patterns if not p.dir_only]) if mode == GIT else self._all
        self._dir_cache: dict[str, Pattern | None] = {}

    @classmethod
    def parse(cls, text: str, mode: Mode = GIT, base: str = "") -> IgnoreRules:
        """Compile the text of an ignore file; ``base`` is its folder relative to the walk root."""
        parse_line = _parse_git_line if mode == GIT else _parse_docker_line
        lines = text.removeprefix("\ufeff").split("\n")
        patterns = []
        for number, raw in enumerate(lines):
            pattern = parse_line(raw.removesuffix("\r"), number)
            if pattern is not None:
                patterns.append(pattern)
        return cls(patterns, mode, base)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str], mode: Mode = GIT, base: str = "") -> IgnoreRules:
        """Like ``parse`` on the file's text; a missing or unreadable file gives empty rules."""
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                text = fh.read()
        except (OSError, ValueError):
            text = ""
        return cls.parse(text, mode, base)

    def __repr__(self) -> str:
        return f"IgnoreRules(mode={self.mode!r}, base={self.base!r}, patterns={len(self.patterns)})"

    def matches(self, relpath: str, is_dir: bool = False) -> bool | None:
        """True if the last pattern matching ``relpath`` excludes it, False if it re-includes it,
        None if no pattern matches.  Git: only the path itself is considered (see ``is_ignored``);
        docker: a pattern matching a parent directory matches, as in moby."""
        pattern = self._last_match(relpath, is_dir)
        return None if pattern is None else not pattern.negated

    def is_ignored(self, relpath: str, is_dir: bool = False) -> bool:
        """Whether ``relpath`` is excluded, including because a parent directory is (git)."""
        pattern = self.matching_pattern(relpath, is_dir)
        return pattern is not None and not pattern.negated

    def matching_pattern(self, relpath: str, is_dir: bool = False) -> Pattern | None:
        """The pattern that decides ``is_ignored``: for git the one excluding a parent directory
        if there is one, else the last pattern matching the path (possibly a "!" one)."""
        rel = self._relative(relpath)
        if rel is None:
            return None
        if self.mode == GIT:
            parent = posixpath.dirname(rel)
            if parent:
                excluding = self._excluding_ancestor(parent)
                if excluding is not None:
                    return excluding
        return self._decide(rel, is_dir)

    def could_include_below(self, reldir: str) -> bool:
        """Whether a "!" pattern might re-include something below the directory ``reldir``, i.e.
        whether a walker must descend into it even though it is excluded (BuildKit does the same).
        Always False for git, which never looks inside an excluded directory."""
        if self.mode == GIT:
            return False
        rel = self._relative(reldir)
        if rel is None:
            return False
        folder = rel + "/"
        for pattern in self.patterns:
            if pattern.negated:
                literal = _literal_prefix(pattern.pattern)
                if folder.startswith(literal) or literal.startswith(folder):
                    return True
        return False

    def _last_match(self, relpath: str, is_dir: bool) -> Pattern | None:
        rel = self._relative(relpath)
        return None if rel is None else self._decide(rel, is_dir)

    def _decide(self, rel: str, is_dir: bool) -> Pattern | None:
        return (self._all if is_dir else self._files).decide(rel)

    def _excluding_ancestor(self, directory: str) -> Pattern | None:
        """The pattern excluding ``directory`` or one of its ancestors (git), memoised per folder."""
        cache = self._dir_cache
        if directory in cache:
            return cache[directory]
        unknown = []
        known = directory
        while known and known not in cache:
            unknown.append(known)
            known = posixpath.dirname(known)
        excluding = cache[known] if known else None
        if len(cache) > 100_000:
            cache.clear()
        for folder in reversed(unknown):
            if excluding is None:
                own = self._decide(folder, True)
                excluding = own if own is not None and not own.negated else None
            cache[folder] = excluding
        return excluding

    def _relative(self, relpath: str) -> str | None:
        """``relpath`` (relative to the walk root) made relative to ``base``; None if outside it."""
        rel = _normalize_path(os.fspath(relpath))
        if self.base:
            if not rel.startswith(self.base + "/"):
                return None
            rel = rel[len(self.base) + 1 :]
        return rel or None


_ANY_DEPTH = "(?:.*/)?"
_WILDCARD = re.compile(r"[*?\[\\]")


class _Matcher:
    """The patterns of a file as alternations, last line first, so that the first alternative to
    match is the deciding line.  Three cuts keep each alternation short, which is what makes
    thousands of paths cheap:

    * patterns that match at any depth are tried against the base name only, sparing the engine a
      backtrack over every "/" of the path;
    * an anchored pattern whose first segment is literal (``build/``, ``src/**/gen``) can only match
      paths starting with that segment, so each such segment gets its own alternation (holding
      also the patterns whose first segment has wildcards, ``**/x``, ``*.md``);
    * likewise any-depth patterns ending in a literal character (``*.log``) are grouped by it."""

    def __init__(self, patterns: list[Pattern]) -> None:
        self._on_path = _Buckets([p for p in patterns if p.anchored], _literal_head)
        self._on_name = _Buckets([p for p in patterns if not p.anchored], _literal_tail, _ANY_DEPTH)

    def decide(self, rel: str) -> Pattern | None:
        best = self._on_path.first_match(rel, rel.partition("/")[0])
        candidate = self._on_name.first_match(rel, rel[-1:], rel.rfind("/") + 1)
        if best is None or (candidate is not None and candidate.line > best.line):
            return candidate
        return best


class _Buckets:
    """Alternations by key: a text with key K can only match the patterns keyed K or unkeyed."""

    def __init__(self, patterns: list[Pattern], key_of: Callable[[str], str | None], strip: str = "") -> None:
        self._keyed: dict[str, list[Pattern]] = {}
        self._unkeyed: list[Pattern] = []
        for pattern in patterns:
            key = key_of(pattern.pattern)
            if key is None:
                self._unkeyed.append(pattern)
            else:
                self._keyed.setdefault(key, []).append(pattern)
        self._strip = strip
        self._alternations: dict[str | None, _Alternation] = {}

    def first_match(self, text: str, key: str, start: int = 0) -> Pattern | None:
        bucket = key if key in self._keyed else None
        alternation = self._alternations.get(bucket)
        if alternation is None:
            patterns = self._keyed.get(bucket, []) + self._unkeyed if bucket is not None else self._unkeyed
            alternation = self._alternations[bucket] = _Alternation(patterns, self._strip)
        return alternation.first_match(text, start)


def _literal_head(pattern: str) -> str | None:
    head = pattern.partition("/")[0]
    return None if _WILDCARD.search(head) else head


def _literal_tail(pattern: str) -> str | None:
    if pattern[-1] in "*?]" or "\\" in pattern[-2:]:
        return None
    return pattern[-1]


class _Alternation:
    """One regex ``(p_last)|...|(p_first)``: its ``lastindex`` names the last line that matches."""

    def __init__(self, patterns: list[Pattern], strip: str = "") -> None:
        self._order = sorted(patterns, key=lambda p: p.line, reverse=True)
        joined = "|".join(f"({p.regex.pattern.removeprefix(strip)})" for p in self._order)
        self._regex = re.compile(joined, re.DOTALL) if joined else None

    def first_match(self, text: str, start: int = 0) -> Pattern | None:
        if self._regex is None:
            return None
        found = self._regex.fullmatch(text, start)
        if found is None or found.lastindex is None:  # every alternative is a group: a match has one
            return None
        return self._order[found.lastindex - 1]


def _literal_prefix(pattern: str) -> str:
    """The part of a pattern before its first wildcard or escape."""
    match = _WILDCARD.search(pattern)
    return pattern if match is None else pattern[: match.start()]


def _clean_base(base: str) -> str:
    base = _normalize_path(base)
    return "" if base in ("", ".") else base


def _normalize_path(path: str) -> str:
    if os.sep != "/":
        path = path.replace(os.sep, "/")
    if path.startswith(("./", "/")) or path.endswith("/") or "//" in path or "/." in path or path == ".":
        path = posixpath.normpath(path).lstrip("/")
        if path == ".":
            return ""
    return path


# --- parsing one line ----------------------------------------------------------------------------


def _parse_git_line(raw: str, line: int) -> Pattern | None:
    if not raw or raw.startswith("#"):
        return None
    text = _trim_trailing_spaces(raw)
    negated = text.startswith("!")
    body = text[1:] if negated else text
    dir_only = body.endswith("/")
    body = body.rstrip("/")
    anchored = "/" in body
    body = body.lstrip("/")
    if not body:
        return None
    translated, error = _translate(body, GIT)
    if not anchored:
        translated = _ANY_DEPTH + translated
    return Pattern(text, body, negated, dir_only, anchored, line, re.compile(translated, re.DOTALL), error)


def _trim_trailing_spaces(line: str) -> str:
    """Drop trailing spaces, except one escaped with a backslash (``foo\\ `` keeps ``foo\\ ``)."""
    stripped = line.rstrip(" ")
    if len(stripped) == len(line):
        return line
    backslashes = len(stripped) - len(stripped.rstrip("\\"))
    return stripped + " " if backslashes % 2 else stripped


def _parse_docker_line(raw: str, line: int) -> Pattern | None:
    if raw.startswith("#"):
        return None
    text = raw.strip()
    negated = text.startswith("!")
    body = text[1:].strip() if negated else text
    if not body:
        return None  # "!" alone: docker rejects it; nothing to match
    body = _go_clean(body)
    if len(body) > 1 and body.startswith("/"):
        body = body[1:]
    translated, error = _translate(body, DOCKER)
    translated += "(?:/.*)?"  # also matches everything below a matched directory
    return Pattern(text, body, negated, False, True, line, re.compile(translated, re.DOTALL), error)


def _go_clean(path: str) -> str:
    """Go's ``filepath.Clean``: like ``posixpath.normpath`` but ``//a`` becomes ``/a``."""
    cleaned = posixpath.normpath(path)
    return "/" + cleaned.lstrip("/") if cleaned.startswith("//") else cleaned


# --- pattern -> regex ----------------------------------------------------------------------------


def _translate(pattern: str, mode: Mode) -> tuple[str, str | None]:
    """The regex (no anchors, for ``fullmatch``) of a wildcard pattern, and a syntax complaint."""
    out: list[str] = []
    error = None
    i, n = 0, len(pattern)
    while i < n:
        char = pattern[i]
        if char == "*":
            regex, i = _translate_stars(pattern, i, mode)
            out.append(regex)
            continue
        if char == "?":
            out.append("[^/]")
        elif char == "[":
            parsed = _translate_class(pattern, i, "!^" if mode == GIT else "^")
            if parsed is not None:
                regex, i = parsed
                out.append(regex)
                continue
            out.append(re.escape(char))
            error = "unclosed '[' taken literally"
        elif char == "\\":
            if i + 1 < n:
                i += 1
                out.append(re.escape(pattern[i]))
            else:
                out.append(re.escape(char))
                error = "trailing '\\' taken literally"
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out), error


def _translate_stars(pattern: str, start: int, mode: Mode) -> tuple[str, int]:
    """Regex for the run of ``*`` at ``start``, and the index after what it consumed."""
    end = start
    while end < len(pattern) and pattern[end] == "*":
        end += 1
    if end - start == 1:
        return "[^/]*", end
    if mode == GIT:
        return _git_double_star(pattern, start, end)
    return _docker_double_star(pattern, start, end)


def _git_double_star(pattern: str, start: int, end: int) -> tuple[str, int]:
    whole_segment = start == 0 or pattern[start - 1] == "/"
    if whole_segment and end == len(pattern):
        return ".*", end  # "/**" at the end: everything inside
    if whole_segment and pattern[end] == "/":
        return "(?:.*/)?", end + 1  # "**/": zero or more directories
    return "[^/]*", end  # not delimited by slashes: an ordinary "*"


def _docker_double_star(pattern: str, start: int, end: int) -> tuple[str, int]:
    ate_slash = end < len(pattern) and pattern[end] == "/"
    if ate_slash:
        end += 1
    if end == len(pattern):
        return ".*", end
    rest_is_literal = not any(c in _DOCKER_REGEX_SYNTAX for c in pattern[end:])
    if start == 0 and not ate_slash and rest_is_literal:
        return ".*", end  # moby matches a leading "**foo" as a plain suffix
    return "(?:.*/)?", end


def _translate_class(pattern: str, start: int, negators: str) -> tuple[str, int] | None:
    """Regex for the bracket expression at ``start`` and the index after it; None if unclosed."""
    n = len(pattern)
    i = start + 1
    negate = i < n and pattern[i] in negators
    if negate:
        i += 1
    items: list[str] = []
    first = True
    while i < n:
        char = pattern[i]
        if char == "]" and not first:
            return _class_regex("".join(items), negate), i + 1
        first = False
        if pattern.startswith("[:", i):
            close = pattern.find(":]", i + 2)
            name = pattern[i + 2 : close] if close != -1 else ""
            if name in _POSIX_CLASSES:
                items.append(_POSIX_CLASSES[name])
                i = close + 2
                continue
        low, i = _class_char(pattern, i)
        if i + 1 < n and pattern[i] == "-" and pattern[i + 1] != "]":
            high, i = _class_char(pattern, i + 1)
            if low <= high:
                items.append(f"{_class_escape(low)}-{_class_escape(high)}")
            continue
        items.append(_class_escape(low))
    return None


def _class_char(pattern: str, i: int) -> tuple[str, int]:
    if pattern[i] == "\\" and i + 1 < len(pattern):
        return pattern[i + 1], i + 2
    return pattern[i], i + 1


def _class_escape(char: str) -> str:
    return "\\" + char if char in _CLASS_SPECIALS else char


def _class_regex(body: str, negate: bool) -> str:
    if negate:
        return f"[^/{body}]"
    if not body:
        return "(?!)"  # an empty range such as [z-a] matches nothing
    regex = f"[{body}]"
    if re.fullmatch(regex, "/"):
        return f"(?!/){regex}"  # a wildcard never matches the separator
    return regex
