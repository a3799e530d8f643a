"""The names tests and scripts import from ``demo_tracker.server``.

The application now lives in ``app.py``, faults in ``faults.py``, the state in
``state.py`` and the platforms under ``platforms/``; this module keeps the old
import path working.
"""

from __future__ import annotations

from .app import DemoTrackerApp, create_app
from .control import BadInputError
from .faults import DEFAULT_HANG_SECONDS, FAULT_MODES, Fault
from .platforms import known_actions
from .state import MAX_RECORDED_REQUESTS, DemoState, RecordedRequest

__all__ = [
    "DEFAULT_HANG_SECONDS",
    "FAULT_MODES",
    "MAX_RECORDED_REQUESTS",
    "BadInputError",
    "DemoState",
    "DemoTrackerApp",
    "Fault",
    "RecordedRequest",
    "create_app",
    "known_actions",
]
