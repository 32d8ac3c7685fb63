"""Inline mode: a user types @bot, the bot answers, the user shares a result into a chat."""

from __future__ import annotations

import asyncio

import pytest
from telegram import InlineQueryResultArticle, InputTextMessageContent
from telegram.error import BadRequest

from adapters.standins.telegram import BotApiStandin, BotProfile
from tests.telegram_fixtures import TOKEN, application_builder, polling, tiny_bot


async def test_a_chosen_result_is_posted_via_the_bot_and_its_buttons_work(
    telegram_standin: BotApiStandin,
) -> None:
    ada = telegram_standin.user(42, "Ada")
    grace = telegram_standin.user(43, "Grace")
    group = telegram_standin.group(-1001, "Lamp lovers", members=[ada, grace])

    async with polling(tiny_bot(application_builder(telegram_standin))):
        answer = await ada.inline_query("friends", chat=group)
        shared = await ada.choose(answer, 0, group)
        # Anyone in the group can press the shared card's button.
        press = await grace.press(shared, "Open")
        pressed = await press.answer()
        # Messages sent through a bot reach it even in privacy mode: the tiny bot echoes it.
        echo = await telegram_standin.next_message(group)
        edited = await telegram_standin.next_message(group)

    assert [result["id"] for result in answer.results] == ["lamp", "lamp-photo"]
    assert shared["from"]["id"] == 42
    assert shared["via_bot"]["username"] == "backit_test_bot"
    assert shared["text"] == "Lamp for friends"
    assert shared["entities"] == [{"type": "bold", "offset": 0, "length": 4}]
    assert press.update is not None
    assert "message" not in press.update["callback_query"]
    assert press.update["callback_query"]["inline_message_id"]
    assert pressed.text == "Got open:lamp"
    assert echo["text"] == "Lamp for friends"
    assert edited["message_id"] == shared["message_id"]
    assert edited["text"] == "You chose open:lamp"


async def test_an_inline_query_carries_who_typed_it_and_where(
    telegram_standin: BotApiStandin,
) -> None:
    ada = telegram_standin.user(42, "Ada", language_code="fr")
    chat = telegram_standin.private_chat(ada)

    async with polling(tiny_bot(application_builder(telegram_standin))):
        answer = await ada.inline_query("lamp", chat=chat)
        photo = await ada.choose(answer, 1, chat)

    assert photo["photo"][-1]["width"] == 1280
    assert photo["caption"] == "Lamp"
    assert photo["via_bot"]["id"] == telegram_standin.bots[0].id


async def test_choosing_reports_back_when_the_bot_asked_for_inline_feedback() -> None:
    async with BotApiStandin(BotProfile(TOKEN, inline_feedback=True)) as standin:
        ada = standin.user(42, "Ada")
        chat = standin.private_chat(ada)
        async with application_builder(standin).build() as app:
            asking = asyncio.create_task(ada.inline_query("lamp", timeout=2))
            [update] = await app.bot.get_updates(timeout=2)
            assert update.inline_query is not None
            card = InputTextMessageContent("Lamp")
            await update.inline_query.answer([InlineQueryResultArticle("lamp", "Lamp", card)])
            await ada.choose(await asking, 0, chat)
            later = await app.bot.get_updates(offset=update.update_id + 1, timeout=0)

    chosen = [update.chosen_inline_result for update in later]
    assert [result.result_id for result in chosen if result] == ["lamp"]


async def test_an_answer_has_at_most_50_results_with_distinct_ids(
    telegram_standin: BotApiStandin,
) -> None:
    ada = telegram_standin.user(42, "Ada")

    async with application_builder(telegram_standin).build() as app:
        asking = asyncio.create_task(ada.inline_query("lamp", timeout=2))
        [update] = await app.bot.get_updates(timeout=2)
        query = update.inline_query
        assert query is not None

        def results(*ids: str) -> list[InlineQueryResultArticle]:
            """Articles with these ids."""
            return [InlineQueryResultArticle(i, "Lamp", InputTextMessageContent("x")) for i in ids]

        with pytest.raises(BadRequest, match="Results_too_much"):
            await query.answer(results(*(str(n) for n in range(51))))
        with pytest.raises(BadRequest, match="Result_id_duplicate"):
            await query.answer(results("lamp", "lamp"))
        # Refused answers leave the query open for a good one.
        await query.answer(results(*(str(n) for n in range(50))))
        with pytest.raises(BadRequest, match="Query is too old"):
            await query.answer(results("late"))
        answer = await asking

    assert len(answer.results) == 50
