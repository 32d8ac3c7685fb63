"""A sharer's journey in a real browser, against `backit run --sandbox`: someone backs on
Discord and shares the link their thank-you page gives; a friend opens it, sees the campaign's
page (in English or French, on a desktop or a phone), backs it on Telegram from there, and the
sharer hears of it. And the sandbox page's own labels follow its EN/FR switch at phone width.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.browser.test_sandbox_page import GOOD_CARD, bot_messages, pay, reward_link, shot

# A campaign you back here, on both platforms, and in no other module sharing the process.
SHARED = "open-pollinator-map"
TITLE = "Open Pollinator Map"
CHEAPEST = re.compile(r"^Supporter")
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}
SHARE_LINK = re.compile(rf"https?://[^\s\"<]+/c/{SHARED}\?ref=[A-Za-z0-9_-]+")
# Lines of text a phone may not break a word into: more means a column too narrow to read.
LETTER_BY_LETTER = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    if (text.length < 12 || !node.parentElement.checkVisibility()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
    if (lines.size > text.length / 4) broken.push(`${lines.size} lines: ${text.slice(0, 40)}`);
  }
  return broken;
}"""


def shared_by_a_discord_backer(page: Page) -> str:
    """Back the campaign on Discord and keep the share link the thank-you page gives."""
    page.click("#tab-discord")
    page.fill("#dc-input", f"/campaign {SHARED}")
    page.press("#dc-input", "Enter")
    card = page.locator(".dc-message:not(.ephemeral)", has=page.locator(".dc-embed")).last
    expect(card.locator(".dc-embed-title")).to_contain_text(TITLE)
    # The first time a one-tap offer; once backed (the run at another width), the question
    # whether to add a second pledge.
    offers = page.locator(
        ".dc-message.ephemeral", has_text=re.compile("one tap takes you|You already backed this")
    )
    offered = offers.count()
    card.locator(".dc-button", has_text=CHEAPEST).click()
    # The new offer, not an earlier one whose pledge is already paid.
    expect(offers).to_have_count(offered + 1)
    link = offers.last.locator(".dc-button", has_text=re.compile("^(Pledge:|Add a second pledge)"))
    checkout = pay(page, link, GOOD_CARD)
    expect(checkout.locator("body")).to_contain_text(SHARE_LINK)
    found = SHARE_LINK.search(checkout.locator("body").inner_text())
    assert found is not None, checkout.locator("body").inner_text()
    checkout.close()
    page.click("#tab-telegram")
    return found[0]


def no_letter_by_letter_text(page: Page) -> None:
    """Every text on the page reads in lines of words, none in a column of letters."""
    assert page.evaluate(LETTER_BY_LETTER) == []
    size = page.viewport_size
    assert size is not None
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_friend_opens_a_share_link_backs_on_telegram_and_the_sharer_hears_of_it(
    page: Page, viewport: ViewportSize
) -> None:
    size = "phone" if viewport == PHONE else "desktop"
    link = shared_by_a_discord_backer(page)
    page.click("#tab-discord")
    page.click("#dc-dms [data-kind=dm]")
    credits = page.locator(".dc-message", has_text="through your link")
    credited = credits.count()
    page.click("#tab-telegram")
    cards = bot_messages(page, "Raised:")
    shown = cards.count()
    page.set_viewport_size(viewport)

    page.goto(link)
    expect(page.locator("h1")).to_contain_text(TITLE)
    expect(page.locator(".rewards li").first).to_be_visible()
    expect(page.locator(".stats")).to_contain_text("Backers")
    no_letter_by_letter_text(page)
    shot(page, f"sharer-page-{size}")
    page.get_by_role("link", name="Back it on Telegram").click()

    # The sandbox's chat page plays Telegram's app: the bot opens on the campaign.
    expect(page.locator("[data-chat=private]")).to_have_class(re.compile(r"\bactive\b"))
    expect(cards).to_have_count(shown + 1)
    card = cards.last
    expect(card).to_contain_text(TITLE)
    shot(page, f"sharer-telegram-card-{size}")
    receipts = bot_messages(page, f"Thank you for backing {TITLE}")
    received = receipts.count()
    # Backed already at the other width: then the reward asks before a second pledge.
    checkout = pay(page, reward_link(page, card, CHEAPEST), GOOD_CARD)
    expect(checkout.locator("body")).to_contain_text(SHARE_LINK)
    checkout.close()
    expect(receipts).to_have_count(received + 1)
    no_letter_by_letter_text(page)
    shot(page, f"sharer-telegram-receipt-{size}")

    page.click("#tab-discord")
    page.click("#dc-dms [data-kind=dm]")
    expect(credits).to_have_count(credited + 1)
    expect(credits.last).to_contain_text(TITLE)
    shot(page, f"sharer-credited-{size}")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_share_page_in_french_sends_to_the_bot_with_the_same_referral(
    page: Page, viewport: ViewportSize
) -> None:
    size = "phone" if viewport == PHONE else "desktop"
    link = shared_by_a_discord_backer(page)
    cards = bot_messages(page, "Raised:")
    shown = cards.count()
    page.set_viewport_size(viewport)
    page.goto(link)

    page.get_by_role("link", name="Français").click()

    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h2")).to_have_text("Contreparties")
    expect(page.locator(".stats")).to_contain_text("Contributeurs")
    telegram = page.get_by_role("link", name="La soutenir sur Telegram")
    ref = link.rsplit("=", 1)[1]
    expect(telegram).to_have_attribute("href", re.compile(rf"start%3Dc_{SHARED}_{ref}$"))
    expect(page.get_by_role("link", name="La soutenir sur Discord")).to_be_visible()
    no_letter_by_letter_text(page)
    shot(page, f"sharer-page-fr-{size}")
    telegram.click()
    expect(cards).to_have_count(shown + 1)
    expect(cards.last).to_contain_text(TITLE)


def test_the_sandbox_labels_follow_its_language_switch_and_read_well_on_a_phone(
    page: Page,
) -> None:
    page.set_viewport_size(PHONE)
    page.locator("[data-chat=private]").click()
    page.fill("#tg-input", f"/campaign {SHARED}")
    page.press("#tg-input", "Enter")
    expect(bot_messages(page, "Raised:").last).to_contain_text(TITLE)
    no_letter_by_letter_text(page)
    shot(page, "sandbox-phone-en")

    page.click("[data-language=fr]")
    try:
        expect(page.locator("#connection")).to_have_text("en direct")
        expect(page.locator("#closing label")).to_have_text("Clôturer une campagne maintenant")
        expect(page.locator("#closing button[type=submit]")).to_have_text("Clôturer")
        expect(page.locator(".brand span")).to_have_text("bac à sable")
        expect(page.locator("#tg-menu")).to_have_attribute("title", "Commandes")
        no_letter_by_letter_text(page)
        shot(page, "sandbox-phone-fr")

        page.click("#tab-discord")
        expect(page.locator(".dc-welcome p")).to_have_text("C’est le début du salon.")
        expect(page.locator("#dc-input")).to_have_attribute(
            "placeholder", re.compile(r"^Envoyer un message dans #")
        )
        no_letter_by_letter_text(page)
        shot(page, "sandbox-phone-discord-fr")
    finally:
        page.click("[data-language=en]")
        expect(page.locator("#connection")).to_have_text("live")
