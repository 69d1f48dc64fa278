"""The sweep tests' fixtures: `sessions` on the emptied database, `pii`."""

from tests.backend.jobs.books import pii, sessions

__all__ = ["pii", "sessions"]
