"""Fixtures shared by every test layer."""

pytest_plugins = [
    "tests.storage_fixtures",
    "tests.stripe_standin_fixtures",
    "tests.payment_fixtures",
    "tests.telegram_fixtures",
    "tests.discord_fixtures",
]
