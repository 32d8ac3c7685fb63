"""Whatever button data or /start payload reaches the bot, it raises nothing, answers in the
person's language, and writes nothing but that person's own backer record.

That record is the one write a press or a /start may make: a private /start marks its sender
reachable (creating the record on first contact), and a language button stores the choice.
Pledges and follows never change, and nobody else's record does.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from adapters.storage import Database
from adapters.telegram.deep_links import (
    PERSONAL_COMMANDS,
    ContinuePledge,
    OpenCampaign,
    RunCommand,
    decode,
)
from core.campaigns import Campaign
from core.ports import Clock
from core.views import intents
from core.views.intents import Language, StaleButton
from tests.adapters.chat_campaigns import back_to_draft
from tests.adapters.fuzzing import FUZZ, INTENT_LIKE, STALE, french, others, rows
from tests.adapters.telegram.campaigns import live_campaign
from tests.adapters.telegram.people import Person, RunningBot

WELCOME_START = "Bienvenue sur Backit\u00a0!"
ENGLISH_CHOSEN = "Done: I will speak English with you."
# Each example is a new person, so that no choice of one (a language) colours the next.
PEOPLE = itertools.count(1_000)

callback_data = st.one_of(st.text(min_size=1, max_size=64), INTENT_LIKE).filter(
    lambda data: 1 <= len(data.encode()) <= 64
)
start_payloads = st.one_of(
    st.text(st.characters(blacklist_categories=("Z", "Cc", "Cs")), min_size=1, max_size=70),
    st.from_regex(r"[cp]_[A-Za-z0-9_-]{0,30}", fullmatch=True),
    st.sampled_from(PERSONAL_COMMANDS),
)


@pytest.fixture
async def draft(telegram_bot: RunningBot, clock: Clock) -> Campaign:
    """Someone else's draft: no press or link may show it, follow it or pledge to it."""
    kiln = await live_campaign(telegram_bot.services.uows, clock, "kiln", title="The Secret Kiln")
    await back_to_draft(telegram_bot.services.uows, kiln)
    return kiln


def french_person(bot: RunningBot) -> Person:
    """A new person whose app speaks French."""
    return bot.person(next(PEOPLE), "Amélie", language_code="fr")


@FUZZ
@given(data=callback_data)
# Well-formed intents about the draft (id 1) and a pledge that is not the person's (id 1).
@example(data="s:1")
@example(data="f:1")
@example(data="c:1")
@example(data="p:1:1")
@example(data="x:1")
@example(data="y:1")
@example(data="l:en")
@example(data="b:trending::0")
async def test_any_button_data_is_answered_in_french_and_writes_nothing_else(
    telegram_bot: RunningBot, draft: Campaign, database: Database, data: str
) -> None:
    amelie = french_person(telegram_bot)
    before = await rows(database)
    posted = await telegram_bot.application.bot.send_message(
        amelie.user.id,
        "Buttons",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("Press", callback_data=data)]]),
    )

    answer = await amelie.presses(posted.to_dict(), "Press")

    try:
        intent = intents.decode(data)
    except StaleButton:
        assert (answer.text, answer.show_alert) == (STALE, True)
    else:
        chose_english = intent == Language("en")
        assert answer.text == ENGLISH_CHOSEN if chose_english else french(answer.text)
    shown = [message.get("text", "") for message in telegram_bot.standin.messages(amelie.chat)]
    assert not any(draft.title in text for text in shown)
    assert others(await rows(database), amelie.user.id) == others(before, amelie.user.id)


@FUZZ
@given(payload=start_payloads)
@example(payload="c_kiln")
@example(payload="p_1_0")
@example(payload="p_1_1_ref")
async def test_any_start_payload_is_answered_in_french_and_writes_nothing_else(
    telegram_bot: RunningBot, draft: Campaign, database: Database, payload: str
) -> None:
    amelie = french_person(telegram_bot)
    before = await rows(database)

    reply = (await amelie.says(f"/start {payload}"))["text"]

    match decode(payload):
        case None:
            assert reply.startswith(WELCOME_START)
        case OpenCampaign(slug):
            assert reply == f"Aucune campagne ne s’appelle «\u00a0{slug}\u00a0»."
        case ContinuePledge(campaign_id):
            assert reply == f"Aucune campagne ne s’appelle «\u00a0{campaign_id}\u00a0»."
        case RunCommand():
            assert french(reply.split("\n")[0])
    assert draft.title not in reply
    assert others(await rows(database), amelie.user.id) == others(before, amelie.user.id)
