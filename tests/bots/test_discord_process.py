"""`backit run` with DISCORD_BOT_TOKEN: the bot answers in a server; the process stops cleanly."""

from __future__ import annotations

import signal
from pathlib import Path

from adapters.standins.discord import DiscordStandin
from adapters.storage import upgrade
from tests.bots.conftest import write_config
from tests.bots.test_process import _run
from tests.discord_fixtures import TOKEN


async def test_run_starts_the_discord_bot_which_answers_discover(
    tmp_path: Path, discord_standin: DiscordStandin
) -> None:
    config = write_config(tmp_path)
    await upgrade(f"sqlite+aiosqlite:///{tmp_path / 'backit.db'}")
    lea = discord_standin.user("lea", locale="fr")
    member = discord_standin.member(discord_standin.guild("Makers"), lea)
    place = {
        "BACKIT_DISCORD__API_BASE": discord_standin.api_base,
        "BACKIT_DISCORD__GATEWAY_URL": discord_standin.gateway_url,
    }
    async with _run(tmp_path, config, DISCORD_BOT_TOKEN=TOKEN, **place) as backit:
        await backit.wait_for("discord: connected as Backit")
        discover = await member.slash("découvrir")
        answer = await discover.response(within=10)
        backit.process.send_signal(signal.SIGTERM)
        code, output = await backit.finish()

    assert answer["data"]["embeds"][0]["title"] == "Tendances"
    assert code == 0, output
    assert "telegram is off" in output
    assert TOKEN not in output
