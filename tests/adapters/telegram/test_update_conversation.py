"""/update end to end: a creator writes, previews, picks the audience, and core queues it."""

from __future__ import annotations

from core.identity import Platform
from core.outbox import OutboxMessage
from core.ports import Clock
from tests.adapters.telegram.campaigns import live_campaign, paid_pledge
from tests.adapters.telegram.people import RunningBot, labels

ASK = "Send the text of your update for “The Reading Lamp”. /cancel to stop."
CHOICES = [
    "Send to everyone following (2 recipients)",
    "Send to backers only (1 recipient)",
    "Cancel",
]


async def queued_updates(telegram_bot: RunningBot) -> list[OutboxMessage]:
    """The update messages waiting in the outbox."""
    async with telegram_bot.services.uows() as uow:
        messages = await uow.outbox.pending(limit=1_000)
    return [message for message in messages if message.notification.type == "update"]


async def audience(telegram_bot: RunningBot, clock: Clock) -> int:
    """A campaign with one follower (user 50) and one backer (user 60); returns its id."""
    lamp = await live_campaign(telegram_bot.services.uows, clock)
    await paid_pledge(telegram_bot.services.uows, clock, lamp, 60)
    fan = telegram_bot.person(50, "Fan")
    await fan.presses(await fan.says("/campaign lamp"), "Follow")
    await fan.reads()
    return lamp.id


async def test_the_creators_update_goes_to_everyone_following_and_backing(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    lamp_id = await audience(telegram_bot, clock)
    ada = telegram_bot.person(7, "Ada")

    assert (await ada.says("/update lamp"))["text"] == ASK
    preview = await ada.says("We <shipped> & it works!")
    assert preview["text"] == (
        "Preview of your update to “The Reading Lamp”:\n\nWe <shipped> & it works!"
    )
    assert labels(preview) == CHOICES
    answer = await ada.presses(preview, CHOICES[0])
    assert answer.text is None
    assert labels(await ada.reads()) == []
    assert (await ada.reads())["text"] == "Your update is on its way to 2 recipients."

    queued = await queued_updates(telegram_bot)
    assert sorted(m.recipient.address for m in queued) == ["50", "60"]
    assert {m.recipient.platform for m in queued} == {Platform.TELEGRAM}
    assert queued[0].notification.data["campaign_id"] == lamp_id
    assert queued[0].notification.data["text"] == "We <shipped> & it works!"


async def test_an_update_for_backers_only_skips_mere_followers(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    await audience(telegram_bot, clock)
    ada = telegram_bot.person(7, "Ada")
    await ada.says("/update lamp")
    preview = await ada.says("Backers first: the colours are in.")

    await ada.presses(preview, CHOICES[1])
    await ada.reads()
    assert (await ada.reads())["text"] == "Your update is on its way to 1 recipient."
    assert [m.recipient.address for m in await queued_updates(telegram_bot)] == ["60"]


async def test_an_update_nobody_would_receive_is_flagged_before_it_is_sent(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    await live_campaign(telegram_bot.services.uows, clock)
    ada = telegram_bot.person(7, "Ada")
    await ada.says("/update lamp")

    preview = await ada.says("Hello, anyone?")
    assert preview["text"] == (
        "Preview of your update to “The Reading Lamp”:\n\n⚠️ Nobody follows or has backed this "
        "campaign yet: this update would reach no one for now. It stays in the campaign's updates "
        "for those who come later.\n\nHello, anyone?"
    )
    assert labels(preview)[:2] == [
        "Send to everyone following (0 recipients)",
        "Send to backers only (0 recipients)",
    ]
    await ada.presses(preview, "Send to everyone following (0 recipients)")
    await ada.reads()
    assert (await ada.reads())["text"] == (
        "Your update is posted. Nobody receives it for now: it is in the campaign's updates."
    )


async def test_a_campaign_with_followers_but_no_backers_warns_about_backers_only(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    await live_campaign(telegram_bot.services.uows, clock)
    for user_id in (50, 51):
        fan = telegram_bot.person(user_id, "Fan")
        await fan.presses(await fan.says("/campaign lamp"), "Follow")
        await fan.reads()
    ada = telegram_bot.person(7, "Ada", language_code="fr")
    await ada.says("/update lamp")

    preview = await ada.says("Bonjour !")
    assert (
        "Personne n’a encore soutenu cette campagne\u00a0: envoyée aux contributeurs seulement, "
        "elle n’atteindrait personne."
    ) in preview["text"]
    # French counts 0 and 1 in the singular.
    assert labels(preview) == [
        "À tous ceux qui suivent (2 destinataires)",
        "Aux contributeurs seulement (0 destinataire)",
        "Annuler",
    ]
    await ada.presses(preview, "À tous ceux qui suivent (2 destinataires)")
    await ada.reads()
    assert (await ada.reads())["text"] == "Votre actualité part vers 2 destinataires."


async def test_someone_else_may_not_post_but_an_operator_may(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    await live_campaign(telegram_bot.services.uows, clock)
    bob = telegram_bot.person(43, "Bob")
    refused = await bob.says("/update lamp")
    assert refused["text"] == "Only the campaign's creator or an operator can do that."
    # No conversation started: Bob's next words are not an update, only pointed onward.
    onward = await bob.says("Everyone, send money to me!")
    assert onward["text"] == "Send /discover to find campaigns, or /help."

    operator = telegram_bot.person(9000, "Operator")
    assert (await operator.says("/update lamp"))["text"] == ASK
    # Asking again while writing starts over.
    assert (await operator.says("/update nope"))["text"] == "There is no campaign called “nope”."
    assert (await operator.says("/update lamp"))["text"] == ASK


async def test_cancel_drops_the_draft_by_command_or_button(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    await audience(telegram_bot, clock)
    ada = telegram_bot.person(7, "Ada")

    await ada.says("/update lamp")
    assert (await ada.says("/cancel"))["text"] == "Update discarded."
    await ada.says("/update lamp")
    preview = await ada.says("Never mind.")
    answer = await ada.presses(preview, "Cancel")
    assert (answer.text, labels(await ada.reads())) == ("Update discarded.", [])
    assert await queued_updates(telegram_bot) == []


async def test_updates_are_written_in_private_and_name_a_campaign(
    telegram_bot: RunningBot,
) -> None:
    ada = telegram_bot.person(7, "Ada")
    group = telegram_bot.standin.group(-100, "Makers", members=[ada.user])
    assert (await ada.says("/update lamp", group))[
        "text"
    ] == "Write updates to me in a private chat."
    assert (await ada.says("/update"))["text"] == (
        "Which campaign is your update about?\n\nYou have not created a campaign yet."
    )
