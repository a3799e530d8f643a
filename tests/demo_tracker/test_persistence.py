"""The state file: numbers and keys survive a restart; bad files never crash."""

from __future__ import annotations

import json
import logging
from pathlib import Path
import signal
import subprocess
import sys
import time
from typing import Any
import urllib.request

import pytest

from demo_tracker import persistence
from demo_tracker.accounts import DOWNLOAD_PER_STEP, GIB, UPLOAD_PER_STEP
from demo_tracker.state import DemoState

REPO = Path(__file__).parents[2]


def moved_state() -> DemoState:
    """Return a state a day on, with a rotated key and a dropped ratio."""
    state = DemoState()
    state.advance(24 * 60)
    state.rotate_key("ggn")
    state.drop_ratio("fork")
    return state


def numbers(state: DemoState) -> dict[str, Any]:
    """Return what must survive a restart (lastAccess is the restore's time)."""

    def without_last_access(profile: dict[str, Any]) -> dict[str, Any]:
        stats = {k: v for k, v in profile.get("stats", {}).items() if k != "lastAccess"}
        return profile | {"stats": stats}

    return {
        name: (
            a.key,
            a.uploaded,
            a.downloaded,
            a.ratio,
            a.minutes,
            a.index,
            without_last_access(a.profile),
        )
        for name, a in state.accounts.items()
    }


def test_round_trip(tmp_path: Path) -> None:
    """Saved and loaded, every account's keys, bytes, ratio and gold come back."""
    state, path = moved_state(), tmp_path / "state.json"
    persistence.save(state, path)
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]
    restored = DemoState()
    assert persistence.load(restored, path)
    assert numbers(restored) == numbers(state)
    assert restored.keys["ggn"] == "demo-ggn-key-2"
    assert restored.accounts["ggn"].profile["stats"]["gold"] == 39858 + 24 * 9
    assert isinstance(restored.accounts["fork"].ratio, float)
    # A key and the moving numbers only: no answer text is copied to disk.
    saved = json.loads(path.read_text())
    assert set(saved["accounts"]["red"]) == {
        "platform",
        "key",
        "uploaded",
        "downloaded",
        "minutes",
    }


def test_a_day_of_ticks_is_gentle() -> None:
    """A day of minute ticks: a few GiB a day up, the ratio moves slowly."""
    state = DemoState()
    red_ratio = float(state.accounts["red"].ratio)
    state.advance(60)
    red = state.accounts["red"]
    assert red.uploaded - 536870912000 == 60 * UPLOAD_PER_STEP
    assert 2 * GIB <= 24 * 60 * UPLOAD_PER_STEP <= 8 * GIB
    assert red.downloaded - 134217728000 == 60 * DOWNLOAD_PER_STEP
    assert abs(float(red.ratio) - red_ratio) <= 0.02
    state.advance(23 * 60)
    # After a day: GGn's ratio by about 0.2, not by whole points.
    assert abs(float(state.accounts["ggn"].ratio) - 0.99699) < 0.25


def test_missing_file_is_a_first_start(tmp_path: Path) -> None:
    state = DemoState()
    assert not persistence.load(state, tmp_path / "none.json")
    assert state.keys["red"] == "demo-red-key"


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not json",
        b"\xff\xfe",
        b"[1, 2]",
        b"[" * 100_000,
        b'{"format": "something-else", "version": 1, "accounts": {}}',
        b'{"format": "demo-tracker-state", "version": 99, "accounts": {}}',
        b'{"format": "demo-tracker-state", "version": 1, "accounts": []}',
        b'{"format": "demo-tracker-state", "version": 1, "accounts": {"red": 3}}',
    ],
)
def test_corrupt_or_foreign_file_starts_fresh(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, content: bytes
) -> None:
    path = tmp_path / "state.json"
    path.write_bytes(content)
    state = DemoState()
    with caplog.at_level(logging.WARNING):
        assert not persistence.load(state, path)
    assert "starting fresh" in caplog.text
    assert numbers(state) == numbers(DemoState())


@pytest.mark.parametrize(
    "change",
    [
        {"platform": "ggn"},
        {"key": ""},
        {"key": 5},
        {"key": "x\n"},
        {"uploaded": -1},
        {"uploaded": 2**63},
        {"downloaded": "12"},
        {"minutes": True},
        {"minutes": 10**12},
    ],
)
def test_one_bad_entry_changes_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, change: dict[str, Any]
) -> None:
    """All entries are checked before any account is touched."""
    data = persistence.to_json(moved_state())
    data["accounts"]["red"].update(change)
    path = tmp_path / "state.json"
    path.write_text(json.dumps(data))
    state = DemoState()
    assert not persistence.load(state, path)
    assert numbers(state) == numbers(DemoState())
    assert "demo-ggn-key-2" not in caplog.text


def test_unknown_accounts_are_skipped(tmp_path: Path) -> None:
    """Bench accounts (made on first use) in the file do not stop a restore."""
    data = persistence.to_json(moved_state())
    data["accounts"]["bench-3"] = {"platform": "gazelle", "key": "k"}
    path = tmp_path / "state.json"
    path.write_text(json.dumps(data))
    state = DemoState()
    assert persistence.load(state, path)
    assert "bench-3" not in state.accounts
    assert state.keys["ggn"] == "demo-ggn-key-2"


def test_a_failed_write_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "state.json"
    persistence.save(DemoState(), path)
    before = path.read_text()

    def broken_replace(self: Path, target: Path) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(Path, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        persistence.save(moved_state(), path)
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


def _post(url: str) -> None:
    request = urllib.request.Request(url, data=b"{}", method="POST")  # noqa: S310
    with urllib.request.urlopen(request, timeout=10):  # noqa: S310
        pass


def _start(path: Path) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "demo_tracker", "--port", "0", "--tick", "0"]
    process = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        [*command, "--state-file", str(path)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    assert first.startswith("Demo tracker serving on "), first
    return process, first.removeprefix("Demo tracker serving on ").strip()


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_the_cli_saves_on_stop_and_loads_at_start(
    tmp_path: Path, stop: signal.Signals
) -> None:
    """`python -m demo_tracker --state-file` keeps a rotated key across restarts."""
    path = tmp_path / "state.json"
    path.write_text("garbage")
    process, url = _start(path)
    try:
        request = urllib.request.Request(  # noqa: S310
            f"{url}/_demo/rotate_key",
            data=b'{"account": "red"}',
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10):  # noqa: S310
            pass
        _post(f"{url}/_demo/advance")
        started = time.monotonic()
        process.send_signal(stop)
        _, errors = process.communicate(timeout=20)
        assert time.monotonic() - started < 10
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0
    assert "Ignoring state file" in errors
    assert "Traceback" not in errors
    saved = json.loads(path.read_text())["accounts"]["red"]
    assert (saved["key"], saved["minutes"]) == ("demo-red-key-2", 1)
    process, url = _start(path)
    try:
        with urllib.request.urlopen(f"{url}/_demo/state", timeout=10) as response:  # noqa: S310
            shown = json.load(response)["accounts"]["red"]
    finally:
        process.terminate()
        process.communicate(timeout=20)
    assert shown["key"] == "demo-red-key-2"
    assert shown["uploaded"] == 536870912000 + UPLOAD_PER_STEP
