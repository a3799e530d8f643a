"""A local stand-in for private trackers, for development, tests and demos.

Serves each registered platform's API (``platforms/``: Gazelle ``ajax.php``,
GazelleGames ``api.php``) on loopback with demo accounts whose statistics move
over time, and can misbehave on purpose (``faults.py``). Seed answers are JSON
files under ``fixtures/``. Not part of the integration package.
"""
