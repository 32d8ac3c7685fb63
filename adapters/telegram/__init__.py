"""Telegram: python-telegram-bot handlers that turn updates into intents and views into messages."""
