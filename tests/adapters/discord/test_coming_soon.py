"""A coming-soon campaign on Discord: when it launches, how many wait, and a way to be told."""

from __future__ import annotations

from datetime import timedelta

from adapters.discord.notices import discord_sender
from bots.scheduler import DeadlineScheduler
from core.campaigns import CampaignStatus
from core.identity import Caller, Identity, Platform
from core.ports import Clock
from core.usecases.dispatching import Dispatcher, DispatchSettings
from core.usecases.following import follow
from tests.adapters.discord.campaigns import live_campaign
from tests.adapters.discord.people import RunningBot, embed, labels, press, reply
from tests.adapters.discord.test_notices import LIMITS
from tests.delivery_fakes import FakeLinks
from tests.discord_fixtures import TOKEN
from tests.fakes import FixedClock


async def test_a_coming_soon_card_counts_who_waits_and_offers_to_notify_at_launch(
    discord_bot: RunningBot, clock: Clock
) -> None:
    uows = discord_bot.services.uows
    lamp = await live_campaign(uows, clock, started=-timedelta(hours=3))
    assert lamp.status is CampaignStatus.COMING_SOON
    for user in range(10):
        person = Caller(Identity(Platform.TELEGRAM, str(500 + user)), "Reader", "en")
        await follow(uows(), clock, person, lamp.id)
    ada = discord_bot.member(discord_bot.server(), "ada")

    card = await reply(await ada.slash("campaign", options={"name": "lamp"}))
    fields = {field["name"]: field["value"] for field in embed(card)["fields"]}
    assert fields["Coming soon"] == "Launches in 3 hours"
    assert fields["Waiting"] == "10 people waiting"
    assert "Raised" not in fields
    assert labels(card) == ["Progress", "Notify me on launch"]

    answer = await reply(await press(ada, card, "Notify me on launch"))
    assert answer.visible_to == ada.user.id
    assert answer.content == "You will be told when “The Reading Lamp” launches."
    again = await reply(await ada.slash("campaign", options={"name": "lamp"}))
    fields = {field["name"]: field["value"] for field in embed(again)["fields"]}
    assert fields["Waiting"] == "11 people waiting"


async def test_a_french_member_who_asked_hears_of_the_launch_by_dm_with_the_card_picture(
    discord_bot: RunningBot, clock: FixedClock
) -> None:
    uows = discord_bot.services.uows
    await live_campaign(uows, clock, started=-timedelta(hours=3))
    lea = discord_bot.member(discord_bot.server(), "lea", locale="fr")
    card = await reply(await lea.slash("campaign", options={"name": "lamp"}))
    await reply(await press(lea, card, "Me prévenir au lancement"))

    clock.advance(timedelta(hours=3))
    await DeadlineScheduler(uows, clock, interval=30).tick()
    async with discord_sender(TOKEN, LIMITS) as sender:
        await Dispatcher(uows, clock, [sender], FakeLinks(), DispatchSettings()).drain()

    standin = discord_bot.standin
    [told] = standin.channel_messages(standin.dm_channel(lea.user))
    assert told.embeds[0]["title"] == "«\u00a0The Reading Lamp\u00a0» est en ligne\u00a0!"
    assert told.embeds[0]["image"]["url"] == "https://backit.test/c/lamp/card.png"
    assert [b["label"] for b in told.interactive()] == ["Soutenir", "Voir la campagne"]
