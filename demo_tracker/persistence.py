"""Keep the demo accounts' moving numbers and keys across restarts.

The file holds, per account, its key, byte counts and age in minutes; the
rest comes from the fixtures at start. It is written whole to a temporary file
and renamed over the old one, so a crash never leaves half a file. A file that
cannot be read or is not ours is ignored with a warning: the tracker starts
from the seeds instead.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from pathlib import Path
import tempfile
from typing import Any

from .accounts import MAX_STEPS, Account
from .state import DemoState

_LOGGER = logging.getLogger(__name__)

FORMAT = "demo-tracker-state"
VERSION = 1
MAX_BYTES = 2**63 - 1
MAX_KEY_LENGTH = 200
# Enough for centuries of minutes; anything larger is not a file we wrote.
MAX_MINUTES = MAX_STEPS * 1000
# Bench accounts reappear on first use; a file need not hold thousands.
MAX_FILE_SIZE = 1024**2


class UnusableStateError(ValueError):
    """The state file is not one this version wrote."""


def to_json(state: DemoState) -> dict[str, Any]:
    """Return what the state file holds for ``state``."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "accounts": {
            name: {
                "platform": account.platform,
                "key": account.key,
                "uploaded": account.uploaded,
                "downloaded": account.downloaded,
                "minutes": account.minutes,
            }
            for name, account in state.accounts.items()
        },
    }


def _count(entry: dict[str, Any], name: str, highest: int) -> int:
    value = entry.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise UnusableStateError(f"{name} is not an integer")
    if not 0 <= value <= highest:
        raise UnusableStateError(f"{name} is out of range")
    return value


def _checked_entry(account: Account, entry: Any) -> tuple[str, int, int, int]:
    if not isinstance(entry, dict) or entry.get("platform") != account.platform:
        raise UnusableStateError(
            f"account {account.name} is not a {account.platform} one"
        )
    key = entry.get("key")
    if not (
        isinstance(key, str) and key.isprintable() and 0 < len(key) <= MAX_KEY_LENGTH
    ):
        raise UnusableStateError(f"account {account.name} has no usable key")
    return (
        key,
        _count(entry, "uploaded", MAX_BYTES),
        _count(entry, "downloaded", MAX_BYTES),
        _count(entry, "minutes", MAX_MINUTES),
    )


def apply(state: DemoState, data: Any) -> None:
    """Put the saved numbers into ``state``'s accounts.

    Checks everything before changing anything: raises UnusableStateError (a
    ValueError) when ``data`` is not a state this version wrote. Saved accounts
    the state does not have are skipped (bench accounts come back on first use).
    """
    if not isinstance(data, dict) or (data.get("format"), data.get("version")) != (
        FORMAT,
        VERSION,
    ):
        raise UnusableStateError("not a demo tracker state file of this version")
    saved = data.get("accounts")
    if not isinstance(saved, dict):
        raise UnusableStateError("no accounts in the file")
    updates = [
        (account, _checked_entry(account, saved[name]))
        for name, account in state.accounts.items()
        if name in saved
    ]
    for account, (key, uploaded, downloaded, minutes) in updates:
        account.key = key
        account.set_bytes(uploaded, downloaded)
        account.live(minutes)


def load(state: DemoState, path: Path) -> bool:
    """Restore ``state`` from ``path``; return whether it was restored.

    A missing file is a first start. An unreadable, corrupt or foreign file
    leaves ``state`` as it is and logs a warning; it is never an error.
    """
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_FILE_SIZE + 1)
    except FileNotFoundError:
        return False
    except OSError as err:
        _LOGGER.warning("Cannot read state file %s (%s); starting fresh", path, err)
        return False
    if len(raw) > MAX_FILE_SIZE:
        _LOGGER.warning("Ignoring state file %s: it is too big; starting fresh", path)
        return False
    try:
        apply(state, json.loads(raw))
    except (ValueError, RecursionError) as err:
        _LOGGER.warning("Ignoring state file %s: %s; starting fresh", path, err)
        return False
    return True


def save(state: DemoState, path: Path) -> None:
    """Write ``state``'s numbers to ``path`` atomically (temporary file + rename)."""
    text = json.dumps(to_json(state), indent=1, sort_keys=True)
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        Path(temporary).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise
