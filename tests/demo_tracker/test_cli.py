"""The demo tracker's command line: loopback only, ports, options, banner."""

from __future__ import annotations

import socket

import aiohttp
import pytest

from demo_tracker.__main__ import _banner, _is_loopback, main
from demo_tracker.server import DemoState
from demo_tracker.testing import DemoTracker

from .wire import get


@pytest.mark.parametrize(
    "host",
    ["0.0.0.0", "192.168.1.10", "tracker.example", "::"],  # noqa: S104 - refused
)
def test_cli_refuses_non_loopback(
    capsys: pytest.CaptureFixture[str], host: str
) -> None:
    """The demo tracker never listens beyond loopback: one sentence, exit 2."""
    assert main(["--host", host]) == 2
    captured = capsys.readouterr()
    assert captured.err == (
        f"Refusing to serve on {host}: the demo tracker binds loopback only.\n"
    )
    assert captured.out == ""


def test_cli_reports_a_taken_port(capsys: pytest.CaptureFixture[str]) -> None:
    """A port in use is one clear sentence, no traceback."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["--port", str(port), "--tick", "0"]) == 1
    assert capsys.readouterr().err == (
        f"Cannot listen on 127.0.0.1:{port}: Address already in use.\n"
    )


@pytest.mark.parametrize(
    "argv", [["--port", "70000"], ["--tick", "-1"], ["--tick", "nan"], ["--fault", "x"]]
)
def test_cli_rejects_bad_options(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    """Bad options are argparse's usage error, exit 2."""
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    assert "error:" in capsys.readouterr().err


def test_cli_banner_lists_accounts_and_keys() -> None:
    """The banner tells the user which preset, auth style and key to use."""
    state = DemoState()
    banner = _banner("http://127.0.0.1:8765", state, 60)
    assert "Demo tracker serving on http://127.0.0.1:8765" in banner
    assert "red      gazelle   redacted        raw         demo-red-key" in banner
    assert "ops      gazelle   orpheus         token       demo-ops-key" in banner
    assert "fork     gazelle   gazelle         token       demo-fork-key" in banner
    assert "ggn      ggn       gazellegames    -           demo-ggn-key" in banner
    assert "Stats advance every 60 s." in banner
    state.set_fault("hang")
    banner = _banner("http://127.0.0.1:8765", state)
    assert "Stats are frozen." in banner
    assert "Misbehaving: hang" in banner
    assert _is_loopback("localhost")
    assert _is_loopback("::1")
    assert _is_loopback("127.0.0.2")
    assert not _is_loopback("tracker.example")


async def test_bench_accounts_appear_on_first_use(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """demo-bench-<n>-key is a Gazelle account of its own, for benchmarks."""
    index = f"{demo.url}/ajax.php?action=index"
    for number in (1, 20):
        status, body = await get(
            session, index, headers={"Authorization": f"token demo-bench-{number}-key"}
        )
        assert status == 200
        assert (body["response"]["username"], body["response"]["id"]) == (
            f"Bench{number}",
            100_000 + number,
        )
    status, _ = await get(
        session, index, headers={"Authorization": "token demo-bench-x-key"}
    )
    assert status == 401
