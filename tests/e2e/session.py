"""One end-to-end session: the demo tracker, a real Home Assistant, its owner.

Each test boots Home Assistant itself (some need files in the config dir
first, some restart it); conftest.py stops both processes whatever happens.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
import shutil
import sys
import time
from typing import IO, Any

from .browser import config_entries
from .driver import (
    BOOT_SECONDS,
    DOMAIN,
    REPO,
    HomeAssistant,
    Http,
    free_port,
    start_demo_tracker_process,
    stop,
    write_config,
)

HASS = Path(sys.executable).with_name("hass")
BLUEPRINT = Path("blueprints", "automation", DOMAIN, "alert_notification.yaml")


def our_tracebacks(log_text: str) -> list[str]:
    """Return the log records with a traceback that are ours or pass through us.

    Ours: logged by our logger. Through us: any logger's traceback with a
    frame in this integration's files (a task of ours failing at stop, say).
    Debug records do not count: from 2025.x Home Assistant's coordinator logs
    every failed poll's "Full error:" with its traceback at debug, under the
    integration's logger, which these tests switch to debug to search for
    secrets (those still count).
    """
    found = []
    record = ""
    in_traceback = False
    for line in log_text.splitlines():
        if line[:4].isdigit() and " [" in line:
            record, in_traceback = line, False
        elif line.startswith("Traceback") and " DEBUG (" not in record:
            in_traceback = True
            if f"[custom_components.{DOMAIN}" in record:
                found.append(record)
        elif in_traceback and f"custom_components/{DOMAIN}/" in line:
            found.append(f"{record}\n{line}")
            in_traceback = False
    return found


class Session:
    """One config dir's Home Assistant, its owner, and the demo tracker."""

    def __init__(self, tmp_path: Path, log: IO[bytes]) -> None:
        self.log = log
        self.tracker_port = free_port()
        self.tracker: Any = None
        self.ha = HomeAssistant([str(HASS)], tmp_path / "config", free_port())
        self.owner = Http(self.ha.base)
        # Every key the tracker ever accepted or we typed: none may be logged.
        self.secrets: set[str] = set()

    @property
    def demo_url(self) -> str:
        return f"http://127.0.0.1:{self.tracker_port}"

    @property
    def demo(self) -> Http:
        """The demo tracker's control API (/_demo/...)."""
        return Http(self.demo_url)

    def start_tracker(self) -> None:
        self.tracker = start_demo_tracker_process(self.tracker_port, self.log)
        self.remember_demo_keys()

    def stop_tracker(self) -> None:
        self.remember_demo_keys()
        stop(self.tracker)
        self.tracker = None

    def remember_demo_keys(self) -> dict[str, dict[str, Any]]:
        """Return the demo accounts; remember their current keys as secrets."""
        accounts: dict[str, dict[str, Any]] = self.demo.call("GET", "/_demo/state")[
            "accounts"
        ]
        self.secrets.update(account["key"] for account in accounts.values())
        return accounts

    def boot(
        self,
        extra_lines: tuple[str, ...] = (),
        files: Mapping[str, str] | None = None,
        blueprint: bool = False,
    ) -> None:
        """Write a fresh config dir, start Home Assistant and onboard the owner.

        ``extra_lines`` go into configuration.yaml, ``files`` (name: text)
        next to it; ``blueprint`` installs our alert blueprint.
        """
        write_config(self.ha.config, self.ha.port, "End to end", extra_lines)
        for name, text in (files or {}).items():
            (self.ha.config / name).write_text(text)
        if blueprint:
            # Where "Import blueprint" puts it: blueprints/automation/<author>/.
            target = self.ha.config / BLUEPRINT
            target.parent.mkdir(parents=True)
            shutil.copyfile(REPO / BLUEPRINT, target)
        self.ha.start(log=self.log)
        self.owner = self.ha.onboard("owner", "e2e-owner-password")
        self.wait_until_running()

    def wait_until_running(self, seconds: float = BOOT_SECONDS) -> float:
        """Wait until Home Assistant has started; return the seconds waited.

        From 2026.x the API answers while Home Assistant is still starting:
        automations are not armed yet, and a SIGTERM then skips the final
        write (entries added since the last save are lost).
        """
        started = time.monotonic()
        while self.owner.call("GET", "/api/config")["state"] != "RUNNING":
            if time.monotonic() - started > seconds:
                raise AssertionError(f"Home Assistant not running after {seconds} s")
            time.sleep(0.2)
        return time.monotonic() - started

    def entry_ids(self) -> dict[str, str]:
        """Return our entries' ids by title."""
        return {e["title"]: e["entry_id"] for e in config_entries(self.owner)}

    def assert_log_clean(self) -> None:
        """No secret and no traceback of ours in any run's log."""
        if self.tracker is not None:
            self.remember_demo_keys()
        log_text = self.ha.all_logs()
        assert log_text, "Home Assistant wrote no log"
        leaked = sorted(key for key in self.secrets if key in log_text)
        assert not leaked, f"secrets in the log: {len(leaked)}"
        assert not our_tracebacks(log_text)
