"""Review on Discord, end to end: the real bot and the real sender on the stand-in, a real
database; the creator submits, the operator asks for changes in a form, then approves."""

from __future__ import annotations

from dataclasses import replace

import aiohttp
import pytest

from adapters.chat_services import ChatServices
from adapters.discord.notices import discord_sender
from adapters.standins.discord import DiscordStandin, Message, User
from core.campaigns import Campaign, CampaignStatus
from core.identity import Identity, Platform
from core.ports import Clock
from core.rate_limits import Rate, SendLimits
from core.usecases.dispatching import Dispatcher, DispatchSettings
from core.usecases.managing import create_campaign
from core.views.intents import Approve, RequestChanges
from tests.adapters.discord.people import (
    RunningBot,
    embed,
    form_fields,
    identity,
    labels,
    press,
    reply,
)
from tests.core.conftest import draft
from tests.delivery_fakes import FakeLinks
from tests.discord_fixtures import TOKEN
from tests.fakes import FixedClock

LIMITS = SendLimits(overall=Rate(50, 1), private_chat=Rate(5, 5), group=Rate(5, 5))


@pytest.fixture
def olga(discord_standin: DiscordStandin) -> User:
    """The operator: a Discord user the settings name in `[operators] identities`."""
    return discord_standin.user("olga")


@pytest.fixture
def discord_services(discord_services: ChatServices, olga: User) -> ChatServices:
    """The test services, with Olga as their one operator."""
    return replace(
        discord_services, operators=frozenset({Identity(Platform.DISCORD, str(olga.id))})
    )


async def deliver(bot: RunningBot) -> None:
    """Send every notification due, as `backit run`'s dispatcher does."""
    services = bot.services
    async with discord_sender(TOKEN, LIMITS) as sender:
        await Dispatcher(
            services.uows, services.clock, [sender], FakeLinks(), DispatchSettings()
        ).drain()


def dms(bot: RunningBot, user: User) -> list[Message]:
    """What the bot sent the user in their DM."""
    return bot.standin.channel_messages(bot.standin.dm_channel(user))


async def status(bot: RunningBot, campaign: Campaign) -> CampaignStatus:
    async with bot.services.uows() as uow:
        found = await uow.campaigns.get(campaign.id)
    assert found is not None
    return found.status


async def test_a_draft_goes_to_the_operator_back_for_changes_and_live_once_approved(
    discord_bot: RunningBot, discord_http: aiohttp.ClientSession, olga: User, clock: Clock
) -> None:
    assert isinstance(clock, FixedClock)
    guild = discord_bot.server()
    ada, mallory = discord_bot.member(guild, "ada"), discord_bot.member(guild, "mallory")
    lamp = await create_campaign(
        discord_bot.services.uows(), draft(clock, creator_identities=(identity(ada),))
    )
    operator = discord_bot.standin.dm(olga)

    hidden = await reply(await mallory.slash("submit", options={"name": "lamp"}))
    assert hidden.content == "There is no campaign called “lamp”."
    sent = await reply(await ada.slash("submit", options={"name": "lamp"}))
    assert sent.visible_to == ada.user.id
    assert sent.content == (
        "“The Reading Lamp” is sent for review. An operator will approve it or ask for changes, "
        "and you will hear which here."
    )
    assert await status(discord_bot, lamp) is CampaignStatus.IN_REVIEW

    await deliver(discord_bot)
    (review,) = dms(discord_bot, olga)
    card = embed(review)
    assert card["title"] == "Review requested: The Reading Lamp"
    assert card["description"].startswith(
        "Submitted by Ada as lamp; approved, it launches at once and runs for 30 days."
    )
    assert "Raised: €0.00 of €1,000.00" in card["description"]
    assert labels(review) == ["Approve", "Request changes"]

    # Anyone else pressing the buttons, forged where they can press them, is refused.
    general = guild.channel("general")
    buttons = [
        {"type": 2, "style": 2, "label": label, "custom_id": intent.encode()}
        for label, intent in (("Approve", Approve(lamp.id)), ("Changes", RequestChanges(lamp.id)))
    ]
    forged = {"content": "Forged", "components": [{"type": 1, "components": buttons}]}
    async with discord_http.post(f"channels/{general.id}/messages", json=forged) as response:
        assert response.status == 200
    [posted] = discord_bot.standin.channel_messages(general)
    for member in (mallory, ada):
        for label in ("Approve", "Changes"):
            refused = await reply(await press(member, posted, label))
            assert refused.visible_to == member.user.id
            assert refused.content == "Only an operator can review campaigns."
    assert await status(discord_bot, lamp) is CampaignStatus.IN_REVIEW

    # Changes asked for in a form.
    opened = await press(operator, review, "Request changes")
    (field,) = await form_fields(opened)
    assert opened.modal is not None
    assert opened.modal["title"] == "Changes for “The Reading Lamp”"
    assert (field["label"], field["max_length"]) == ("What should the creator change?", 1000)
    done = await reply(
        await operator.submit_modal(opened, {field["custom_id"]: "  Add a photo, lit.  "})
    )
    assert done.content == (
        "“The Reading Lamp” is back with its creator, with your reason. It comes back here when "
        "they submit it again."
    )
    assert await status(discord_bot, lamp) is CampaignStatus.DRAFT

    await deliver(discord_bot)
    (changes,) = dms(discord_bot, ada.user)
    assert embed(changes)["title"] == "Changes requested for The Reading Lamp"
    assert embed(changes)["description"] == (
        "An operator asked for changes before publishing it:\n\nAdd a photo, lit.\n\nWhen it is "
        "ready, submit it again with /submit lamp."
    )
    # The old notice's form no longer opens: the campaign is not in review.
    stale = await reply(await press(operator, review, "Request changes"))
    assert stale.content == (
        "“The Reading Lamp” is not waiting for review: it is a draft, with its creator."
    )

    resent = await reply(await ada.slash("submit", options={"name": "The Reading Lamp"}))
    assert resent.content.startswith("“The Reading Lamp” is sent for review.")
    await deliver(discord_bot)
    second = dms(discord_bot, olga)[-1]
    assert embed(second)["title"] == "Review requested: The Reading Lamp"
    approved = await reply(await press(operator, second, "Approve"))
    assert approved.content == "“The Reading Lamp” is approved and live. Its creator is told."
    again = await reply(await press(operator, second, "Approve"))
    assert again.content == "“The Reading Lamp” was already approved."
    assert await status(discord_bot, lamp) is CampaignStatus.LIVE

    await deliver(discord_bot)
    told = dms(discord_bot, ada.user)
    assert [embed(m)["title"] for m in told] == [
        "Changes requested for The Reading Lamp",
        "The Reading Lamp is approved",
    ]
    assert embed(told[-1])["description"] == "It is live: people can discover it and back it now."

    shown = await reply(await mallory.slash("campaign", options={"name": "lamp"}))
    assert embed(shown)["title"] == "The Reading Lamp"


async def test_submit_autocompletes_the_members_own_drafts(
    discord_bot: RunningBot, clock: Clock
) -> None:
    assert isinstance(clock, FixedClock)
    guild = discord_bot.server()
    ada = discord_bot.member(guild, "ada")
    uows = discord_bot.services.uows
    await create_campaign(uows(), draft(clock, creator_identities=(identity(ada),)))
    await create_campaign(
        uows(),
        draft(clock, slug="kiln", title="The Kiln", creator_identities=(identity(ada),)),
    )
    choices = await ada.autocomplete("submit", "name", "")
    assert sorted(c["value"] for c in choices) == ["kiln", "lamp"]
    await reply(await ada.slash("submit", options={"name": "kiln"}))
    choices = await ada.autocomplete("submit", "name", "")
    assert [c["value"] for c in choices] == ["lamp"]
