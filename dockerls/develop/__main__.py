"""``python -m dockerls.develop develop|down ...``: the develop commands on their own (the same
functions ``dockerls develop`` and ``dockerls down`` call)."""

from __future__ import annotations

import argparse
import sys

from dockerls.develop.cli import add_develop_arguments, add_down_arguments, run_develop, run_down


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dockerls.develop")
    sub = parser.add_subparsers(dest="command", required=True)
    add_develop_arguments(sub.add_parser("develop", help="build and run the folder's development container"))
    add_down_arguments(sub.add_parser("down", help="stop and remove what develop started"))
    args = parser.parse_args(argv)
    return run_develop(args) if args.command == "develop" else run_down(args)


if __name__ == "__main__":
    sys.exit(main())
