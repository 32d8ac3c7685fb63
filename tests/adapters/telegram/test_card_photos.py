"""Campaign cards as photos of their card picture: uploaded once per picture and language, sent
again by file id, edited in place when a button changes them."""

from __future__ import annotations

import logging

import pytest
from PIL import ImageChops

from adapters.images.card_images import card_images
from core.ports import Clock
from core.views.pictures import CardPicture
from tests.adapters.telegram.campaigns import live_campaign, paid_pledge
from tests.adapters.telegram.people import RunningBot, labels


def largest(message: dict[str, object]) -> dict[str, object]:
    """The largest size of a photo message's photo."""
    sizes = message["photo"]
    assert isinstance(sizes, list)
    found: dict[str, object] = sizes[-1]
    return found


async def test_a_card_is_its_uploaded_picture_captioned_with_the_card(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    await live_campaign(telegram_bot.services.uows, clock, image_url="https://img.test/lamp.png")
    ada = telegram_bot.person(42, "Ada")

    card = await ada.says("/campaign lamp")

    assert telegram_bot.picture(card).size == (1200, 675)
    assert card["caption"].startswith(
        "The Reading Lamp\nby Ada · Design\n\nA warm lamp for long nights.\n\n▱▱▱▱▱▱▱▱▱▱ 0%\n"
        "Raised: €0.00 of €1,000.00\n"
    )
    assert card["caption_entities"][0] == {"type": "bold", "offset": 0, "length": 16}
    assert labels(card)[-1] == "Follow"
    assert "text" not in card
    assert telegram_bot.standin.photo_uploads == 1


async def test_the_same_card_again_is_sent_by_the_file_id_telegram_gave_it(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    await live_campaign(telegram_bot.services.uows, clock)
    ada = telegram_bot.person(42, "Ada")
    bob = telegram_bot.person(43, "Bob")

    first = await ada.says("/campaign lamp")
    again = [await ada.says("/start c_lamp"), await bob.says("/campaign lamp")]

    assert telegram_bot.standin.photo_uploads == 1
    assert [largest(card)["file_id"] for card in again] == [largest(first)["file_id"]] * 2


async def test_a_french_reader_gets_the_picture_in_french_uploaded_once(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    await live_campaign(telegram_bot.services.uows, clock)
    ada = telegram_bot.person(42, "Ada")
    amelie = telegram_bot.person(43, "Amélie", language_code="fr")
    bernard = telegram_bot.person(44, "Bernard", language_code="fr")

    english = await ada.says("/campaign lamp")
    french = await amelie.says("/campaign lamp")
    assert (await bernard.says("/campaign lamp"))["photo"] == french["photo"]

    assert largest(french)["file_id"] != largest(english)["file_id"]
    assert ImageChops.difference(
        telegram_bot.picture(french).convert("RGB"), telegram_bot.picture(english).convert("RGB")
    ).getbbox()
    assert "par Ada · Design" in french["caption"]
    assert telegram_bot.standin.photo_uploads == 2


async def test_a_pledge_changes_the_picture_and_the_new_one_is_uploaded(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    lamp = await live_campaign(telegram_bot.services.uows, clock)
    ada = telegram_bot.person(42, "Ada")
    before = await ada.says("/campaign lamp")

    await paid_pledge(telegram_bot.services.uows, clock, lamp, 50, amount=25_000)
    after = await ada.says("/campaign lamp")

    assert telegram_bot.standin.photo_uploads == 2
    assert largest(after)["file_id"] != largest(before)["file_id"]
    assert ImageChops.difference(
        telegram_bot.picture(after).convert("RGB"), telegram_bot.picture(before).convert("RGB")
    ).getbbox()
    assert "▰▰▱▱▱▱▱▱▱▱ 25%" in after["caption"]


async def test_follow_edits_the_cards_caption_and_keyboard_in_place(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    await live_campaign(telegram_bot.services.uows, clock)
    ada = telegram_bot.person(42, "Ada")
    card = await ada.says("/campaign lamp")

    await ada.presses(card, "Follow")
    flipped = await ada.reads()

    assert flipped["message_id"] == card["message_id"]
    assert "edit_date" in flipped
    assert labels(flipped) == [*labels(card)[:-1], "Unfollow"]
    assert (flipped["photo"], flipped["caption"]) == (card["photo"], card["caption"])
    assert [
        m["message_id"] for m in telegram_bot.standin.messages(ada.chat) if m["from"]["is_bot"]
    ] == [card["message_id"]]
    assert telegram_bot.standin.photo_uploads == 1


async def test_follow_after_a_pledge_puts_the_new_picture_on_the_same_message(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    lamp = await live_campaign(telegram_bot.services.uows, clock)
    ada = telegram_bot.person(42, "Ada")
    card = await ada.says("/campaign lamp")
    await paid_pledge(telegram_bot.services.uows, clock, lamp, 50, amount=25_000)

    await ada.presses(card, "Follow")
    updated = await ada.reads()

    assert updated["message_id"] == card["message_id"]
    assert largest(updated)["file_unique_id"] != largest(card)["file_unique_id"]
    assert telegram_bot.picture(updated).size == (1200, 675)
    assert "▰▰▱▱▱▱▱▱▱▱ 25%" in updated["caption"]
    assert labels(updated)[-1] == "Unfollow"
    assert [
        m["message_id"] for m in telegram_bot.standin.messages(ada.chat) if m["from"]["is_bot"]
    ] == [card["message_id"]]
    # Shown again, the new picture goes by the file id its edit was given.
    assert (await ada.says("/campaign lamp"))["photo"] == updated["photo"]
    assert telegram_bot.standin.photo_uploads == 2


async def test_a_file_id_telegram_no_longer_honours_is_forgotten_and_the_picture_uploaded(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    await live_campaign(telegram_bot.services.uows, clock)
    ada = telegram_bot.person(42, "Ada")
    first = await ada.says("/campaign lamp")
    telegram_bot.standin.expire_file(str(largest(first)["file_id"]))

    again = await ada.says("/campaign lamp")
    third = await ada.says("/campaign lamp")

    assert telegram_bot.picture(again).size == (1200, 675)
    assert largest(again)["file_id"] != largest(first)["file_id"]
    assert third["photo"] == again["photo"]
    assert telegram_bot.standin.photo_uploads == 2


def failing_drawing(picture: CardPicture, cover: bytes | None) -> bytes:
    """A drawing that cannot be made, as when fonts went missing."""
    raise OSError("cannot open resource")


@pytest.mark.parametrize("card_images", [card_images(draw=failing_drawing)])
async def test_a_picture_that_cannot_be_drawn_leaves_the_card_as_text(
    telegram_bot: RunningBot, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    await live_campaign(telegram_bot.services.uows, clock)
    ada = telegram_bot.person(42, "Ada")

    with caplog.at_level(logging.WARNING, "adapters.telegram"):
        card = await ada.says("/campaign lamp")

    assert card["text"].startswith("The Reading Lamp\nby Ada · Design\n")
    assert "photo" not in card
    assert telegram_bot.standin.photo_uploads == 0
    assert [record.getMessage() for record in caplog.records] == [
        "picture not drawn (cannot open resource); the message goes without it"
    ]
