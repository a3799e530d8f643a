"""A local stand-in for private trackers, for development, tests and demos.

Serves the Gazelle ``ajax.php`` and GazelleGames ``api.php`` APIs on loopback
with demo accounts whose statistics move over time, and can misbehave on
purpose. Not part of the integration package.
"""
