"""A coming-soon campaign on Discord: when it launches, how many wait, and a way to be told."""

from __future__ import annotations

from datetime import timedelta

from core.campaigns import CampaignStatus
from core.identity import Caller, Identity, Platform
from core.ports import Clock
from core.usecases.following import follow
from tests.adapters.discord.campaigns import live_campaign
from tests.adapters.discord.people import RunningBot, embed, labels, press, reply


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
