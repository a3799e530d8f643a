"""The command line of scripts/demo, checked before anything is installed.

Standard library only: scripts/demo runs this module with the Python it found
before .demo/venv exists, so that `scripts/demo --help` and a mistyped option
answer at once instead of after minutes of installing Home Assistant.

    python -m script.demo.cli [OPTIONS…]
        exit 0: the options are fine, start the demo
        exit 3 (ANSWERED): --help was shown, start nothing
        exit 2: a mistake, which argparse has explained
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
import sys

from .localise import ENGLISH, languages

ANSWERED = 3

DESCRIPTION = (
    "Try Private Tracker Stats: a real Home Assistant 2025.4.4 with the demo "
    "tracker and one demo account of each platform on a dashboard. Log in as "
    "demo / demo-password. The first run installs Home Assistant into "
    ".demo/venv (a few minutes); Ctrl+C stops everything."
)


def _port(text: str) -> int:
    port = int(text)
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (1-65535)")
    return port


def parser() -> argparse.ArgumentParser:
    result = argparse.ArgumentParser(prog="scripts/demo", description=DESCRIPTION)
    result.add_argument(
        "--port", type=_port, default=8123, help="Home Assistant's port (8123)"
    )
    result.add_argument(
        "--tracker-port", type=_port, default=8765, help="the demo tracker's (8765)"
    )
    result.add_argument(
        "--language",
        choices=languages(),
        default=ENGLISH,
        help="Home Assistant's, the demo user's and the dashboard's language",
    )
    result.add_argument(
        "--print-login-url",
        action="store_true",
        help="print a one-time URL that logs a browser in (for screenshots)",
    )
    return result


def parse_args(args: Sequence[str] | None = None) -> argparse.Namespace:
    """Return the options; print usage and exit on --help or a mistake."""
    return parser().parse_args(args)


if __name__ == "__main__":
    try:
        parse_args()
    except SystemExit as done:
        # argparse exits 0 after --help: the caller must not start the demo.
        sys.exit(ANSWERED if done.code == 0 else done.code)
