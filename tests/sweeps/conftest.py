"""The desks of tests/moderation, for sweeps that cross the moderators' flows."""

from tests.moderation.conftest import desk, private_desk

__all__ = ["desk", "private_desk"]
