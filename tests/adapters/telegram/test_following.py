"""Following end to end: the card's button flips, /following lists, the database remembers."""

from __future__ import annotations

from core.campaigns import FundingModel
from core.identity import Caller
from core.ports import Clock
from tests.adapters.chat_campaigns import reward_backed
from tests.adapters.telegram.campaigns import live_campaign
from tests.adapters.telegram.people import Person, RunningBot, button, labels, rows


async def follows(telegram_bot: RunningBot, person: Person, campaign_id: int) -> bool:
    """Whether the database holds the person's follow of the campaign."""
    backer = await telegram_bot.backer(person)
    async with telegram_bot.services.uows() as uow:
        return await uow.follows.get(backer.id, campaign_id) is not None


async def test_follow_and_unfollow_flip_the_cards_button_and_the_stored_follow(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    lamp = await live_campaign(telegram_bot.services.uows, clock)
    ada = telegram_bot.person(42, "Ada")
    empty = await ada.says("/following")
    assert empty["text"] == (
        "Campaigns you follow\n\nYou do not follow any campaign yet. Tap Follow on a card."
    )
    card = await ada.says("/campaign lamp")

    answer = await ada.presses(card, "Follow")
    assert answer.text == "You follow “The Reading Lamp”: you will hear about its milestones."
    flipped = await ada.reads()
    assert flipped["message_id"] == card["message_id"]
    assert labels(flipped) == [*labels(card)[:-1], "Unfollow"]
    assert await follows(telegram_bot, ada, lamp.id)
    listed = await ada.says("/following")
    assert listed["text"].startswith("Campaigns you follow\n\n1. The Reading Lamp\n0% · ")
    assert labels(listed) == ["1. The Reading Lamp"]
    assert labels(await ada.says("/campaign lamp"))[-1] == "Unfollow"

    answer = await ada.presses(flipped, "Unfollow")
    assert answer.text == "You no longer follow “The Reading Lamp”."
    assert labels(await ada.reads()) == labels(card)
    assert not await follows(telegram_bot, ada, lamp.id)
    assert (await ada.says("/following"))["text"] == empty["text"]


async def test_following_from_a_group_card_leaves_it_offering_follow_to_everyone(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    lamp = await live_campaign(telegram_bot.services.uows, clock)
    ada = telegram_bot.person(42, "Ada")
    bob = telegram_bot.person(43, "Bob")
    group = telegram_bot.standin.group(-100, "Makers", members=[ada.user, bob.user])
    card = await ada.says("/campaign lamp", group)

    for person in (ada, bob):
        answer = await person.presses(card, "Follow")
        assert answer.text == "You follow “The Reading Lamp”: you will hear about its milestones."
        assert await follows(telegram_bot, person, lamp.id)
    assert telegram_bot.standin.messages(group)[-1] == card


async def test_a_double_tap_on_follow_follows_once_and_flips_the_button_once(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    lamp = await live_campaign(telegram_bot.services.uows, clock)
    ada = telegram_bot.person(42, "Ada")
    card = await ada.says("/campaign lamp")

    # Both taps land before the bot has flipped the button.
    taps = [await ada.user.press(card, "Follow") for _ in range(2)]
    for tap in taps:
        answer = await tap.answer()
        assert answer.text == "You follow “The Reading Lamp”: you will hear about its milestones."
    assert labels(await ada.reads())[-1] == "Unfollow"
    assert await follows(telegram_bot, ada, lamp.id)
    assert len(telegram_bot.standin.messages(ada.chat)) == 2


async def test_an_empty_following_list_leads_to_the_first_page_of_discover(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    await live_campaign(telegram_bot.services.uows, clock)
    amelie = telegram_bot.person(43, "Amélie", language_code="fr")
    empty = await amelie.says("/following")
    assert labels(empty) == ["Découvrir les campagnes"]

    await amelie.presses(empty, "Découvrir les campagnes")
    discover = await amelie.reads()

    assert discover["message_id"] == empty["message_id"]
    assert discover["text"].startswith("Tendances\n\n1. The Reading Lamp\n")


async def test_following_a_backed_campaign_keeps_the_backers_own_buttons(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    ada = telegram_bot.person(42, "Ada")
    lamp = await live_campaign(
        telegram_bot.services.uows, clock, funding_model=FundingModel.ALL_OR_NOTHING
    )
    await reward_backed(
        telegram_bot.services.uows, clock, lamp, Caller(ada.identity, "Ada", "en"), 0
    )
    card = await ada.says("/campaign lamp")
    assert "Change my pledge" in labels(card)

    await ada.presses(card, "Follow")
    flipped = await ada.reads()
    assert labels(flipped) == [*labels(card)[:-1], "Unfollow"]
    # A reward still asks before a second pledge rather than paying at once.
    assert "url" not in button(flipped, "Lamp · €75.00")
    await ada.presses(flipped, "Unfollow")
    assert rows(await ada.reads()) == rows(card)
