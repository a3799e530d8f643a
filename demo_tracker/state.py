"""DemoState: the accounts, the fault and the request log a test steers."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field

from .accounts import Account, demo_accounts
from .faults import Fault, checked_fault
from .platforms import known_actions

# Enough for any test or benchmark; keeps a long-running demo from growing forever.
MAX_RECORDED_REQUESTS = 100_000


@dataclass(frozen=True)
class RecordedRequest:
    """What the demo tracker saw of one request; never the key itself."""

    at: float  # time.monotonic() when the request arrived
    endpoint: str  # a route's endpoint ("ajax.php", "api.php") or "other"
    action: str | None  # e.g. Gazelle ``action`` or GGn ``request``
    user_id: str | None  # the user the request names (Gazelle/GGn ``id``)
    auth_style: str | None  # how the credential came ("token", "raw", "query")
    key_accepted: bool
    status: int
    user_agent: str | None


@dataclass
class DemoState:
    """Everything a test or the operator can see and change."""

    accounts: dict[str, Account] = field(default_factory=demo_accounts)
    fault: Fault | None = None
    requests: list[RecordedRequest] = field(default_factory=list)
    # Set to let hanging replies finish: when the fault is cleared or replaced,
    # and at close, so that shutting down never waits for a hang.
    hangs_released: asyncio.Event = field(default_factory=asyncio.Event)

    def set_fault(
        self,
        mode: str,
        *,
        times: int | None = None,
        retry_after: int | None = None,
        delay: float | None = None,
        actions: Iterable[str] | None = None,
    ) -> None:
        """Misbehave in ``mode`` for ``times`` matching requests (None: until cleared).

        ``actions`` limits the fault to these action names (any platform's, e.g.
        index, user, quick_user). Raises ValueError for an unknown mode or a bad
        argument.
        """
        fault = checked_fault(
            mode,
            times=times,
            retry_after=retry_after,
            delay=delay,
            actions=actions,
            known_actions=known_actions(),
        )
        self.hangs_released.set()
        self.fault = fault
        self.hangs_released = asyncio.Event()

    def clear_fault(self) -> None:
        """Behave again; replies still hanging are let go."""
        self.fault = None
        self.hangs_released.set()

    def _account(self, name: str) -> Account:
        if name not in self.accounts:
            raise ValueError(f"unknown account {name!r}")
        return self.accounts[name]

    def rotate_key(self, account: str) -> str:
        """Give ``account`` a new key; the old one is rejected from now on."""
        entry = self._account(account)
        suffix = entry.key.removeprefix(entry.original_key + "-")
        generation = int(suffix) + 1 if suffix.isdigit() else 2
        entry.key = f"{entry.original_key}-{generation}"
        return entry.key

    def restore_key(self, account: str) -> str:
        """Put back the account's original key."""
        entry = self._account(account)
        entry.key = entry.original_key
        return entry.key

    def advance(self, steps: int = 1) -> None:
        """Let ``steps`` minutes of time pass for every account."""
        for account in self.accounts.values():
            account.advance(steps)

    def drop_ratio(self, account: str, by: float = 0.1) -> None:
        """Make ``account``'s ratio fall by at least ``by``."""
        self._account(account).drop_ratio(by)

    def clear_requests(self) -> None:
        """Forget the request log."""
        self.requests.clear()

    def reset(self) -> None:
        """Back to the seeds' values and keys, no fault, empty log."""
        self.accounts = demo_accounts()
        self.clear_fault()
        self.requests.clear()

    @property
    def keys(self) -> dict[str, str]:
        """Return each account's current key."""
        return {name: account.key for name, account in self.accounts.items()}

    def take_fault(self, action: str | None) -> Fault | None:
        """Return the fault for this request, counting it down."""
        fault = self.fault
        if fault is None or not fault.applies_to(action):
            return None
        if fault.times is not None:
            fault.times -= 1
            if fault.times <= 0:
                self.fault = None
        return fault

    def record(self, request: RecordedRequest) -> None:
        """Append ``request`` to the log, dropping the oldest beyond the cap."""
        self.requests.append(request)
        if len(self.requests) > MAX_RECORDED_REQUESTS:
            del self.requests[: len(self.requests) - MAX_RECORDED_REQUESTS]
