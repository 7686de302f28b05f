"""Notification tests use the shared fixtures of ``tests.fixtures`` and ``tests.db``."""

from tests.fixtures import CONTACTS

__all__ = ["CONTACTS"]
