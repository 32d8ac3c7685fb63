"""Fixtures shared by every test layer."""

pytest_plugins = ["tests.storage_fixtures"]
