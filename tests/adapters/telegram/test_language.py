"""Languages end to end: French for French apps, and /language overriding what the app says."""

from __future__ import annotations

from core.ports import Clock
from tests.adapters.telegram.campaigns import live_campaign
from tests.adapters.telegram.people import Person, RunningBot, labels

FRENCH_CARD_BUTTONS = [
    "Early bird · 50,00\u00a0€ · 100 restantes",
    "Lamp · 75,00\u00a0€",
    "Contribuer sans contrepartie",
    "Progression",
    "Suivre",
]


async def speaks_french(person: Person) -> None:
    """Check that the bot answers the person in French, from the welcome to a card."""
    welcome = await person.says("/start")
    assert welcome["text"].startswith("Bienvenue sur Backit\u00a0!")
    assert labels(welcome) == ["Découvrir les campagnes"]
    listing = await person.says("/discover")
    assert listing["text"].startswith(
        "Tendances\n\n1. The Reading Lamp\n0\u00a0% · 0,00\u00a0€ sur 1\u202f000,00\u00a0€"
    )
    assert listing["text"].endswith("Page 1 sur 1")
    card = await person.says("/campaign lamp")
    assert "par Ada · Design" in card["caption"]
    assert labels(card) == FRENCH_CARD_BUTTONS
    missing = await person.says("/campaign nope")
    assert missing["text"] == "Aucune campagne ne s’appelle «\u00a0nope\u00a0»."


async def test_a_french_telegram_app_gets_french(telegram_bot: RunningBot, clock: Clock) -> None:
    await live_campaign(telegram_bot.services.uows, clock)
    await speaks_french(telegram_bot.person(42, "Amélie", language_code="fr-FR"))


async def test_language_switches_an_english_app_to_french_and_it_sticks(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    await live_campaign(telegram_bot.services.uows, clock)
    ada = telegram_bot.person(42, "Ada")
    assert (await ada.says("/start"))["text"].startswith("Welcome to Backit!")

    choice = await ada.says("/language")
    assert (choice["text"], labels(choice)) == ("Choose your language:", ["English", "Français"])
    answer = await ada.presses(choice, "Français")
    assert answer.text == "C’est fait\u00a0: je vous parlerai en français."
    await speaks_french(ada)
    assert (await telegram_bot.backer(ada)).chosen_locale == "fr"

    choix = await ada.says("/language")
    assert choix["text"] == "Choisissez votre langue\u00a0:"
    answer = await ada.presses(choix, "English")
    assert answer.text == "Done: I will speak English with you."
    assert (await ada.says("/start"))["text"].startswith("Welcome to Backit!")


async def test_language_with_a_code_switches_at_once_and_an_unknown_code_lists_the_choices(
    telegram_bot: RunningBot, clock: Clock
) -> None:
    await live_campaign(telegram_bot.services.uows, clock)
    ada = telegram_bot.person(42, "Ada")

    chosen = await ada.says("/language FR")
    # The colon's space is left to the catalog (typography is being settled there).
    assert chosen["text"].replace("\u00a0", " ") == "C’est fait : je vous parlerai en français."
    assert "reply_markup" not in chosen
    await speaks_french(ada)
    unknown = await ada.says("/language de")
    assert unknown["text"] == (
        "Je ne connais pas cette langue. Choisissez parmi\u00a0: "
        "/language en (English), /language fr (Français)"
    )
    assert (await telegram_bot.backer(ada)).chosen_locale == "fr"

    back = await ada.says("/language en")
    assert back["text"] == "Done: I will speak English with you."
    assert (await telegram_bot.backer(ada)).chosen_locale == "en"
    assert (await ada.says("/start"))["text"].startswith("Welcome to Backit!")
