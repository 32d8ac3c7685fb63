"""Following from cards: a shared card answers the member alone; their own card flips its button."""

from __future__ import annotations

from core.campaigns import FundingModel
from core.identity import Caller
from core.ports import Clock
from tests.adapters.chat_campaigns import reward_backed
from tests.adapters.discord.campaigns import live_campaign
from tests.adapters.discord.people import RunningBot, embed, identity, labels, press, reply


async def test_following_from_a_shared_card_then_unfollowing_from_the_own_card(
    discord_bot: RunningBot, clock: Clock
) -> None:
    await live_campaign(discord_bot.services.uows, clock)
    ada = discord_bot.member(discord_bot.server(), "ada")
    card = await reply(await ada.slash("campaign", options={"name": "lamp"}))

    answer = await reply(await press(ada, card, "Follow"))
    assert answer.visible_to == ada.user.id
    assert answer.content == "You follow “The Reading Lamp”: you will hear about its milestones."
    # The shared card is everyone's: it keeps offering Follow.
    assert labels(card)[-1] == "Follow"

    followed = await reply(await ada.slash("following"))
    assert followed.visible_to == ada.user.id
    assert embed(followed)["title"] == "Campaigns you follow"
    own = await reply(await press(ada, followed, "1. The Reading Lamp"))
    assert labels(own)[-1] == "Unfollow"
    flipped = await reply(await press(ada, own, "Unfollow"))
    assert (flipped.id, labels(flipped)[-1]) == (own.id, "Follow")

    none = await reply(await ada.slash("following"))
    assert embed(none)["description"] == (
        "You do not follow any campaign yet. Tap Follow on a card."
    )
    # The empty list leads on: its button opens the first page of /discover in its place.
    assert labels(none) == ["Discover campaigns"]
    discover = await reply(await press(ada, none, "Discover campaigns"))
    assert (discover.id, embed(discover)["title"]) == (none.id, "Trending")
    assert embed(discover)["description"].startswith("**1. The Reading Lamp**")


async def test_in_direct_messages_the_card_is_the_members_own_and_flips_in_place(
    discord_bot: RunningBot, clock: Clock
) -> None:
    await live_campaign(discord_bot.services.uows, clock)
    ada = discord_bot.standin.dm(discord_bot.standin.user("ada"))

    card = await reply(await ada.slash("campaign", options={"name": "lamp"}))
    flipped = await reply(await press(ada, card, "Follow"))

    assert (flipped.id, labels(flipped)[-1]) == (card.id, "Unfollow")
    again = await reply(await ada.slash("campaign", options={"name": "lamp"}))
    assert labels(again)[-1] == "Unfollow"


async def test_following_a_backed_campaign_keeps_the_members_pledge_on_their_card(
    discord_bot: RunningBot, clock: Clock
) -> None:
    ada = discord_bot.member(discord_bot.server(), "ada")
    uows = discord_bot.services.uows
    lamp = await live_campaign(uows, clock, funding_model=FundingModel.ALL_OR_NOTHING)
    await reward_backed(uows, clock, lamp, Caller(identity(ada), "Ada", "en"), 0)
    listing = await reply(await ada.slash("discover"))
    card = await reply(await press(ada, listing, "1. The Reading Lamp"))
    assert "Change my pledge" in labels(card)

    flipped = await reply(await press(ada, card, "Follow"))

    assert flipped.id == card.id
    assert labels(flipped) == [*labels(card)[:-1], "Unfollow"]
    assert embed(flipped)["fields"][0] == embed(card)["fields"][0]
    assert embed(flipped)["fields"][0]["name"] == "You pledged"
