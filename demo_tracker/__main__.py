"""``python -m demo_tracker``: serve the demo tracker until Ctrl+C or SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import logging
import math
import os
from pathlib import Path
import signal
import sys

from . import persistence
from .faults import FAULT_MODES
from .state import DemoState
from .testing import start_demo_tracker

_LOGGER = logging.getLogger(__name__)
# How often a state file is written while serving (and once more at the end).
SAVE_EVERY_SECONDS = 60.0


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _port(text: str) -> int:
    port = int(text)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (0-65535)")
    return port


def _seconds(text: str) -> float:
    seconds = float(text)
    if not (math.isfinite(seconds) and seconds >= 0):
        raise argparse.ArgumentTypeError(f"{text} is not a number of seconds >= 0")
    return seconds


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="demo-tracker",
        description="A local Gazelle + GazelleGames tracker with demo accounts.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind")
    parser.add_argument(
        "--port", type=_port, default=8765, help="port (default 8765; 0: any free one)"
    )
    parser.add_argument(
        "--tick",
        type=_seconds,
        default=60.0,
        help="seconds between stat changes (default 60; 0: frozen)",
    )
    parser.add_argument(
        "--fault", choices=FAULT_MODES, help="start misbehaving in this mode"
    )
    parser.add_argument(
        "--state-file",
        type=Path,
        metavar="PATH",
        help="keep the accounts' numbers and keys in this file across restarts",
    )
    return parser


def _banner(url: str, state: DemoState, tick: float = 0.0) -> str:
    lines = [
        f"Demo tracker serving on {url}",
        "",
        f"{'account':8} {'platform':9} {'preset to pick':15} {'auth style':11} API key",
    ]
    for name, account in state.accounts.items():
        # One way to send the key: nothing to pick in the integration.
        style = "-" if len(account.rules.auth_styles) == 1 else account.auth_style
        lines.append(
            f"{name:8} {account.platform:9} {account.preset:15} {style:11} {account.key}"
        )
    lines += [
        "",
        f"Stats advance every {tick:g} s." if tick else "Stats are frozen.",
    ]
    if state.fault is not None:
        lines.append(
            f"Misbehaving: {state.fault.mode} (DELETE {url}/_demo/fault ends it)."
        )
    lines.append(
        f"Use {url} as the tracker URL. Steer it with {url}/_demo/ "
        "(state, fault, advance, drop_ratio, rotate_key, reset). Ctrl+C stops it."
    )
    return "\n".join(lines)


def _save(state: DemoState, path: Path | None) -> None:
    if path is None:
        return
    try:
        persistence.save(state, path)
    except OSError as err:
        _LOGGER.warning("Cannot write state file %s: %s", path, err)


async def _save_forever(state: DemoState, path: Path) -> None:
    while True:
        await asyncio.sleep(SAVE_EVERY_SECONDS)
        _save(state, path)


async def _serve(args: argparse.Namespace) -> None:
    state = DemoState()
    if args.state_file is not None:
        persistence.load(state, args.state_file)
    if args.fault:
        state.set_fault(args.fault)
    tracker = await start_demo_tracker(
        args.host, args.port, state=state, live_tick=args.tick or None
    )
    print(_banner(tracker.url, state, args.tick), flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    saver = None
    if args.state_file is not None:
        saver = loop.create_task(_save_forever(state, args.state_file))
    try:
        await stop.wait()
    finally:
        if saver is not None:
            saver.cancel()
        await tracker.close()
        _save(state, args.state_file)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the process exit code."""
    args = _parser().parse_args(argv)
    logging.basicConfig(format="demo tracker: %(message)s", level=logging.WARNING)
    if not _is_loopback(args.host):
        print(
            f"Refusing to serve on {args.host}: the demo tracker binds loopback only.",
            file=sys.stderr,
        )
        return 2
    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(_serve(args))
    except OSError as err:
        # asyncio wraps the bind error in a long message; the errno says it best.
        reason = os.strerror(err.errno) if err.errno else str(err)
        print(f"Cannot listen on {args.host}:{args.port}: {reason}.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
