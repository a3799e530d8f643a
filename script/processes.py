"""Start and stop the processes a tool drives: Home Assistant, the demo tracker.

Children run in a process group of their own and die with the tool, so that
neither Ctrl+C nor a killed tool leaves a Home Assistant or a demo tracker
behind.
"""

from __future__ import annotations

from collections.abc import Iterable
import ctypes
from pathlib import Path
import signal
import socket
import subprocess
import sys
import time
from typing import IO
from urllib import error, request

REPO = Path(__file__).resolve().parents[1]
# <linux/prctl.h>: ask for a signal when the parent process dies.
PR_SET_PDEATHSIG = 1


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """Tell whether a server could listen on ``port`` (as servers do, reusing it)."""
    with socket.socket() as sock:
        # Connections of an earlier server in TIME_WAIT must not count as taken.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(
    url: str, seconds: float, process: subprocess.Popen[bytes] | None = None
) -> None:
    """Wait until ``url`` answers at all (any HTTP status counts as up)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise SystemExit(f"{url}: the process serving it exited early")
        try:
            request.urlopen(url, timeout=5)
        except error.HTTPError:
            return
        except OSError:
            time.sleep(0.5)
        else:
            return
    raise SystemExit(f"{url} did not come up within {seconds:.0f} s")


def stop(process: subprocess.Popen[bytes] | None, seconds: float = 30) -> None:
    """Terminate a process, kill it if it lingers."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


def _die_with_parent() -> None:
    """Have the kernel send SIGTERM to this child when the tool that started it dies.

    Runs in the child between fork and exec. Even a tool killed with SIGKILL
    then leaves no Home Assistant or demo tracker behind.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def spawn(
    command: list[str], log: IO[bytes] | int = subprocess.DEVNULL
) -> subprocess.Popen[bytes]:
    """Start a child in a process group of its own, from the repository root.

    Its own group: Ctrl+C in a terminal reaches the tool only, which then stops
    its children in order instead of all of them racing to exit at once.
    """
    return subprocess.Popen(
        command,
        cwd=REPO,
        stdout=log,
        stderr=log,
        process_group=0,
        preexec_fn=_die_with_parent,  # noqa: PLW1509 - no threads run yet
    )


def demo_tracker_options(python: str = sys.executable) -> str:
    """Return `python -m demo_tracker --help`, to offer only options it has."""
    return subprocess.run(
        [python, "-m", "demo_tracker", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    ).stdout


def start_demo_tracker_process(
    port: int,
    log: IO[bytes] | int = subprocess.DEVNULL,
    python: str = sys.executable,
    tick: float = 0,
    extra: Iterable[str] = (),
) -> subprocess.Popen[bytes]:
    """Start `python -m demo_tracker` on a port nobody else holds."""
    if not port_is_free(port):
        raise SystemExit(f"Port {port} is taken: stop what uses it and retry.")
    tracker = spawn(
        [
            python,
            *("-m", "demo_tracker", "--port", str(port), "--tick", f"{tick:g}"),
            *extra,
        ],
        log,
    )
    wait_for(f"http://127.0.0.1:{port}/_demo/state", 30, tracker)
    return tracker
