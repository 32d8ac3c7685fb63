"""Whatever custom_id a pressed button carries, the bot answers it, in the member's language,
and writes nothing but the member's own backer record (never a pledge or a follow)."""

from __future__ import annotations

import itertools

import pytest
from discord.http import Route
from hypothesis import example, given
from hypothesis import strategies as st

from adapters.discord.buttons import TEMPLATE
from adapters.discord.updates import AUDIENCE_PREFIX, DraftExpired
from adapters.standins.discord.interactions import CHANNEL_MESSAGE, MODAL, UPDATE_MESSAGE
from adapters.standins.discord.records import Channel, Guild, Message
from adapters.storage import Database
from core.campaigns import Campaign
from core.i18n import use_locale
from core.ports import Clock
from core.views.intents import StaleButton, decode
from tests.adapters.chat_campaigns import back_to_draft
from tests.adapters.discord.campaigns import live_campaign
from tests.adapters.discord.people import RunningBot
from tests.adapters.fuzzing import FUZZ, INTENT_LIKE, STALE, french, others, rows

with use_locale("fr"):
    DRAFT_EXPIRED = DraftExpired().user_message()
# Each example is a new member, so that nothing one does colours the next.
NAMES = (f"member-{n}" for n in itertools.count())

custom_ids = st.one_of(
    st.text(min_size=1, max_size=100),
    INTENT_LIKE,
    st.builds(lambda rest: AUDIENCE_PREFIX + rest, st.text(max_size=20)),
).filter(lambda custom_id: custom_id.strip() != "")


@pytest.fixture
async def draft(discord_bot: RunningBot, clock: Clock) -> Campaign:
    """Someone else's draft: no press may show it, follow it or pledge to it."""
    kiln = await live_campaign(discord_bot.services.uows, clock, "kiln", title="The Secret Kiln")
    await back_to_draft(discord_bot.services.uows, kiln)
    return kiln


@pytest.fixture
def server(discord_bot: RunningBot) -> Guild:
    """The server where every example's button is posted, in #general."""
    return discord_bot.server()


def decodes(custom_id: str) -> bool:
    """Whether the custom id reads as an intent, as the bot's buttons read it."""
    match = TEMPLATE.fullmatch(custom_id)
    try:
        decode(match["intent"] if match else custom_id)
    except StaleButton:
        return False
    return match is not None


async def post_button(bot: RunningBot, channel: Channel, custom_id: str) -> None:
    """The bot posts a message whose one button carries `custom_id`, as any client could."""
    assert bot.bot is not None
    button = {"type": 2, "style": 1, "label": "Press", "custom_id": custom_id}
    await bot.bot.client.http.request(
        Route("POST", "/channels/{channel_id}/messages", channel_id=channel.id),
        json={"content": "Buttons", "components": [{"type": 1, "components": [button]}]},
    )


@FUZZ
@given(custom_id=custom_ids)
# Well-formed intents about the draft (id 1), a pledge that is not the member's, an update.
@example(custom_id="s:1")
@example(custom_id="f:1")
@example(custom_id="c:1")
@example(custom_id="p:1:1")
@example(custom_id="x:1")
@example(custom_id="y:1#2")
@example(custom_id="update:everyone:abc")
@example(custom_id="update:X")
@example(custom_id="s:1#x")
@example(custom_id="s:1\n")
async def test_any_custom_id_is_answered_in_french_and_writes_nothing_else(
    discord_bot: RunningBot,
    draft: Campaign,
    server: Guild,
    database: Database,
    custom_id: str,
) -> None:
    channel = server.channel("general")
    member = discord_bot.member(server, next(NAMES), locale="fr")
    before = await rows(database)
    await post_button(discord_bot, channel, custom_id)
    posted = discord_bot.standin.channel_messages(channel)[-1]

    pressed = await member.press(posted, custom_id)

    kind = (await pressed.response())["type"]
    if kind == MODAL:
        # A form (the amount of a pledge): core checks the campaign when it is sent.
        assert pressed.modal is not None
        assert french(pressed.modal["title"])
        answered: Message | None = posted
    else:
        assert kind in (CHANNEL_MESSAGE, UPDATE_MESSAGE), kind
        answered = pressed.original if kind == CHANNEL_MESSAGE else pressed.source
        assert answered is not None
        if custom_id.startswith(AUDIENCE_PREFIX):
            assert answered.content == DRAFT_EXPIRED
        elif not decodes(custom_id):
            assert answered.content == STALE
        else:
            assert french(answered.content)
    assert answered is not None
    assert draft.title not in str(answered.embeds)
    assert others(await rows(database), member.user.id) == others(before, member.user.id)
