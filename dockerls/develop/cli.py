"""``dockerls develop`` and ``dockerls down``.

    dockerls develop [-p PATH] [--config PATH] [-m MOUNTPOINT] [-i IMAGE] [--service NAME] [--watch] [--attach]
                     [--json] [--allow-host-commands] [--rebuild]
    dockerls down [-p PATH] [--volumes] [--rmi local] [--json]
    dockerls exec [-p PATH] [-- CMD ...]     a shell (or CMD) in the container, a TTY on a terminal
    dockerls logs [-p PATH] [-f] [-n N]      the container's output
    dockerls ps [-p PATH] [--json]           the folder's containers: state, mounts, ports (also: status)

On a terminal a progress bar shows the build steps; ``--json`` prints one result line on standard
output as the Dev Containers CLI does (``{"outcome": "success", "containerId": ...,
"remoteUser": ..., "remoteWorkspaceFolder": ...}``, or ``{"outcome": "error", "message": ...}``).
With devcontainer.json a "Ready (waitFor: STEP)" line says when the container can be worked in
(``waitFor``'s lifecycle command has run, default updateContentCommand); the later commands go on
with progress, and the result line comes when they have run.
``--watch`` rebuilds and recreates when the Dockerfile, devcontainer.json or compose file changes
(their modification times are polled) until Ctrl-C; ``--attach`` streams the container's output
until Ctrl-C.  Ctrl-C during a build or start cancels it and removes what it created.

Exit codes: 0 success, 1 the develop or down failed, 2 the folder's configuration cannot be used,
130 cancelled.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # imported when a command runs: `dockerls check` builds this parser too
    from dockerls.develop.plan.model import DevelopOptions

EXIT_OK, EXIT_FAILED, EXIT_CONFIG, EXIT_CANCELLED = 0, 1, 2, 130
WATCH_INTERVAL = 1.0  # seconds between two looks at the watched files


def add_develop_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-p", "--path", default=".", metavar="PATH", help="the workspace folder (default: .)")
    parser.add_argument("-m", "--mount-point", metavar="MOUNTPOINT",
                        help="where the folder is mounted in the container (default: where the Dockerfile "
                             "copies it, devcontainer.json's workspaceFolder, or /workspace)")
    parser.add_argument("--config", metavar="PATH", help="the devcontainer.json to use (when the folder has several: "
                                                          ".devcontainer/<name>/devcontainer.json)")
    parser.add_argument("-i", "--image", metavar="IMAGE", help="run this existing image instead of building one")
    parser.add_argument("--service", metavar="NAME", help="the compose service to develop in (its dependencies "
                                                          "start too)")
    parser.add_argument("--watch", action="store_true",
                        help="rebuild and recreate when the Dockerfile or devcontainer.json changes (Ctrl-C ends)")
    parser.add_argument("--attach", action="store_true", help="stream the container's output until Ctrl-C")
    parser.add_argument("--json", action="store_true", help="print one JSON result line on standard output")
    parser.add_argument("--allow-host-commands", action="store_true",
                        help="run devcontainer.json's initializeCommand on this machine")
    parser.add_argument("--rebuild", action="store_true", help="build without the cache and recreate the container")
    parser.add_argument("-v", "--verbose", action="store_true", help="print the build and command output")


def add_down_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-p", "--path", default=".", metavar="PATH", help="the workspace folder (default: .)")
    parser.add_argument("--volumes", action="store_true", help="remove the named volumes develop created too")
    parser.add_argument("--rmi", choices=["local"], help="local: remove the images develop built for the folder too (and, for a compose "
                        "project, those Compose built under its own names)")
    parser.add_argument("--json", action="store_true", help="print one JSON result line on standard output")


def add_exec_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-p", "--path", default=".", metavar="PATH", help="the workspace folder (default: .)")
    parser.add_argument("--service", metavar="NAME", help="the compose service's container")
    parser.add_argument("cmd", nargs=argparse.REMAINDER, metavar="-- CMD",
                        help="the command (default: a shell; a TTY when standard input and output are terminals)")


def add_logs_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-p", "--path", default=".", metavar="PATH", help="the workspace folder (default: .)")
    parser.add_argument("--service", metavar="NAME", help="the compose service's container")
    parser.add_argument("-f", "--follow", action="store_true", help="follow the output until Ctrl-C")
    parser.add_argument("-n", "--tail", default="all", metavar="N", help="the last N lines (default: all)")


def add_ps_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-p", "--path", default=".", metavar="PATH", help="the workspace folder (default: .)")
    parser.add_argument("--json", action="store_true", help="print one JSON result line on standard output")


def options_from_args(args) -> DevelopOptions:
    from dockerls.develop.plan.model import DevelopOptions

    return DevelopOptions(mount_point=args.mount_point, image=args.image, service=args.service,
                          allow_host_commands=args.allow_host_commands, config_file=args.config)


def run_develop(args) -> int:
    from dockerls.develop import service
    from dockerls.develop.terminal import TerminalProgress

    folder = os.path.abspath(args.path)
    options = options_from_args(args)
    progress = TerminalProgress(verbose=args.verbose)
    operation = service.rebuild if args.rebuild else service.develop
    result = _interruptible(lambda cancel: operation(folder, options, progress, cancel))
    _report(result, args.json)
    code = _exit_code(result)
    if code != EXIT_OK or not (args.watch or args.attach):
        return code
    if args.watch:
        return _watch(folder, options, progress, args, result)
    _attach(folder, options)
    return EXIT_OK


def run_down(args) -> int:
    from dockerls.develop import service
    from dockerls.develop.terminal import TerminalProgress

    progress = TerminalProgress()
    result = service.down(os.path.abspath(args.path), progress, remove_volumes=args.volumes,
                          remove_images=args.rmi == "local")
    if args.json:
        print(json.dumps(result.to_json()), flush=True)
    elif not result.ok:
        sys.stderr.write(f"dockerls down: {result.message}\n")
    return EXIT_OK if result.ok else EXIT_FAILED


def _plain_options(args) -> DevelopOptions:
    from dockerls.develop.plan.model import DevelopOptions

    return DevelopOptions(service=getattr(args, "service", None))


def run_exec(args) -> int:
    from dockerls.develop import service

    command = list(args.cmd)
    if command[:1] == ["--"]:
        command = command[1:]
    tty = sys.stdin.isatty() and sys.stdout.isatty()
    result, code = service.exec_in(os.path.abspath(args.path), _plain_options(args), command or None, tty=tty)
    if not result.ok:
        sys.stderr.write(f"dockerls exec: {result.message}\n")
        return EXIT_CONFIG if result.plan is None else EXIT_FAILED
    return code


def run_logs(args) -> int:
    from dockerls.develop import service

    tail = int(args.tail) if str(args.tail).isdigit() else "all"
    result = _interruptible(lambda cancel: service.logs(
        os.path.abspath(args.path), _plain_options(args), lambda line: print(line, flush=True), cancel,
        follow=args.follow, tail=tail))
    if not result.ok:
        sys.stderr.write(f"dockerls logs: {result.message}\n")
    return _exit_code(result)


def run_ps(args) -> int:
    from dockerls.develop import service

    result = service.status(os.path.abspath(args.path))
    if args.json:
        print(json.dumps(result.to_json()), flush=True)
    elif not result.ok:
        sys.stderr.write(f"dockerls ps: {result.message}\n")
    elif not result.containers:
        print(f"no containers for {os.path.abspath(args.path)} (run `dockerls develop`)")
    else:
        for c in result.containers:
            print(f"{c['name']}  {c['state']} ({c['status']})  image {c['image']}")
            for mount in c["mounts"]:
                print(f"    mount {mount}")
            for port in c["ports"]:
                print(f"    port {port}")
    return EXIT_OK if result.ok else EXIT_FAILED


# -- running, reporting ------------------------------------------------------------------------------


def _interruptible(operation: Callable[[threading.Event], object]):
    """Run ``operation(cancel)`` on a worker thread; Ctrl-C sets the cancel and waits for the
    clean-up (a second Ctrl-C stops waiting)."""
    cancel = threading.Event()
    finished = threading.Event()  # not Thread.join: a join that Ctrl-C interrupts may not wait again
    box: list = []

    def work() -> None:
        try:
            box.append(operation(cancel))
        finally:
            finished.set()

    threading.Thread(target=work, name="dockerls-develop", daemon=True).start()
    try:
        while not finished.wait(0.1):
            pass
    except KeyboardInterrupt:
        cancel.set()
        sys.stderr.write("\ncancelling...\n")
        try:
            while not finished.wait(0.1):
                pass
        except KeyboardInterrupt:
            sys.stderr.write("dockerls: not waiting for the clean-up\n")
            raise SystemExit(EXIT_CANCELLED) from None
    if not box:
        from dockerls.develop.service import DevelopResult

        return DevelopResult("error", "the develop thread ended without a result")
    return box[0]


def _report(result, as_json: bool) -> None:
    for problem in result.problems:
        sys.stderr.write(f"{problem}\n")
    if as_json:
        print(json.dumps(result.to_json()), flush=True)
    elif result.ok:
        sys.stderr.write(f"{result.message}: workspace {result.remote_workspace_folder} "
                         f"(user {result.remote_user}, container {result.container_id[:12]})\n")
        if result.forwarded_ports:
            from dockerls.develop.plan.ports import describe_forwarded

            for item in result.forwarded_ports:
                sys.stderr.write(f"  forwarded: {describe_forwarded(item)}\n")
    else:
        sys.stderr.write(f"dockerls develop: {result.message}\n")


def _exit_code(result) -> int:
    if result.outcome == "cancelled":
        return EXIT_CANCELLED
    if result.ok:
        return EXIT_OK
    return EXIT_CONFIG if result.plan is None else EXIT_FAILED  # no plan: the configuration is the problem


# -- --watch and --attach ----------------------------------------------------------------------------


def watched_files(result, folder: str) -> list[str]:
    """The files whose change means a rebuild: the plan's, plus the places a configuration may appear."""
    from dockerls.develop.plan.compose import STANDARD_NAMES
    from dockerls.develop.plan.devcontainer_config import CONFIG_LOCATIONS
    from dockerls.develop.plan.dockerfile import DOCKERFILE_NAMES

    files = list(result.plan.watch_files) if result.plan else []
    files += [os.path.join(folder, name) for name in (*CONFIG_LOCATIONS, *DOCKERFILE_NAMES, *STANDARD_NAMES)]
    return sorted(set(files))


def snapshot(files: list[str]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for path in files:
        try:
            out[path] = os.stat(path).st_mtime_ns
        except OSError:
            out[path] = None
    return out


class _LogFollower:
    """Streams a container's output on a thread until stopped (for --attach)."""

    def __init__(self, folder: str, options: DevelopOptions):
        from dockerls.develop import service

        self.cancel = threading.Event()
        self.thread = threading.Thread(
            target=service.logs, args=(folder, options, lambda line: print(line, flush=True), self.cancel),
            kwargs={"tail": 100}, name="dockerls-logs", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.cancel.set()
        self.thread.join(timeout=2)


def _attach(folder: str, options: DevelopOptions) -> None:
    follower = _LogFollower(folder, options)
    try:
        while follower.thread.is_alive():
            follower.thread.join(0.2)
    except KeyboardInterrupt:
        pass
    follower.stop()


def _watch(folder: str, options: DevelopOptions, progress, args, result) -> int:
    from dockerls.develop import service

    files = watched_files(result, folder)
    seen = snapshot(files)
    follower = _LogFollower(folder, options) if args.attach else None
    sys.stderr.write(f"watching {len([f for f, m in seen.items() if m is not None])} file(s); Ctrl-C ends\n")
    try:
        while True:
            time.sleep(WATCH_INTERVAL)
            now = snapshot(files)
            if now == seen:
                continue
            changed = [os.path.relpath(f, folder) for f in files if now.get(f) != seen.get(f)]
            sys.stderr.write(f"changed: {', '.join(changed)}; rebuilding\n")
            if follower:
                follower.stop()
            result = _interruptible(lambda cancel: service.develop(folder, options, progress, cancel))
            _report(result, args.json)
            files = watched_files(result, folder) if result.plan else files
            seen = snapshot(files)
            if follower:
                follower = _LogFollower(folder, options)
    except KeyboardInterrupt:
        if follower:
            follower.stop()
        return EXIT_OK
