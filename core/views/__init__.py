"""Platform-neutral views that the chat adapters render."""
