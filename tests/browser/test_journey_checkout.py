"""A pledge for a reward from start to end, in a real browser against `backit run --sandbox`:
the checkout page names the campaign, the reward and the amount; paying leads to a thank-you
page that names the reward and leads back to the chat; the receipt in the chat names it too.
On Telegram and Discord, in English and French."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_sandbox_page import BOT, GOOD_CARD, bot_messages, open_card, shot

# Campaigns you back here and in no other module sharing the process: on Telegram the book and
# the comic, on Discord the comic and the game.
BOOK = "atlas-of-forgotten-rivers"
BOOK_TITLE = "An Atlas of Forgotten Rivers"
GAME = "lanternfall"
GAME_TITLE = "Lanternfall — a cosy co-operative board game"
COMIC = "carnets-de-suzette"
COMIC_TITLE = "Les Carnets de Suzette — tome 1"
# In the sandbox, the bot's link to a backer's pledges opens the chat page's private chat.
TELEGRAM_WAY_BACK = re.compile(
    re.escape("/?telegram=" + quote(f"https://t.me/{BOT}?start=mypledges", safe="")) + "$"
)
DISCORD_WAY_BACK = "https://discord.com/channels/@me"


@pytest.fixture
def french(page: Page) -> Iterator[Page]:
    """The chat page with both platforms speaking French, back in English afterwards (the
    process is shared)."""
    page.click("[data-language=fr]")
    expect(page.locator("[data-language=fr]")).to_have_attribute("aria-pressed", "true")
    yield page
    page.click("[data-language=en]")
    expect(page.locator("[data-language=en]")).to_have_attribute("aria-pressed", "true")


def checkout_from(page: Page, button: Locator) -> Page:
    """Tap a button that opens the checkout page; that page, once loaded."""
    with page.context.expect_page() as opened:
        button.click()
    checkout = opened.value
    checkout.wait_for_load_state()
    return checkout


def pay_on(checkout: Page, name: str) -> Page:
    """Fill in the checkout page (an address too when the reward ships), keep a screenshot of
    it, and pay; the thank-you page it leads to."""
    checkout.fill("[name=email]", "sam@example.org")
    if checkout.locator("[name=shipping_name]").count():
        checkout.fill("[name=shipping_name]", "Sam Sandbox")
        checkout.select_option("[name=country]", "FR")
        checkout.fill("[name=line1]", "12 quai de la Fosse")
        checkout.fill("[name=postal_code]", "44000")
        checkout.fill("[name=city]", "Nantes")
    checkout.fill("[name=card_number]", GOOD_CARD)
    checkout.fill("[name=expiry]", "12 / 34")
    checkout.fill("[name=cvc]", "123")
    checkout.fill("[name=name]", "Sam Sandbox")
    # The whole page: what a saved card is for is written under the button, as on Stripe's.
    checkout.screenshot(path=ARTIFACTS / f"{name}-checkout.png", full_page=True)
    checkout.click("button[type=submit]")
    checkout.wait_for_load_state()
    expect(checkout.locator("h1")).to_have_text(re.compile("Thank you!|Merci"))
    shot(checkout, f"{name}-thanks")
    return checkout


def way_back(thanks: Page, label: str, url: str | re.Pattern[str]) -> None:
    """The thank-you page's button back to the chat."""
    expect(thanks.get_by_role("link", name=label)).to_have_attribute("href", url)


def reward_button(card: Locator, title: str) -> Locator:
    """A card's button for one reward."""
    return card.get_by_role("button", name=re.compile(f"^{re.escape(title)}"))


def discord_card(page: Page, slug: str) -> Locator:
    """Open the Discord tab and ask for a campaign's card in the channel."""
    page.click("#tab-discord")
    composer = page.locator("#dc-input")
    composer.fill(f"/campaign {slug}")
    composer.press("Enter")
    card = page.locator(".dc-message:not(.ephemeral)", has=page.locator(".dc-embed")).last
    expect(card.locator(".dc-embed-title")).to_contain_text(slug.split("-")[0].title())
    return card


def discord_offer(page: Page, card: Locator, reward: str) -> Locator:
    """Press a reward's button on a Discord card; the private reply with its pledge link."""
    replies = page.locator(".dc-message.ephemeral")
    shown = replies.count()
    reward_button(card, reward).click()
    expect(replies).to_have_count(shown + 1)
    return replies.last


def discord_direct_messages(page: Page) -> Locator:
    """Open the direct messages with the bot; the messages shown."""
    page.locator("#dc-dms .dc-channel").first.click()
    return page.locator("#dc-messages .dc-message")


def test_on_telegram_saving_a_card_for_a_reward_names_it_at_every_step(page: Page) -> None:
    reward = "Ebook"
    checkout = checkout_from(page, reward_button(open_card(page, BOOK), reward))

    terms = checkout.locator(".custom-text")
    expect(terms).to_contain_text(
        f"Your card will be charged £10.00 for “{reward}” of “{BOOK_TITLE}” only if it reaches "
        "its goal by "
    )
    thanks = pay_on(checkout, "journey-telegram")

    expect(thanks.locator("main")).to_contain_text(
        f"Your card is saved for “{reward}” (£10.00). It will be charged only if “{BOOK_TITLE}”"
    )
    way_back(thanks, "Back to Telegram", TELEGRAM_WAY_BACK)
    thanks.close()

    receipt = bot_messages(page, f"Your card is saved for “{reward}” (£10.00)")
    expect(receipt).to_have_count(1)
    shot(page, "journey-telegram-receipt")


def test_sur_telegram_payer_une_contrepartie_la_nomme_a_chaque_etape(french: Page) -> None:
    page, reward = french, "L'album relié"
    cards = bot_messages(page, "Collecté")
    shown = cards.count()
    page.fill("#tg-input", f"/campaign {COMIC}")
    page.press("#tg-input", "Enter")
    expect(cards).to_have_count(shown + 1)
    checkout = checkout_from(page, reward_button(cards.last, reward))

    expect(checkout.locator(".item-name")).to_have_text(f"{reward} × 1")
    expect(checkout.locator(".item-description")).to_have_text(COMIC_TITLE)
    expect(checkout.locator(".item-amount")).to_have_text("€25.00")
    thanks = pay_on(checkout, "journey-telegram-fr")

    expect(thanks.locator("main")).to_contain_text(
        f"Votre contribution de 25,00\xa0€ pour «\xa0{reward}\xa0» à «\xa0{COMIC_TITLE}\xa0» "
        "est confirmée."
    )
    way_back(thanks, "Retour sur Telegram", TELEGRAM_WAY_BACK)
    thanks.close()

    receipt = bot_messages(page, f"pour «\xa0{reward}\xa0» est confirmée")
    expect(receipt).to_have_count(1)
    shot(page, "journey-telegram-fr-receipt")


def test_on_discord_paying_for_a_reward_names_it_and_leads_back_to_discord(page: Page) -> None:
    reward = "Album et ex-libris signé"
    card = discord_card(page, COMIC)
    offer = discord_offer(page, card, reward)
    checkout = checkout_from(page, offer.locator(".dc-button.link").first)

    expect(checkout.locator(".item-name")).to_have_text(f"{reward} × 1")
    expect(checkout.locator(".item-description")).to_have_text(COMIC_TITLE)
    expect(checkout.locator(".item-amount")).to_have_text("€40.00")
    thanks = pay_on(checkout, "journey-discord")

    expect(thanks.locator("main")).to_contain_text(
        f"Your pledge of €40.00 for “{reward}” to “{COMIC_TITLE}” is confirmed."
    )
    way_back(thanks, "Back to Discord", DISCORD_WAY_BACK)
    thanks.close()

    messages = discord_direct_messages(page)
    expect(messages.filter(has_text=f"Your pledge of €40.00 for “{reward}”")).to_have_count(1)
    shot(page, "journey-discord-receipt")


def test_sur_discord_enregistrer_sa_carte_nomme_la_contrepartie(french: Page) -> None:
    page, reward = french, "Print and play"
    card = discord_card(page, GAME)
    offer = discord_offer(page, card, reward)
    checkout = checkout_from(page, offer.locator(".dc-button.link").first)

    expect(checkout.locator(".custom-text")).to_contain_text(
        f"Votre carte sera débitée de 12,00\xa0£GB pour «\xa0{reward}\xa0» de "
        f"«\xa0{GAME_TITLE}\xa0» uniquement si la campagne atteint son objectif d’ici le "
    )
    thanks = pay_on(checkout, "journey-discord-fr")

    expect(thanks.locator("main")).to_contain_text(
        f"Votre carte est enregistrée pour «\xa0{reward}\xa0» (12,00\xa0£GB)."
    )
    way_back(thanks, "Retour sur Discord", DISCORD_WAY_BACK)
    thanks.close()

    messages = discord_direct_messages(page)
    expect(
        messages.filter(has_text=f"Votre carte est enregistrée pour «\xa0{reward}\xa0»")
    ).to_have_count(1)
    shot(page, "journey-discord-fr-receipt")
