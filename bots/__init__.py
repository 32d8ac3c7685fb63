"""Backit's composition root: configuration, the operator CLI and the long-running process."""

import os

# python-telegram-bot 22 warns on every 429 unless told to use timedelta periods; both the
# bot and the notification sender read them either way, so opting in keeps the logs quiet.
os.environ.setdefault("PTB_TIMEDELTA", "1")
