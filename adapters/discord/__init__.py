"""Discord: discord.py slash commands, buttons and modals that turn interactions into intents."""
