"""``dockerls read-configuration``, ``dockerls build`` and ``dockerls run-user-commands``: the Dev
Containers CLI's commands of those names, over dockerls' plan.

    dockerls read-configuration [-p PATH] [--config PATH] [--include-merged-configuration]
                                                            the configuration as JSON (standard output)
    dockerls build [-p PATH] [--config PATH] [--no-cache]   build (or pull) the image(s), start nothing
    dockerls run-user-commands [-p PATH] [--config PATH]    the lifecycle commands, in the running container

Exit codes as ``dockerls develop``: 0, 1 failed, 2 the configuration cannot be used.
"""

from __future__ import annotations

import argparse
import json
import os
import sys


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-p", "--path", default=".", metavar="PATH", help="the workspace folder (default: .)")
    parser.add_argument("--config", metavar="PATH", help="the devcontainer.json to use (relative to the folder)")


def add_read_configuration_arguments(parser: argparse.ArgumentParser) -> None:
    _common(parser)
    parser.add_argument("--include-merged-configuration", action="store_true",
                        help="also the configuration merged with the image's and the features' metadata "
                             "(mergedConfiguration; the image is looked at in the engine)")


def add_build_arguments(parser: argparse.ArgumentParser) -> None:
    _common(parser)
    parser.add_argument("--no-cache", action="store_true", help="build without the cache")
    parser.add_argument("--json", action="store_true", help="print one JSON result line on standard output")


def add_run_user_commands_arguments(parser: argparse.ArgumentParser) -> None:
    _common(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON result line on standard output")


def _options(args):
    from dockerls.develop.plan.model import DevelopOptions

    return DevelopOptions(config_file=args.config)


def run_read_configuration(args) -> int:
    from dockerls.develop.cli import EXIT_CONFIG, EXIT_OK
    from dockerls.develop.plan.model import PlanError
    from dockerls.develop.plan.read_configuration import read_configuration

    try:
        output, plan = read_configuration(os.path.abspath(args.path), _options(args))
    except PlanError as err:
        sys.stderr.write(f"dockerls read-configuration: {err}\n")
        return EXIT_CONFIG
    for problem in plan.problems:
        sys.stderr.write(f"{problem}\n")
    if args.include_merged_configuration:
        from dockerls.develop.plan.read_configuration import with_merged_configuration

        output = with_merged_configuration(output, plan, _image_entries(plan))
    print(json.dumps(output, indent=None), flush=True)
    return EXIT_OK


def _image_entries(plan) -> list[dict]:
    """The image's own metadata entries, as the CLI finds them: from the folder's container when
    there is one, else from the image the container would be made from (not pulled nor built here:
    when it is not there, none, and a note on standard error)."""
    from dockerls.develop.plan.image_metadata import container_image_entries, label_entries
    from dockerls.engine.errors import EngineError, docker_error

    if plan.image_metadata is None:
        return []  # compose: the image's label is not read (yet)
    spec = plan.main_container
    reference = spec.features.base if spec.features else spec.build.tag if spec.build else spec.image
    try:
        from dockerls.engine.connect import connect
        from dockerls.engine.images import local_image
        from dockerls.engine.up import find_main_container

        client = connect()
        attrs = find_main_container(client, plan)
        found = container_image_entries(plan, attrs["Config"].get("Labels")) if attrs is not None else None
        if found is not None:
            return found
        image = local_image(client, reference)
    except Exception as err:  # the engine's errors only: EngineError, or docker-py's when it was used
        if not (isinstance(err, EngineError) or docker_error(err)):
            raise
        sys.stderr.write(f"the image's devcontainer.metadata label was not read: {err}\n")
        return []
    if image is None:
        sys.stderr.write(f"the image {reference} is not here yet: its devcontainer.metadata label is not merged\n")
        return []
    entries, trouble = label_entries(image.labels)
    if trouble:
        sys.stderr.write(f"{trouble}\n")
    return entries


def run_build(args) -> int:
    from dockerls.develop import service
    from dockerls.develop.cli import _interruptible
    from dockerls.develop.terminal import TerminalProgress

    folder = os.path.abspath(args.path)
    result = _interruptible(lambda cancel: service.build_only(folder, _options(args), TerminalProgress(), cancel,
                                                              no_cache=args.no_cache))
    return _print(result, args.json, "build")


def run_user_commands(args) -> int:
    from dockerls.develop.cli import _interruptible
    from dockerls.develop.terminal import TerminalProgress
    from dockerls.develop.user_commands import run_user_commands as run

    folder = os.path.abspath(args.path)
    result = _interruptible(lambda cancel: run(folder, _options(args), TerminalProgress(), cancel))
    return _print(result, args.json, "run-user-commands")


def _print(result, as_json: bool, command: str) -> int:
    from dockerls.develop.cli import _exit_code

    for problem in result.problems:
        sys.stderr.write(f"{problem}\n")
    if as_json:
        print(json.dumps(result.to_json()), flush=True)
    elif result.ok:
        sys.stderr.write(f"{result.message}\n")
    else:
        sys.stderr.write(f"dockerls {command}: {result.message}\n")
    return _exit_code(result)


# name: (help, add arguments, run)
COMMANDS = {
    "read-configuration": ("print devcontainer.json as develop reads it (JSON, variables substituted)",
                           add_read_configuration_arguments, run_read_configuration),
    "build": ("build (or pull) the folder's development image(s), start nothing", add_build_arguments, run_build),
    "run-user-commands": ("run the lifecycle commands in the folder's running container",
                          add_run_user_commands_arguments, run_user_commands),
}
