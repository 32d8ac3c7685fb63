"""`backit run` with TELEGRAM_BOT_TOKEN: the bot answers in chat, and the process stops cleanly."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

from adapters.standins.telegram import BotApiStandin
from adapters.storage import upgrade
from tests.bots.conftest import write_config
from tests.bots.test_process import _run
from tests.telegram_fixtures import TOKEN

STOP_TIMEOUT = 1
# Room for what stopping does besides: the dispatcher, the database, the interpreter's exit.
STOP_MARGIN = 3


async def test_run_starts_the_telegram_bot_which_answers_start(
    tmp_path: Path, telegram_standin: BotApiStandin
) -> None:
    config = write_config(
        tmp_path, **{'base_url = ""': f'base_url = "{telegram_standin.base_url}"'}
    )
    await upgrade(f"sqlite+aiosqlite:///{tmp_path / 'backit.db'}")
    ada = telegram_standin.user(42, "Ada", language_code="fr")
    chat = telegram_standin.private_chat(ada)
    async with _run(tmp_path, config, TELEGRAM_BOT_TOKEN=TOKEN) as backit:
        await backit.wait_for("telegram: polling as @backit_test_bot")
        await ada.send(chat, "/start")
        welcome = await telegram_standin.next_message(chat, timeout=10)
        backit.process.send_signal(signal.SIGTERM)
        code, output = await backit.finish()

    assert welcome["text"].startswith("Bienvenue sur Backit\u00a0!")
    menu = telegram_standin.commands({"type": "all_private_chats"}, "fr")
    assert {"command": "discover", "description": "Parcourir les campagnes"} in menu
    assert code == 0, output
    assert TOKEN not in output
    assert TOKEN.split(":")[1] not in output


async def test_sigterm_with_a_group_backlog_stops_within_the_stop_timeout(
    tmp_path: Path, telegram_standin: BotApiStandin
) -> None:
    config = write_config(
        tmp_path,
        **{
            'base_url = ""': f'base_url = "{telegram_standin.base_url}"',
            "stop_timeout_seconds = 10": f"stop_timeout_seconds = {STOP_TIMEOUT}",
        },
    )
    await upgrade(f"sqlite+aiosqlite:///{tmp_path / 'backit.db'}")
    telegram_standin.enforce_rate_limits()
    ada = telegram_standin.user(42, "Ada")
    group = telegram_standin.group(-1001, "Lamp lovers", members=[ada])
    async with _run(tmp_path, config, TELEGRAM_BOT_TOKEN=TOKEN) as backit:
        await backit.wait_for("telegram: polling as @backit_test_bot")
        for number in range(60):
            await ada.send(group, f"/search lamp{number}")
        # A minute's worth answered; the other 40 wait for the group's next minute.
        for number in range(20):
            reply = await telegram_standin.next_message(group, timeout=10)
            assert reply["text"].startswith(f"Results for “lamp{number}”")
        backit.process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(STOP_TIMEOUT + STOP_MARGIN):
            code, output = await backit.finish()

    assert code == 0, output
    assert "stopped with 39 updates dropped before they started and 1 cut short" in output
    assert "INFO bots.process: stopped" in output
    assert "Traceback" not in output


async def test_webhook_mode_without_the_web_server_stops_with_one_clear_line(
    tmp_path: Path,
) -> None:
    config = write_config(tmp_path, **{'mode = "polling"': 'mode = "webhook"'})
    async with _run(tmp_path, config, TELEGRAM_BOT_TOKEN=TOKEN) as backit:
        code, output = await backit.finish()

    assert code == 2, output
    assert 'error: [telegram] mode = "webhook" needs the web server' in output
    assert "Traceback" not in output
