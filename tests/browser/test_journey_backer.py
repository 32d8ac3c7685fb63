"""A backer's journey ends somewhere good, in a real browser against `backit run --sandbox`:
text nobody asked for gets a hint, an empty list leads to Discover, the amount question takes
a new answer after a wrong one and after a right one, and cancelling asks with the amount, on
Telegram and Discord, in English and French."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import Sandbox, own_sandbox
from tests.browser.test_sandbox_page import (
    BOARD_GAME,
    CHEAPEST_GAME,
    GOOD_CARD,
    bot_messages,
    open_card,
    pay,
    say,
    shot,
)

LAMP = "maree-lampe"


@pytest.fixture(scope="module")
def sandbox(seeded: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """A process of the module's own: text nobody asked for needs a you who was never asked
    an amount (once asked, the bot takes the next messages as amounts, for good), and an empty
    following list one who follows nothing; in the shared process, other modules did both."""
    home = tmp_path_factory.mktemp("backer")
    with own_sandbox(seeded, home, "backit-backer.log") as own:
        yield own


@pytest.fixture(params=["en", "fr"])
def language(request: pytest.FixtureRequest, page: Page) -> Iterator[str]:
    """The page switched to a language, and back to English after the test."""
    code: str = request.param
    page.click(f"[data-language={code}]")
    expect(page.locator(f"[data-language={code}]")).to_have_attribute("aria-pressed", "true")
    yield code
    # The process is shared by the module's tests: leave it in English.
    page.click("[data-language=en]")
    expect(page.locator("[data-language=en]")).to_have_attribute("aria-pressed", "true")


def pinned(page: Page, message: Locator) -> Locator:
    """The same Telegram message, found by its id: it stays found when edited in place."""
    identifier = message.get_attribute("data-message-id")
    return page.locator(f'#tg-messages .tg-row.in[data-message-id="{identifier}"]')


def discord_says(page: Page, command: str) -> Locator:
    """Send a slash command in the Discord test server; the reply only the member sees."""
    page.click("#tab-discord")
    replies = page.locator(".dc-message.ephemeral")
    shown = replies.count()
    page.fill("#dc-input", command)
    page.press("#dc-input", "Enter")
    expect(replies).to_have_count(shown + 1)
    return replies.last


def test_text_nobody_asked_for_gets_a_hint_not_silence(page: Page, language: str) -> None:
    hint = {
        "en": "Send /discover to find campaigns, or /help.",
        "fr": "Envoyez /discover pour trouver des campagnes, ou /help.",
    }[language]
    before = bot_messages(page, hint).count()

    say(page, "hello?")

    expect(bot_messages(page, hint)).to_have_count(before + 1)
    shot(page, f"journey-hint-{language}")


def test_an_empty_following_list_leads_to_discover_on_both_platforms(
    page: Page, language: str
) -> None:
    empty, discover, trending = {
        "en": ("You do not follow any campaign yet", "Discover campaigns", "Trending"),
        "fr": ("Vous ne suivez encore aucune campagne", "Découvrir les campagnes", "Tendances"),
    }[language]
    say(page, "/following")
    expect(bot_messages(page, empty).last).to_be_visible()
    listing = pinned(page, bot_messages(page, empty).last)
    shot(page, f"journey-following-empty-{language}")
    listing.get_by_role("button", name=discover).click()
    expect(listing).to_contain_text(trending)
    expect(listing).to_contain_text("1.")
    shot(page, f"journey-following-discover-{language}")

    command = {"en": "/following", "fr": "/suivies"}[language]
    private = discord_says(page, command)
    expect(private).to_contain_text(empty)
    private.scroll_into_view_if_needed()
    shot(page, f"journey-discord-following-empty-{language}")
    private.locator(".dc-button", has_text=discover).click()
    expect(private.locator(".dc-embed-title")).to_have_text(trending)
    shot(page, f"journey-discord-following-discover-{language}")


def test_the_telegram_amount_question_takes_a_new_answer_after_a_wrong_and_a_right_one(
    page: Page, language: str
) -> None:
    custom, asked, refused, too_little, pledge = {
        "en": (
            "Pledge without a reward",
            "How much would you like to pledge to “Maréa",
            # Too little, then not an amount at all: each refusal quotes what was typed.
            re.compile("“0.10” is less than €0.50|“lots” is not an amount"),
            "0.10",
            "Pledge ",
        ),
        "fr": (
            "Contribuer sans contrepartie",
            "Combien souhaitez-vous donner à",
            re.compile(
                "«\u00a00,10\u00a0» est inférieur à 0,50|«\u00a0lots\u00a0» n’est pas un montant"
            ),
            "0,10",
            "Contribuer ",
        ),
    }[language]
    card = open_card(page, LAMP) if language == "en" else french_card(page)
    question = answered(page, lambda: card.get_by_role("button", name=custom).click(), asked)
    expect(question).to_contain_text(re.compile(r"0[.,]50"))

    answered(page, lambda: say(page, too_little), refused)
    first = answered(page, lambda: say(page, "25"), re.compile("25[.,]00"))
    expect(first.get_by_role("button", name=re.compile(f"^{pledge}"))).to_be_visible()
    second = answered(page, lambda: say(page, "30"), re.compile("30[.,]00"))
    expect(second.get_by_role("button", name=re.compile(f"^{pledge}"))).to_be_visible()
    # The first offer gave way to the second: one live pledge link at a time.
    expect(first.get_by_role("button")).to_have_count(0)
    # A wrong amount after a right one is answered too.
    answered(page, lambda: say(page, "lots"), refused)
    shot(page, f"journey-amount-{language}")


def answered(page: Page, act: Callable[[], None], containing: str | re.Pattern[str]) -> Locator:
    """Do something in the Telegram chat and wait for the bot's new message holding that."""
    shown = bot_messages(page, containing).count()
    act()
    expect(bot_messages(page, containing)).to_have_count(shown + 1)
    return pinned(page, bot_messages(page, containing).last)


def french_card(page: Page) -> Locator:
    """The lamp's card asked for in French."""
    cards = bot_messages(page, "Collecté")
    shown = cards.count()
    say(page, f"/campaign {LAMP}")
    expect(cards).to_have_count(shown + 1)
    return cards.last


def test_the_discord_amount_form_can_be_answered_again_after_a_wrong_amount(
    page: Page, language: str
) -> None:
    custom, refused = {
        "en": ("Pledge without a reward", "“0.10” is less than €0.50"),
        "fr": ("Contribuer sans contrepartie", "est inférieur à 0,50"),
    }[language]
    page.click("#tab-discord")
    command = f"/campaign {LAMP}" if language == "en" else f"/campagne {LAMP}"
    page.fill("#dc-input", command)
    page.press("#dc-input", "Enter")
    card = page.locator(".dc-message", has=page.locator(".dc-embed")).last
    expect(card.locator(".dc-embed-title")).to_contain_text("Maréa")
    # The page says who used a command in its own language (the command's name stays the one
    # Discord sent).
    used = {"en": "Sam used /", "fr": "Sam a utilisé /"}[language]
    expect(card.locator(".dc-used")).to_contain_text(used)

    for amount in ("0.10", "25"):
        card.locator(".dc-button", has_text=custom).click()
        form = page.locator("#dc-modal")
        expect(form).to_be_visible()
        form.locator("input").fill(amount)
        form.locator("button[type=submit]").click()
        expect(page.locator(".dc-message.ephemeral").last).to_contain_text(
            refused if amount == "0.10" else "25"
        )
    offer = page.locator(".dc-message.ephemeral").last
    expect(offer.locator(".dc-button", has_text=re.compile("25[.,]00"))).to_be_visible()
    shot(page, f"journey-discord-amount-{language}")


def test_cancelling_asks_with_the_amount_and_the_campaign_and_keeping_changes_nothing(
    page: Page,
) -> None:
    card = open_card(page, BOARD_GAME)
    checkout = pay(page, card.get_by_role("button", name=CHEAPEST_GAME), GOOD_CARD)
    checkout.close()
    expect(bot_messages(page, "Pledge saved for Lanternfall")).to_have_count(1)

    listing = answered(page, lambda: say(page, "/mypledges"), "Your pledges")
    shot(page, "journey-mypledges")
    listing.get_by_role("button", name=re.compile(r"^Cancel: Lanternfall.*\(£12\.00\)$")).click()
    question = bot_messages(page, "Cancel your £12.00 pledge to “Lanternfall")
    expect(question).to_have_count(1)
    expect(question.get_by_role("button")).to_have_text(["Cancel pledge", "Keep it"])
    shot(page, "journey-cancel-question")
    question.get_by_role("button", name="Keep it").click()
    expect(question).to_have_count(0)
    expect(bot_messages(page, "Your pledge stays as it is.")).to_have_count(1)
    shot(page, "journey-cancel-kept")

    listing.get_by_role("button", name=re.compile(r"^Cancel: Lanternfall.*\(£12\.00\)$")).click()
    question = bot_messages(page, "Cancel your £12.00 pledge to “Lanternfall")
    question.get_by_role("button", name="Cancel pledge").click()
    expect(page.locator(".toast")).to_contain_text("Your pledge is cancelled.")
    expect(bot_messages(page, "£12.00 · Cancelled")).to_have_count(1)
    shot(page, "journey-cancelled")


def test_in_french_cancelling_asks_in_french(page: Page) -> None:
    page.click("[data-language=fr]")
    try:
        card = bot_messages(page, "Collecté")
        shown = card.count()
        say(page, f"/campaign {BOARD_GAME}")
        expect(card).to_have_count(shown + 1)
        tier = card.last.get_by_role("button", name=re.compile(r"^Print and play"))
        checkout = pay(page, tier, GOOD_CARD)
        checkout.close()

        say(page, "/mypledges")
        listing = bot_messages(page, "Vos contributions").last
        listing.get_by_role("button", name=re.compile(r"^Annuler.*Lanternfall")).last.click()
        question = bot_messages(page, "Annuler votre contribution de 12,00").last
        expect(question).to_contain_text("Lanternfall")
        expect(question.get_by_role("button")).to_have_text(
            ["Annuler la contribution", "La garder"]
        )
        shot(page, "journey-cancel-question-fr")
        question.get_by_role("button", name="La garder").click()
        expect(bot_messages(page, "Votre contribution reste telle quelle.")).to_have_count(1)
        shot(page, "journey-cancel-kept-fr")
    finally:
        page.click("[data-language=en]")
        expect(page.locator("[data-language=en]")).to_have_attribute("aria-pressed", "true")
