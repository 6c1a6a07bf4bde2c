"""The moderation desks of tests/moderation, for the hardening tests that act on cases."""

from tests.moderation.conftest import desk, private_desk

__all__ = ["desk", "private_desk"]
